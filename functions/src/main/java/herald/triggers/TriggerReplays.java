package herald.triggers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.events.Event;
import herald.events.EventItems;
import herald.events.EventJson;
import herald.kernel.ConflictException;
import herald.kernel.InvalidRequestException;
import herald.kernel.Json;
import herald.kernel.Metrics;
import herald.kernel.Timestamps;
import herald.query.QueryStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * Trigger replay: every stored event created in a window, in creation order, evaluated against one trigger, and each
 * match delivered through its webhook as a new delivery marked {@code replay} (signed as every delivery is, with a
 * {@code webhook-id} of its own, so a receiver that drops repeats by id does not drop it). A replay is an item in the
 * trigger's partition of the deliveries table ({@code id = replay_<hex>}) that records how far it got; it runs in
 * bounded steps (at most {@link #STEP_ITEMS} events read, or its time budget), each saving its position and counts
 * in one conditional write, so a step that dies is done again from the last save, and a delivery it recorded twice
 * is recorded once (its id comes from the replay and the event). While it runs it holds a lease and is in the
 * {@code byDue} index under {@code due = replays}, so {@code ReplayFunction}'s schedule takes up one whose lease ran
 * out. Cancelled, it stops at its next save, and its deliveries not yet made are cancelled as they come up.
 *
 * <p>Thread-safe.
 */
public final class TriggerReplays {

    public static final String RUNNING = "running";
    public static final String DONE = "done";
    public static final String CANCELLED = "cancelled";
    public static final String FAILED = "failed";
    static final String ID_PREFIX = "replay_";
    /** The byDue partition of the replays that run (their leases). */
    static final String DUE = "replays";
    /** The most events one step reads. */
    static final int STEP_ITEMS = 20_000;
    /** The step a request runs before it answers: short, so the request answers within seconds. */
    static final Duration FIRST_STEP = Duration.ofSeconds(3);
    static final int FIRST_STEP_ITEMS = 500;
    /** The most stalled replays one scheduled run takes up. */
    static final int STALLED_AT_ONCE = 10;
    /** How often a step saves its position (and sees a cancel). */
    static final int SAVE_EVERY = 250;
    /** How long a step may hold a replay: longer than ReplayFunction's timeout. */
    static final Duration LEASE = Duration.ofMinutes(3);

    /** A replay as its item records it. */
    public record Replay(String trigger, String id, String state, Instant since, Instant until, String position,
            long read, long matched, long queued, Instant createdAt, String createdBy, Instant updatedAt,
            String reason) {

        public ObjectNode toJson() {
            ObjectNode json = Json.MAPPER.createObjectNode();
            json.put("replayId", id);
            json.put("trigger", trigger);
            json.put("state", state);
            json.put("since", Timestamps.format(since));
            json.put("until", Timestamps.format(until));
            json.put("read", read);
            json.put("matched", matched);
            json.put("queued", queued);
            json.put("created_date", Timestamps.format(createdAt));
            json.put("created_by", createdBy);
            json.put("updated_date", Timestamps.format(updatedAt));
            if (reason != null) {
                json.put("reason", reason);
            }
            return json;
        }
    }

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final TriggerStore triggers;
    private final QueryStore events;
    private final Webhooks webhooks;
    private final LambdaClient lambda;
    private final String replayFunction;
    private final Metrics metrics;
    private final Clock clock;

    /**
     * {@code lambda} and {@code replayFunction}: where a replay that one request's step does not finish goes on
     * (null in ReplayFunction itself, which goes on in its own invocation).
     */
    public TriggerReplays(DynamoDbClient dynamoDb, String deliveriesTable, TriggerStore triggers, QueryStore events,
            Webhooks webhooks, LambdaClient lambda, String replayFunction, Metrics metrics, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.table = deliveriesTable;
        this.triggers = triggers;
        this.events = events;
        this.webhooks = webhooks;
        this.lambda = lambda;
        this.replayFunction = replayFunction;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Starts a replay: its first step runs now, within {@link #FIRST_STEP} and {@link #FIRST_STEP_ITEMS} (so a short
     * window is done when the request answers), and {@code ReplayFunction} goes on with the rest; should it not be
     * reached, its schedule takes the replay up. The replay as it stands.
     */
    public Replay start(Trigger trigger, Instant since, Instant until, String by) {
        Replay replay = create(trigger, since, until, by);
        boolean more = step(replay.trigger(), replay.id(), FIRST_STEP, FIRST_STEP_ITEMS);
        Replay first = get(replay.trigger(), replay.id()).orElseThrow();
        if (more && replayFunction != null) {
            WebhookInvoker.invokeAsync(lambda, replayFunction, Json.MAPPER.createObjectNode()
                    .put("trigger", replay.trigger()).put("replayId", replay.id()));
        }
        return first;
    }

    /** ReplayFunction's work: a replay's steps, one after another, while {@code budget} lasts. */
    public void run(String trigger, String id, Duration budget) {
        long deadline = clock.millis() + budget.toMillis();
        while (clock.millis() < deadline
                && step(trigger, id, Duration.ofMillis(deadline - clock.millis()), STEP_ITEMS)) {
            // the next step takes the lease the last one let go
        }
    }

    /**
     * Records a new replay of the trigger over {@code [since, until]} ({@code until} null: now). A trigger whose
     * action is no webhook, an inactive trigger, a window that ends before it begins or begins in the future is a
     * clear error.
     */
    public Replay create(Trigger trigger, Instant since, Instant until, String by) {
        Instant now = clock.instant();
        Instant end = until == null ? now : until;
        if (since == null) {
            throw new InvalidRequestException("since is required: the ISO-8601 time from which to replay, e.g. "
                    + Timestamps.format(now.minus(Duration.ofHours(1))));
        }
        if (since.isAfter(now)) {
            throw new InvalidRequestException("since (" + Timestamps.format(since) + ") is in the future: there is "
                    + "nothing to replay yet");
        }
        if (end.isBefore(since)) {
            throw new InvalidRequestException("until (" + Timestamps.format(end) + ") is before since ("
                    + Timestamps.format(since) + "): the window must end after it begins");
        }
        if (!trigger.actionType().equals("webhook")) {
            throw new InvalidRequestException("Trigger " + trigger.name() + " " + trigger.actionType() + "s; a replay "
                    + "delivers through a webhook action only");
        }
        if (!trigger.active()) {
            throw new ConflictException("Trigger " + trigger.name() + " is not active; enable it (is_active: true) "
                    + "before replaying through it");
        }
        String id = ID_PREFIX + UUID.randomUUID().toString().replace("-", "");
        Replay replay = new Replay(trigger.name(), id, RUNNING, since, end, position(since), 0, 0, 0, now, by, now,
                null);
        Map<String, AttributeValue> item = toItem(replay);
        item.put("due", s(DUE));
        item.put("dueAt", s(Timestamps.format(now) + "#" + trigger.name() + "#" + id));
        dynamoDb.putItem(r -> r.tableName(table).item(item));
        metrics.count("TriggerReplays");
        return replay;
    }

    public Optional<Replay> get(String trigger, String id) {
        if (!id.startsWith(ID_PREFIX)) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(table).consistentRead(true)
                .key(key(trigger, id))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    /** A trigger's replays, newest first: one Query of its partition's replay items. */
    public List<Replay> list(String trigger) {
        List<Replay> replays = new ArrayList<>();
        dynamoDb.queryPaginator(r -> r.tableName(table).keyConditionExpression("#t = :t AND begins_with(id, :p)")
                        .expressionAttributeNames(Map.of("#t", "trigger"))
                        .expressionAttributeValues(Map.of(":t", s(trigger), ":p", s(ID_PREFIX))))
                .items().forEach(item -> replays.add(fromItem(item)));
        replays.sort(Comparator.comparing(Replay::createdAt).reversed());
        return replays;
    }

    /**
     * Cancels a replay: a running one stops at its next save, and the deliveries it recorded that are not yet made
     * are cancelled as they come up (a done replay's too); one that failed is a 409, a cancelled one stays so. One
     * conditional write, which answers with the replay as it left it.
     */
    public Replay cancel(Replay replay, String by) {
        if (replay.state().equals(CANCELLED)) {
            return replay;
        }
        try {
            return fromItem(dynamoDb.updateItem(r -> r.tableName(table).key(key(replay.trigger(), replay.id()))
                    .updateExpression("SET #s = :cancelled, updatedAt = :now, #why = :why REMOVE #due, dueAt, leaseUntil")
                    .conditionExpression("#s IN (:running, :done)")
                    .expressionAttributeNames(Map.of("#s", "state", "#why", "reason", "#due", "due"))
                    .expressionAttributeValues(Map.of(":cancelled", s(CANCELLED), ":running", s(RUNNING),
                            ":done", s(DONE), ":now", s(Timestamps.format(clock.instant())),
                            ":why", s("cancelled by " + by)))
                    .returnValues(ReturnValue.ALL_NEW)).attributes());
        } catch (ConditionalCheckFailedException finished) {
            Replay current = get(replay.trigger(), replay.id()).orElseThrow();
            if (current.state().equals(CANCELLED)) {
                return current;
            }
            throw new ConflictException("Replay " + replay.id() + " " + current.state() + " (" + current.reason()
                    + "); only a running or done replay can be cancelled");
        }
    }

    /**
     * Runs one step of a replay, for at most {@code budget} and about {@code mostItems} events read: true when more
     * remains (the lease is let go for the next step), false when it finished, was cancelled, or another step holds
     * it.
     */
    boolean step(String trigger, String id, Duration budget, int mostItems) {
        Instant now = clock.instant();
        Optional<Replay> found = get(trigger, id);
        if (found.isEmpty() || !found.get().state().equals(RUNNING) || !lease(trigger, id, now)) {
            return false;
        }
        Replay replay = found.get();
        Optional<Trigger> current = triggers.get(trigger).filter(t -> t.deletedAt() == null);
        if (current.isEmpty() || !current.get().active() || !current.get().actionType().equals("webhook")) {
            finish(replay, FAILED, current.isEmpty() ? "the trigger was deleted"
                    : !current.get().active() ? "the trigger was disabled" : "the trigger's action is no webhook");
            return false;
        }
        Trigger target = current.get();
        TriggerMatcher matcher = TriggerMatcher.of(List.of(target));
        long deadline = clock.millis() + budget.toMillis();
        AtomicLong itemsRead = new AtomicLong();
        // the window's events after the last save, up to until (inclusive)
        Iterator<Event> window = events.between(null, replay.position(), Timestamps.format(replay.until()) + "$",
                false, 500, itemsRead);
        String position = replay.position();
        long read = replay.read();
        long matched = replay.matched();
        long queued = replay.queued();
        int sinceSave = 0;
        try {
            while (window.hasNext()) {
                Event event = window.next();
                position = EventItems.createdKey(event);
                read++;
                sinceSave++;
                boolean byTrigger = event.user() != null && event.user().startsWith(TriggerActions.USER_PREFIX);
                if (!byTrigger && target.on().accepts(true)
                        && !matcher.matching(TriggerActions.matchable(event)).isEmpty()) {
                    matched++;
                    if (record(target, replay, event)) {
                        queued++;
                    }
                }
                if (sinceSave >= SAVE_EVERY) {
                    boolean stop = clock.millis() >= deadline || itemsRead.get() >= mostItems;
                    if (!save(replay, position, read, matched, queued, stop)) {
                        return false; // cancelled
                    }
                    webhooks.handOff();
                    sinceSave = 0;
                    if (stop) {
                        return true;
                    }
                }
            }
            if (!save(replay, position, read, matched, queued, false)) {
                return false;
            }
            finish(replay, DONE, null);
            return false;
        } finally {
            webhooks.handOff();
        }
    }

    /**
     * ReplayFunction's schedule: the running replays that no step holds (one died, or the request's hand-over did
     * not arrive), each run on a thread of its own while {@code budget} lasts; how many were taken up.
     */
    public int resumeStalled(Duration budget) {
        List<Replay> stalled = new ArrayList<>();
        dynamoDb.queryPaginator(r -> r.tableName(table).indexName("byDue")
                        .keyConditionExpression("#d = :due AND dueAt <= :now")
                        .expressionAttributeNames(Map.of("#d", "due"))
                        .expressionAttributeValues(Map.of(":due", s(DUE),
                                ":now", s(Timestamps.format(clock.instant()) + "#\uffff")))
                        .limit(STALLED_AT_ONCE))
                .items().stream().limit(STALLED_AT_ONCE).forEach(item -> stalled.add(fromItem(item)));
        List<Thread> threads = new ArrayList<>();
        for (Replay replay : stalled) {
            Thread thread = new Thread(() -> run(replay.trigger(), replay.id(), budget), "herald-replay");
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return stalled.size();
    }

    private boolean record(Trigger trigger, Replay replay, Event event) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("type", "event.created");
        body.put("timestamp", clock.instant().toString());
        body.put("trigger", trigger.name());
        body.put("replay", true);
        body.put("replay_id", replay.id());
        ObjectNode data = EventJson.toJson(event);
        body.set("data", data);
        return webhooks.record(trigger, event.id(), event.topic(), "replay|" + replay.id() + "|" + event.id(),
                body.toString(), data, replay.id());
    }

    /** Takes the replay for one step: its lease ran out (or it has none). */
    private boolean lease(String trigger, String id, Instant now) {
        Instant until = now.plus(LEASE);
        try {
            dynamoDb.updateItem(r -> r.tableName(table).key(key(trigger, id))
                    .updateExpression("SET leaseUntil = :until, dueAt = :dueAt")
                    .conditionExpression("#s = :running AND (attribute_not_exists(leaseUntil) OR leaseUntil <= :now)")
                    .expressionAttributeNames(Map.of("#s", "state"))
                    .expressionAttributeValues(Map.of(":running", s(RUNNING), ":until", s(Timestamps.format(until)),
                            ":now", s(Timestamps.format(now)),
                            ":dueAt", s(Timestamps.format(until) + "#" + trigger + "#" + id))));
            return true;
        } catch (ConditionalCheckFailedException held) {
            return false;
        }
    }

    /**
     * Saves how far the step got, while the replay still runs, keeping the lease or letting it go (for the next
     * step); false when it was cancelled. A replay whose steps all stop is due in {@code byDue} a lease later.
     */
    private boolean save(Replay replay, String position, long read, long matched, long queued, boolean letGo) {
        Instant now = clock.instant();
        Instant leaseUntil = letGo ? now : now.plus(LEASE);
        try {
            dynamoDb.updateItem(r -> r.tableName(table).key(key(replay.trigger(), replay.id()))
                    .updateExpression("SET #p = :p, #r = :r, matched = :m, queued = :q, updatedAt = :now, "
                            + "leaseUntil = :lease, dueAt = :dueAt")
                    .conditionExpression("#s = :running")
                    .expressionAttributeNames(Map.of("#s", "state", "#p", "position", "#r", "read"))
                    .expressionAttributeValues(Map.of(":running", s(RUNNING), ":p", s(position),
                            ":r", n(read), ":m", n(matched), ":q", n(queued), ":now", s(Timestamps.format(now)),
                            ":lease", s(Timestamps.format(leaseUntil)),
                            ":dueAt", s(Timestamps.format(now.plus(LEASE)) + "#" + replay.trigger() + "#"
                                    + replay.id()))));
            return true;
        } catch (ConditionalCheckFailedException cancelled) {
            return false;
        }
    }

    private void finish(Replay replay, String state, String reason) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":state", s(state), ":running", s(RUNNING),
                ":now", s(Timestamps.format(clock.instant()))));
        String set = "SET #s = :state, updatedAt = :now";
        if (reason != null) {
            values.put(":why", s(reason));
            set += ", #why = :why";
        }
        String expression = set + " REMOVE #due, dueAt, leaseUntil";
        try {
            dynamoDb.updateItem(r -> r.tableName(table).key(key(replay.trigger(), replay.id()))
                    .updateExpression(expression).conditionExpression("#s = :running")
                    .expressionAttributeNames(reason == null ? Map.of("#s", "state", "#due", "due")
                            : Map.of("#s", "state", "#due", "due", "#why", "reason"))
                    .expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException cancelled) {
            // cancelled meanwhile: it stays so
        }
    }

    /** The position just before every event created at {@code instant}. */
    private static String position(Instant instant) {
        return Timestamps.format(instant) + "#";
    }

    private static Map<String, AttributeValue> toItem(Replay replay) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("trigger", s(replay.trigger()));
        item.put("id", s(replay.id()));
        item.put("state", s(replay.state()));
        item.put("since", s(Timestamps.format(replay.since())));
        item.put("until", s(Timestamps.format(replay.until())));
        item.put("position", s(replay.position()));
        item.put("read", n(replay.read()));
        item.put("matched", n(replay.matched()));
        item.put("queued", n(replay.queued()));
        item.put("createdAt", s(Timestamps.format(replay.createdAt())));
        item.put("createdBy", s(replay.createdBy()));
        item.put("updatedAt", s(Timestamps.format(replay.updatedAt())));
        item.put("expiresAt", n(replay.createdAt().getEpochSecond() + DeliveryStore.KEEP_SECONDS));
        return item;
    }

    private static Replay fromItem(Map<String, AttributeValue> item) {
        return new Replay(item.get("trigger").s(), item.get("id").s(), item.get("state").s(),
                Timestamps.parse(item.get("since").s()), Timestamps.parse(item.get("until").s()),
                item.get("position").s(), Long.parseLong(item.get("read").n()),
                Long.parseLong(item.get("matched").n()), Long.parseLong(item.get("queued").n()),
                Timestamps.parse(item.get("createdAt").s()), item.get("createdBy").s(),
                Timestamps.parse(item.get("updatedAt").s()), item.containsKey("reason") ? item.get("reason").s() : null);
    }

    private static Map<String, AttributeValue> key(String trigger, String id) {
        return Map.of("trigger", s(trigger), "id", s(id));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
