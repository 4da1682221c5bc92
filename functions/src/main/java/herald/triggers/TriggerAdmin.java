package herald.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.auth.Principal;
import herald.events.Caller;
import herald.events.EventIds;
import herald.events.EventJson;
import herald.events.EventService;
import herald.events.ResourceEvents;
import herald.kernel.InvalidRequestException;
import herald.kernel.Json;
import herald.kernel.JsonBody;
import herald.kernel.Names;
import herald.kernel.NotFoundException;
import herald.kernel.SoftDelete;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Creating, reading, changing, deleting (soft, or for good with {@code purge}) and restoring triggers, their
 * webhook secret (generated, returned once, kept where only the delivering functions can read it), their
 * deliveries, and the resource events each change emits.
 *
 * <p>Thread-safe.
 */
public final class TriggerAdmin {

    static final String TYPE = "herald.Trigger";
    private static final Set<String> TEST_FIELDS = Set.of("filter", "trigger", "event", "event_id", "eventId");

    private final Triggers triggers;
    private final ResourceEvents events;
    private final EventService stored;
    private final Clock clock;

    /** {@code stored}: where the filter test reads a stored event, as the caller may read it. */
    public TriggerAdmin(Triggers triggers, ResourceEvents events, EventService stored, Clock clock) {
        this.triggers = triggers;
        this.events = events;
        this.stored = stored;
        this.clock = clock;
    }

