package herald.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.auth.Principal;
import herald.kernel.Json;
import herald.kernel.JsonBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's common resource events, emitted when Herald's own resources change: {@code resource.ResourceCreated},
 * {@code ResourceUpdated}, {@code ResourceSoftDeleted}, {@code ResourceHardDeleted}, with
 * {@code payload.resource.type} ({@code herald.EventScript}, {@code herald.ScriptedService},
 * {@code herald.Trigger}, {@code herald.ApiKey}), {@code payload.resource.id}, {@code payload.user.id} and
 * {@code payload.requestId}, and the resource's images before and after the change ({@code payload.old},
 * {@code payload.new}) where the caller gives them. Sent after the change is stored; a failure to send is logged and does not undo it.
 */
public final class ResourceEvents {

    public enum Change {
        CREATED("ResourceCreated"), UPDATED("ResourceUpdated"), SOFT_DELETED("ResourceSoftDeleted"),
        HARD_DELETED("ResourceHardDeleted"), RESTORED("ResourceUpdated");

        final String name;

        Change(String name) {
            this.name = name;
        }

        public String topic() {
            return "resource." + name;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ResourceEvents.class);

    private final EventService events;

    public ResourceEvents(EventService events) {
        this.events = java.util.Objects.requireNonNull(events, "events");
    }

    public void emit(Change change, String type, String id, Principal user, String requestId) {
        emit(change, type, id, user, requestId, null, null, null);
    }

    /**
     * As above, with the resource as it was ({@code old}: null when it is new) and as it is ({@code now}: null when it
     * is gone) in {@code payload.old} and {@code payload.new}, so that a trigger can match on what changed (e.g.
     * {@code "payload.old.is_active": [true], "payload.new.is_active": [false]}). Every key that reads events sees
     * them: an image holds only what may be shown to any reader (no script source or config, no secret, no URL).
     */
    public void emit(Change change, String type, String id, Principal user, String requestId, JsonNode old,
            JsonNode now) {
        emit(change, type, id, user, requestId, old, now, null);
    }

    /** As above, with {@code details} (e.g. {@code reason}) added to the payload. */
    public void emit(Change change, String type, String id, Principal user, String requestId, JsonNode old,
            JsonNode now, ObjectNode details) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("topic", change.topic());
        body.put("sender", "herald");
        body.put("description", change.name + " " + type + " " + id);
        ObjectNode payload = body.putObject("payload");
        payload.putObject("resource").put("type", type).put("id", id);
        payload.putObject("user").put("id", user.name());
        payload.put("requestId", requestId);
        if (change == Change.RESTORED) {
            payload.put("restored", true);
        }
        if (old != null) {
            payload.set("old", old);
        }
        if (now != null) {
            payload.set("new", now);
        }
        if (details != null) {
            payload.setAll(details);
        }
        record(body, user);
    }

    /**
     * Emits one of Herald's own operator events (e.g. {@code herald.trigger.disabled}), sent by {@code herald} as
     * {@code user}, for triggers and WebSocket clients to react to.
     */
    public void announce(String topic, String description, ObjectNode payload, Principal user) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("topic", topic);
        body.put("sender", "herald");
        body.put("description", description);
        body.set("payload", payload);
        record(body, user);
    }

    private void record(ObjectNode body, Principal user) {
        try {
            events.record(DispatchRequest.from(JsonBody.of(body)), new Caller(user, "herald", "resource"));
        } catch (RuntimeException e) {
            LOG.warn("Could not emit {}", body.path("topic").asText(), e);
        }
    }
}
