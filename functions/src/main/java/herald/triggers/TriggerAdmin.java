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
import herald.kernel.Timestamps;
import herald.query.EventQuery;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

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
    private final TriggerReplays replays;
    private final Clock clock;

    /**
     * {@code stored}: where the filter test reads a stored event, as the caller may read it; {@code replays}: where a
     * trigger replays the stored events of a window.
     */
    public TriggerAdmin(Triggers triggers, ResourceEvents events, EventService stored, TriggerReplays replays,
            Clock clock) {
        this.triggers = triggers;
        this.events = events;
        this.stored = stored;
        this.replays = replays;
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

    /**
     * Creates a trigger; with {@code "start": "<ISO time>"} it replays the stored events created since then through
     * its webhook at once (the answer's {@code replay}).
     */
    public ObjectNode create(JsonBody body, Principal caller, String requestId) {
        Instant now = clock.instant();
        Trigger trigger = Trigger.from(body, null, null, now, caller.name());
        checkUrl(trigger);
        Instant start = replayStart(body, trigger, now);
        // a deleted trigger of this name (and its secret) gives way to the new one, for good
        triggers.store().get(trigger.name()).filter(t -> t.deletedAt() != null).ifPresent(deleted -> {
            triggers.store().purge(deleted.name());
            events.emit(ResourceEvents.Change.HARD_DELETED, TYPE, deleted.name(), caller, requestId, image(deleted), null);
        });
        triggers.store().create(trigger);
        String secret = null;
        if (trigger.actionType().equals("webhook")) {
            secret = WebhookSigner.newSecret();
            if (!triggers.store().putSecretIfAbsent(trigger.name(), secret)) {
                secret = null; // kept from an earlier trigger of this name (purging deletes it, so only after a race)
            }
        }
        events.emit(ResourceEvents.Change.CREATED, TYPE, trigger.name(), caller, requestId, null, image(trigger));
        ObjectNode json = trigger.toJson();
        if (secret != null) {
            json.put("secret", secret);
        }
        if (start != null) {
            json.set("replay", replays.start(trigger, start, now, caller.name()).toJson());
        }
        return json;
    }

    /** A creation's {@code start}, checked before anything is written; null without one. */
    private Instant replayStart(JsonBody body, Trigger trigger, Instant now) {
        Optional<String> text = body.string("start");
        if (text.isEmpty()) {
            return null;
        }
        Instant start = EventQuery.time("start", text.get());
        if (start.isAfter(now)) {
            throw new InvalidRequestException("start (" + text.get() + ") is in the future: a trigger replays events "
                    + "stored before its creation; leave start out to react to new events only");
        }
        if (!trigger.actionType().equals("webhook")) {
            throw new InvalidRequestException("start replays through a webhook action only; this trigger's action is "
                    + trigger.actionType());
        }
        if (!trigger.active()) {
            throw new InvalidRequestException("start needs an active trigger: leave is_active out or true");
        }
        return start;
    }

    /**
     * Replays the stored events created within {@code {"since", "until"}} (until: now when left out) through the
     * trigger's webhook, as new deliveries marked {@code replay}; the first step runs before the answer.
     */
    public ObjectNode replay(String name, JsonBody body, Principal caller) {
        body.requireKnownFields(Set.of("since", "until"), "a replay has since and until");
        Trigger trigger = find(name, false);
        Instant since = body.string("since").map(value -> EventQuery.time("since", value)).orElse(null);
        Instant until = body.string("until").map(value -> EventQuery.time("until", value)).orElse(null);
        return replays.start(trigger, since, until, caller.name()).toJson();
    }

    /** A trigger's replays, newest first. */
    public ArrayNode replays(String name) {
        find(name, true);
        ArrayNode list = Json.MAPPER.createArrayNode();
        replays.list(name).forEach(replay -> list.add(replay.toJson()));
        return list;
    }

    public ObjectNode replay(String name, String id) {
        find(name, true);
        return replays.get(name, id).orElseThrow(() -> noReplay(name, id)).toJson();
    }

    public ObjectNode cancelReplay(String name, String id, Principal caller) {
        find(name, true);
        return replays.cancel(replays.get(name, id).orElseThrow(() -> noReplay(name, id)), caller.name()).toJson();
    }

    private static NotFoundException noReplay(String name, String id) {
        return new NotFoundException("Trigger " + name + " has no replay '" + id + "'; GET /api/v2/system/trigger/"
                + name + "/replay lists them");
    }

    public ObjectNode update(String name, JsonBody body, Principal caller, String requestId) {
        if (body.string("start").isPresent()) {
            throw new InvalidRequestException("start is for creating a trigger; to replay events through an existing "
                    + "one, POST /api/v2/system/trigger/" + name + "/replay with since and until");
        }
        Trigger previous = find(name, false);
        Trigger trigger = Trigger.from(body, name, previous, clock.instant(), caller.name());
        checkUrl(trigger);
        String secret = null;
        if (trigger.actionType().equals("webhook")) {
            String candidate = WebhookSigner.newSecret();
            secret = triggers.store().putSecretIfAbsent(name, candidate) ? candidate : null;
        }
        triggers.store().replace(trigger);
        ObjectNode details = null;
        if (trigger.active() != previous.active()) {
            // turned on again, the endpoint starts healthy; the reason says whether Herald had turned it off
            boolean wasDisabled = trigger.active() && triggers.endpoints() != null
                    && triggers.endpoints().enable(name);
            details = Json.MAPPER.createObjectNode().put("is_active", trigger.active()).put("reason",
                    (trigger.active() ? "enabled" : "disabled") + " by " + caller.name()
                            + (wasDisabled ? " (Herald had disabled it: its endpoint kept failing)" : ""));
        }
        events.emit(ResourceEvents.Change.UPDATED, TYPE, name, caller, requestId, image(previous), image(trigger),
                details);
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
            Trigger deleted = trigger.deleted(clock.instant());
            triggers.store().replace(deleted);
            events.emit(ResourceEvents.Change.SOFT_DELETED, TYPE, name, caller, requestId, image(trigger), image(deleted));
            trigger = deleted;
        } else if (!purge) {
            throw notFound(name);
        }
        if (purge) {
            triggers.store().purge(name);
            events.emit(ResourceEvents.Change.HARD_DELETED, TYPE, name, caller, requestId, image(trigger), null);
        }
    }

    public ObjectNode restore(String name, Principal caller, String requestId) {
        Trigger trigger = find(name, true);
        if (trigger.deletedAt() == null) {
            throw SoftDelete.notDeleted("trigger", name);
        }
        Trigger restored = trigger.restored(clock.instant(), caller.name());
        triggers.store().replace(restored);
        events.emit(ResourceEvents.Change.RESTORED, TYPE, name, caller, requestId, image(trigger), image(restored));
        return restored.toJson();
    }

    /** A trigger's deliveries in {@code status} (null: every state), newest first. */
    public ArrayNode deliveries(String name, String status, int limit) {
        find(name, true);
        ArrayNode list = Json.MAPPER.createArrayNode();
        triggers.deliveries().list(name, status == null ? Delivery.STATES : Set.of(state(status)), limit)
                .forEach(d -> list.add(d.toJson()));
        return list;
    }

    /** The deliveries in {@code status} across triggers, created since {@code since} (null: 30 days), newest first. */
    public ArrayNode deliveriesInState(String status, String since, int limit) {
        if (status == null) {
            throw new InvalidRequestException("Query parameter 'status' is required: one of " + new TreeSet<>(Delivery.STATES));
        }
        Instant from = since == null ? clock.instant().minusSeconds(DeliveryStore.KEEP_SECONDS) : time("since", since);
        ArrayNode list = Json.MAPPER.createArrayNode();
        triggers.deliveries().inState(state(status), from, limit).forEach(d -> list.add(d.toJson()));
        return list;
    }

    public ObjectNode retry(String name, String deliveryId, Principal caller) {
        find(name, false);
        return triggers.webhooks().requeue(delivery(name, deliveryId), caller.name(), "retried").toJson();
    }

    public ObjectNode cancel(String name, String deliveryId, Principal caller) {
        find(name, true);
        return triggers.webhooks().cancel(delivery(name, deliveryId), caller.name()).toJson();
    }

    /**
     * Recovery: every {@code failed} delivery of the trigger created in {@code [since, until)} is due again, with one
     * more attempt; {@code {"recovered": N}}. A second call finds none left to recover.
     */
    public ObjectNode recover(String name, JsonBody body, Principal caller) {
        body.requireKnownFields(Set.of("since", "until"), "a recovery takes since and, optionally, until");
        find(name, false);
        Instant since = time("since", body.string("since").orElseThrow(() -> new InvalidRequestException(
                "Field 'since' is required: the ISO-8601 time from which to recover failed deliveries, e.g. "
                        + "2026-11-30T00:00:00Z")));
        Instant until = body.string("until").map(value -> time("until", value)).orElse(clock.instant().plusSeconds(1));
        if (!until.isAfter(since)) {
            throw new InvalidRequestException("Field 'until' must come after 'since'");
        }
        int recovered = 0;
        for (Delivery failed : triggers.deliveries().list(name, Set.of(Delivery.FAILED), Integer.MAX_VALUE)) {
            if (!failed.createdAt().isBefore(since) && failed.createdAt().isBefore(until)) {
                triggers.webhooks().requeue(failed, caller.name(), "recovered (since " + Timestamps.format(since) + ")");
                recovered++;
            }
        }
        return Json.MAPPER.createObjectNode().put("recovered", recovered);
    }

    private Delivery delivery(String name, String deliveryId) {
        return triggers.deliveries().get(name, deliveryId).orElseThrow(() -> new NotFoundException(
                "Trigger '" + name + "' has no delivery '" + Names.abbreviate(deliveryId) + "'; GET .../deliveries lists "
                        + "them"));
    }

    private static String state(String status) {
        if (!Delivery.STATES.contains(status)) {
            throw new InvalidRequestException("Query parameter 'status' must be one of " + new TreeSet<>(Delivery.STATES)
                    + ", not '" + Names.abbreviate(status) + "'");
        }
        return status;
    }

    private static Instant time(String field, String value) {
        try {
            return java.time.OffsetDateTime.parse(value).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidRequestException("'" + field + "' must be an ISO-8601 time with an offset, e.g. "
                    + "2026-11-30T00:00:00Z, not '" + Names.abbreviate(value) + "'");
        }
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

    /**
     * A trigger as its resource events show it to every reader of events: without its webhook's URL, which may carry
     * a token (the URL's host stays, as {@code action.host}).
     */
    static ObjectNode image(Trigger trigger) {
        ObjectNode json = trigger.toJson();
        ObjectNode action = trigger.action().deepCopy();
        json.set("action", action);
        if (action.has("url")) {
            action.put("host", java.net.URI.create(action.remove("url").asText()).getHost());
        }
        return json;
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