    public ArrayNode list(boolean withDeleted) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        triggers.store().list().stream().filter(t -> withDeleted || t.deletedAt() == null)
                .sorted((a, b) -> a.name().compareTo(b.name())).forEach(t -> list.add(t.toJson()));
        return list;
    }

    public ObjectNode get(String name, boolean includeDeleted) {
        return find(name, includeDeleted).toJson();
    }

    public ObjectNode create(JsonBody body, Principal caller, String requestId) {
        Instant now = clock.instant();
        Trigger trigger = Trigger.from(body, null, null, now, caller.name());
        checkUrl(trigger);
        // a deleted trigger of this name (and its secret) gives way to the new one, for good
        triggers.store().get(trigger.name()).filter(t -> t.deletedAt() != null).ifPresent(deleted -> {
            triggers.store().purge(deleted.name());
            events.emit(ResourceEvents.Change.HARD_DELETED, TYPE, deleted.name(), caller, requestId);
        });
        triggers.store().create(trigger);
        String secret = null;
        if (trigger.actionType().equals("webhook")) {
            secret = WebhookSigner.newSecret();
            if (!triggers.store().putSecretIfAbsent(trigger.name(), secret)) {
                secret = null; // kept from an earlier trigger of this name (purging deletes it, so only after a race)
            }
        }
        events.emit(ResourceEvents.Change.CREATED, TYPE, trigger.name(), caller, requestId);
        ObjectNode json = trigger.toJson();
        if (secret != null) {
            json.put("secret", secret);
        }
        return json;
    }

    public ObjectNode update(String name, JsonBody body, Principal caller, String requestId) {
        Trigger previous = find(name, false);
        Trigger trigger = Trigger.from(body, name, previous, clock.instant(), caller.name());
        checkUrl(trigger);
        String secret = null;
        if (trigger.actionType().equals("webhook")) {
            String candidate = WebhookSigner.newSecret();
            secret = triggers.store().putSecretIfAbsent(name, candidate) ? candidate : null;
        }
        triggers.store().replace(trigger);
        events.emit(ResourceEvents.Change.UPDATED, TYPE, name, caller, requestId);
        ObjectNode json = trigger.toJson();
        if (secret != null) {
            json.put("secret", secret);
        }
        return json;
    }

    /** Soft delete: the trigger stops and leaves the listing; {@code purge} removes it (and its secret) for good. */
    public void delete(String name, boolean purge, Principal caller, String requestId) {
        Trigger trigger = find(name, true);
        if (trigger.deletedAt() == null) {
            triggers.store().replace(trigger.deleted(clock.instant()));
            events.emit(ResourceEvents.Change.SOFT_DELETED, TYPE, name, caller, requestId);
        } else if (!purge) {
            throw notFound(name);
        }
        if (purge) {
            triggers.store().purge(name);
            events.emit(ResourceEvents.Change.HARD_DELETED, TYPE, name, caller, requestId);
        }
    }

    public ObjectNode restore(String name, Principal caller, String requestId) {
        Trigger trigger = find(name, true);
        if (trigger.deletedAt() == null) {
            throw SoftDelete.notDeleted("trigger", name);
        }
        Trigger restored = trigger.restored(clock.instant(), caller.name());
        triggers.store().replace(restored);
        events.emit(ResourceEvents.Change.RESTORED, TYPE, name, caller, requestId);
        return restored.toJson();
    }

    public ArrayNode deliveries(String name, int limit) {
        find(name, true);
        ArrayNode list = Json.MAPPER.createArrayNode();
        triggers.deliveries().list(name, limit).forEach(d -> list.add(d.toJson()));
        return list;
    }

    public ObjectNode retry(String name, String deliveryId) {
        find(name, false);
        Delivery delivery = triggers.deliveries().get(name, deliveryId).orElseThrow(() -> new NotFoundException(
                "Trigger '" + name + "' has no delivery '" + deliveryId + "'; GET .../deliveries lists them"));
        return triggers.webhooks().requeue(delivery).toJson();
    }

    /**
     * The filter tester: does {@code filter} (or the filter of the trigger {@code trigger}) match {@code event} (an
     * event as Herald shows it) or the stored event {@code event_id} (one the caller may read), and which conditions
     * fail. Nothing is written.
     */
    public ObjectNode test(JsonBody body, Principal caller) {
        body.requireKnownFields(TEST_FIELDS, "a filter test takes filter or trigger, and event or event_id");
        Optional<JsonNode> filter = body.value("filter");
        Optional<String> trigger = body.string("trigger");
        if (filter.isPresent() == trigger.isPresent()) {
            throw new InvalidRequestException("Give either 'filter' (a trigger's filter, e.g. {\"topic\": \"entity.*\"})"
                    + " or 'trigger' (the name of a trigger whose filter to test)");
        }
        JsonNode tested = filter.isPresent() ? filter.get() : find(trigger.get(), false).filter();
        Optional<ObjectNode> given = body.object("event");
        Optional<String> id = body.string("eventId");
        if (given.isPresent() == id.isPresent()) {
            throw new InvalidRequestException("Give either 'event' (an event as GET /api/events/{id} shows it) or "
                    + "'event_id' (the id of a stored event)");
        }
        ObjectNode event = given.isPresent() ? given.get()
                : stored.findReadable(EventIds.require("Field 'event_id'", id.get()), new Caller(caller, null, null))
                        .map(EventJson::toJson).orElseThrow(() -> new NotFoundException("No event " + id.get()
                                + " to test the filter against (or it is in a project the key cannot read)"));
        ObjectNode answer = FilterTester.run(tested, event);
        answer.set("event", event);
        return answer;
    }

    private void checkUrl(Trigger trigger) {
        if (trigger.actionType().equals("webhook")) {
            WebhookUrls.requireAllowed(trigger.action().get("url").asText(), triggers.allowPrivateUrls());
        }
    }

    private Trigger find(String name, boolean includeDeleted) {
        if (!Names.isName(name)) {
            throw new InvalidRequestException("Invalid trigger name '" + name + "'");
        }
        return triggers.store().get(name).filter(t -> includeDeleted || t.deletedAt() == null)
                .orElseThrow(() -> notFound(name));
    }

    private static NotFoundException notFound(String name) {
        return new NotFoundException("There is no trigger named '" + name + "'; GET /api/v2/system/trigger lists them");
    }
}
