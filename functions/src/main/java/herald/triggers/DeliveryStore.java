package herald.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import herald.kernel.Json;
import herald.kernel.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Webhook deliveries: partition {@code trigger}, sort {@code id} (derived from the trigger and the event change,
 * so a change the stream delivers twice is recorded once). Two sparse or sharded indexes, never a scan:
 * <ul>
 *   <li>{@code byDue}: a pending delivery, and one being delivered (its lease), carries {@code due = due#<0-7>} (the
 *   shard from its id) and {@code dueAt = <time>#<trigger>#<id>}, so the retry function reads what is due with a
 *   Query per shard;</li>
 *   <li>{@code byStatus}: every delivery carries {@code statusShard = <status>#<0-7>} (the shard from its id) and
 *   {@code createdKey = <created>#<trigger>#<id>}, so the deliveries of a state across triggers are read newest
 *   first by a merge of eight Queries, with no hot key.</li>
 * </ul>
 * Deliveries expire after 30 days. Beside a trigger's deliveries, its partition holds what its senders share
 * ({@link EndpointStore}) and its replays ({@link TriggerReplays}): ids that do not begin {@code msg_}.
 *
 * <p>Thread-safe.
 */
public final class DeliveryStore {

    static final long KEEP_SECONDS = 30L * 24 * 3600;
    static final int SHARDS = 8;
    /** Delivery ids begin so; the trigger's shared state beside them ({@link EndpointStore}) does not. */
    static final String ID_PREFIX = "msg_";
    /** Where deliveries recorded before the due index was sharded wait: read until they are all done. */
    private static final String LEGACY_DUE = "due";

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DeliveryStore(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    /** Records a new delivery; false when it exists (the stream delivered the same change twice). */
    public boolean create(Delivery delivery) {
        try {
            dynamoDb.putItem(r -> r.tableName(table).item(toItem(delivery)).conditionExpression("attribute_not_exists(id)"));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    public void save(Delivery delivery) {
        dynamoDb.putItem(r -> r.tableName(table).item(toItem(delivery)));
    }

    /**
     * Takes a delivery for one attempt: it becomes {@code delivering} under a lease of {@code lease}, if it is still
     * pending or its last lease ran out (a container that died mid-attempt); the delivery as taken, or empty when
     * another sender has it, it is finished, or there is none. One conditional write, which also reads it.
     */
    public Optional<Delivery> claim(String trigger, String id, Instant now, Duration lease) {
        Instant until = now.plus(lease);
        try {
            Map<String, AttributeValue> item = dynamoDb.updateItem(r -> r.tableName(table)
                    .key(Map.of("trigger", AttributeValue.fromS(trigger), "id", AttributeValue.fromS(id)))
                    .updateExpression("SET #s = :delivering, statusShard = :shard, nextAttemptAt = :until, "
                            + "#d = :due, dueAt = :dueAt")
                    .conditionExpression("#s = :pending OR (#s = :delivering AND nextAttemptAt < :now)")
                    .expressionAttributeNames(Map.of("#s", "status", "#d", "due"))
                    .expressionAttributeValues(Map.of(":pending", AttributeValue.fromS(Delivery.PENDING),
                            ":delivering", AttributeValue.fromS(Delivery.DELIVERING),
                            ":now", AttributeValue.fromS(Timestamps.format(now)),
                            ":until", AttributeValue.fromS(Timestamps.format(until)),
                            ":shard", AttributeValue.fromS(Delivery.DELIVERING + "#" + shard(id)),
                            ":due", AttributeValue.fromS(dueShard(id)),
                            ":dueAt", AttributeValue.fromS(Timestamps.format(until) + "#" + trigger + "#" + id)))
                    .returnValues(ReturnValue.ALL_NEW)).attributes();
            return Optional.of(fromItem(item));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    /**
     * Puts off a pending delivery that must wait (for its turn in its key's lane, or for a place among the trigger's
     * attempts in flight) until {@code until}, when the retry function looks at it again; nothing if it is no longer
     * pending (another sender took it meanwhile).
     */
    void putOff(Delivery delivery, Instant until) {
        try {
            dynamoDb.updateItem(r -> r.tableName(table)
                    .key(Map.of("trigger", AttributeValue.fromS(delivery.trigger()), "id", AttributeValue.fromS(delivery.id())))
                    .updateExpression("SET nextAttemptAt = :until, dueAt = :dueAt")
                    .conditionExpression("#s = :pending")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":pending", AttributeValue.fromS(Delivery.PENDING),
                            ":until", AttributeValue.fromS(Timestamps.format(until)),
                            ":dueAt", AttributeValue.fromS(Timestamps.format(until) + "#" + delivery.trigger() + "#"
                                    + delivery.id()))));
        } catch (ConditionalCheckFailedException e) {
            // taken meanwhile
        }
    }

    /** Whether the replay {@code replayId} of the trigger was cancelled (its deliveries not yet made are dropped). */
    public boolean replayCancelled(String trigger, String replayId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of("trigger", AttributeValue.fromS(trigger), "id", AttributeValue.fromS(replayId)))
                .projectionExpression("#s").expressionAttributeNames(Map.of("#s", "state"))).item();
        return item != null && item.containsKey("state") && item.get("state").s().equals(TriggerReplays.CANCELLED);
    }

    public Optional<Delivery> get(String trigger, String id) {
        Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of("trigger", AttributeValue.fromS(trigger), "id", AttributeValue.fromS(id)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    /**
     * A trigger's deliveries in {@code states}, newest first, at most {@code limit}. Every page of the trigger's
     * partition is read (its sort key, the delivery id, is not in time order), so the newest are never missed;
     * deliveries expire after {@code KEEP_SECONDS}, which bounds it.
     */
    public List<Delivery> list(String trigger, Set<String> states, int limit) {
        List<Delivery> deliveries = new ArrayList<>();
        dynamoDb.queryPaginator(r -> r.tableName(table).keyConditionExpression("#t = :t AND begins_with(id, :msg)")
                        .expressionAttributeNames(Map.of("#t", "trigger"))
                        .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(trigger),
                                ":msg", AttributeValue.fromS(ID_PREFIX))))
                .items().forEach(item -> {
                    Delivery delivery = fromItem(item);
                    if (states.contains(delivery.status())) {
                        deliveries.add(delivery);
                    }
                });
        deliveries.sort(Comparator.comparing(Delivery::createdAt).reversed());
        return deliveries.size() > limit ? deliveries.subList(0, limit) : deliveries;
    }

    /**
     * The deliveries in {@code state} across triggers created at or after {@code since}, newest first, at most
     * {@code limit}: the {@code byStatus} index, one Query per shard, merged.
     */
    public List<Delivery> inState(String state, Instant since, int limit) {
        List<Delivery> found = new ArrayList<>();
        for (int shard = 0; shard < SHARDS; shard++) {
            String key = state + "#" + shard;
            QueryResponse page = dynamoDb.query(r -> r.tableName(table).indexName("byStatus")
                    .keyConditionExpression("statusShard = :k AND createdKey >= :since")
                    .expressionAttributeValues(Map.of(":k", AttributeValue.fromS(key),
                            ":since", AttributeValue.fromS(Timestamps.format(since))))
                    .scanIndexForward(false).limit(limit));
            page.items().forEach(item -> found.add(fromItem(item)));
        }
        found.sort(Comparator.comparing(Delivery::createdAt).reversed());
        return found.size() > limit ? List.copyOf(found.subList(0, limit)) : found;
    }

    /**
     * Deliveries whose next attempt (or whose attempt's lease) is due by {@code now}, at most {@code limit} of each of
     * the index's eight shards, oldest first.
     */
    public List<Delivery> due(Instant now, int limit) {
        List<Delivery> deliveries = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (int shard = 0; shard < SHARDS; shard++) {
            keys.add("due#" + shard);
        }
        keys.add(LEGACY_DUE);
        for (String key : keys) {
            dynamoDb.queryPaginator(r -> r.tableName(table).indexName("byDue")
                            .keyConditionExpression("#d = :due AND dueAt <= :now")
                            .expressionAttributeNames(Map.of("#d", "due"))
                            .expressionAttributeValues(Map.of(":due", AttributeValue.fromS(key),
                                    ":now", AttributeValue.fromS(Timestamps.format(now) + "#\uffff")))
                            .limit(Math.min(limit, 500)))
                    .items().stream().limit(limit).forEach(item -> deliveries.add(fromItem(item)));
        }
        deliveries.sort(Comparator.comparing(Delivery::nextAttemptAt));
        return deliveries;
    }

    static String dueShard(String id) {
        return "due#" + shard(id);
    }

    static int shard(String id) {
        return Math.floorMod(id.hashCode(), SHARDS);
    }

    private static Map<String, AttributeValue> toItem(Delivery d) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("trigger", AttributeValue.fromS(d.trigger()));
        item.put("id", AttributeValue.fromS(d.id()));
        item.put("eventId", AttributeValue.fromS(d.eventId()));
        item.put("topic", AttributeValue.fromS(d.topic()));
        item.put("url", AttributeValue.fromS(d.url()));
        item.put("body", AttributeValue.fromS(d.body()));
        item.put("status", AttributeValue.fromS(d.status()));
        item.put("statusShard", AttributeValue.fromS(d.status() + "#" + shard(d.id())));
        item.put("createdKey", AttributeValue.fromS(Timestamps.format(d.createdAt()) + "#" + d.trigger() + "#" + d.id()));
        item.put("maxAttempts", AttributeValue.fromN(Integer.toString(d.maxAttempts())));
        item.put("createdAt", AttributeValue.fromS(Timestamps.format(d.createdAt())));
        item.put("expiresAt", AttributeValue.fromN(Long.toString(d.createdAt().getEpochSecond() + KEEP_SECONDS)));
        item.put("retry", AttributeValue.fromS(Json.write(d.retry().toJson())));
        item.put("rules", AttributeValue.fromS(Json.write(d.rules().toJson())));
        if (d.orderKey() != null) {
            item.put("orderKey", AttributeValue.fromS(d.orderKey()));
        }
        if (d.replayId() != null) {
            item.put("replayId", AttributeValue.fromS(d.replayId()));
        }
        List<AttributeValue> attempts = new ArrayList<>();
        for (WebhookSender.Attempt a : d.attempts()) {
            Map<String, AttributeValue> m = new HashMap<>();
            m.put("at", AttributeValue.fromS(Timestamps.format(a.at())));
            m.put("ok", AttributeValue.fromBool(a.succeeded()));
            m.put("code", AttributeValue.fromN(Integer.toString(a.responseCode())));
            m.put("ms", AttributeValue.fromN(Long.toString(a.millis())));
            if (a.error() != null) {
                m.put("error", AttributeValue.fromS(a.error().length() > 500 ? a.error().substring(0, 500) : a.error()));
            }
            if (a.excerpt() != null) {
                m.put("excerpt", AttributeValue.fromS(a.excerpt()));
            }
            if (a.retryAfterSeconds() != null) {
                m.put("retryAfter", AttributeValue.fromN(Long.toString(a.retryAfterSeconds())));
            }
            attempts.add(AttributeValue.fromM(m));
        }
        item.put("attempts", AttributeValue.fromL(attempts));
        List<AttributeValue> notes = new ArrayList<>();
        for (Delivery.Note note : d.notes()) {
            notes.add(AttributeValue.fromM(Map.of("at", AttributeValue.fromS(Timestamps.format(note.at())),
                    "by", AttributeValue.fromS(note.by()), "text", AttributeValue.fromS(note.text()))));
        }
        item.put("notes", AttributeValue.fromL(notes));
        if (d.nextAttemptAt() != null) {
            item.put("nextAttemptAt", AttributeValue.fromS(Timestamps.format(d.nextAttemptAt())));
            if (d.status().equals(Delivery.PENDING) || d.status().equals(Delivery.DELIVERING)) {
                item.put("due", AttributeValue.fromS(dueShard(d.id())));
                item.put("dueAt", AttributeValue.fromS(Timestamps.format(d.nextAttemptAt()) + "#" + d.trigger() + "#" + d.id()));
            }
        }
        return item;
    }

    private static Delivery fromItem(Map<String, AttributeValue> item) {
        List<WebhookSender.Attempt> attempts = new ArrayList<>();
        for (AttributeValue value : item.get("attempts").l()) {
            Map<String, AttributeValue> m = value.m();
            attempts.add(new WebhookSender.Attempt(Timestamps.parse(m.get("at").s()), m.get("ok").bool(),
                    Integer.parseInt(m.get("code").n()), Long.parseLong(m.get("ms").n()),
                    m.containsKey("error") ? m.get("error").s() : null,
                    m.containsKey("excerpt") ? m.get("excerpt").s() : null,
                    m.containsKey("retryAfter") ? Long.parseLong(m.get("retryAfter").n()) : null));
        }
        List<Delivery.Note> notes = new ArrayList<>();
        if (item.containsKey("notes")) {
            for (AttributeValue value : item.get("notes").l()) {
                Map<String, AttributeValue> m = value.m();
                notes.add(new Delivery.Note(Timestamps.parse(m.get("at").s()), m.get("by").s(), m.get("text").s()));
            }
        }
        JsonNode retry = item.containsKey("retry") ? Json.readStored(item.get("retry").s()) : Json.MAPPER.createObjectNode();
        // "succeeded" is what deliveries made before the states were named say for "delivered"
        String status = item.get("status").s().equals("succeeded") ? Delivery.DELIVERED : item.get("status").s();
        return new Delivery(item.get("trigger").s(), item.get("id").s(), item.get("eventId").s(), item.get("topic").s(),
                item.get("url").s(), item.get("body").s(), status, attempts,
                Integer.parseInt(item.get("maxAttempts").n()),
                item.containsKey("nextAttemptAt") ? Timestamps.parse(item.get("nextAttemptAt").s()) : null,
                Timestamps.parse(item.get("createdAt").s()),
                RetryPolicy.of(retry, Duration.ofSeconds(retry.path("base_seconds").asLong(30))), notes,
                item.containsKey("rules") ? DeliveryRules.fromJson(Json.readStored(item.get("rules").s()))
                        : DeliveryRules.NONE,
                item.containsKey("orderKey") ? item.get("orderKey").s() : null,
                item.containsKey("replayId") ? item.get("replayId").s() : null);
    }
}
