package herald.events;

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
 * {@code payload.requestId}. Sent after the change is stored; a failure to send is logged and does not undo it.
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
        try {
            events.record(DispatchRequest.from(JsonBody.of(body)), new Caller(user, "herald", "resource"));
        } catch (RuntimeException e) {
            LOG.warn("Could not emit {} for {} {}", change.topic(), type, id, e);
        }
    }
}
