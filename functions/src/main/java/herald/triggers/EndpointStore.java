package herald.triggers;

import herald.kernel.Timestamps;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * What every container delivering a trigger's webhooks shares, as items of the deliveries table beside the
 * trigger's deliveries (same partition, so no index and no eventual consistency: every decision is a conditional
 * write on one item):
 * <ul>
 *   <li>{@code endpoint}: the endpoint's health ({@code failingSince}, {@code failures} in a row, {@code disabledAt}),
 *   the attempts in flight ({@code holders}: a lease per sender, so a container that dies frees its place when the
 *   lease runs out) and the deliveries {@code waiting} for a place, oldest first;</li>
 *   <li>{@code rate#<second>}: how many attempts began in that second (expires after an hour);</li>
 *   <li>{@code lane#<key>}: the deliveries of one {@code order_by} value that are not finished, in the order they were
 *   recorded; only the first may be attempted.</li>
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class EndpointStore {

    static final String ENDPOINT = "endpoint";
    /** A lane or a waiting list longer than this refuses more (a DynamoDB item holds 400 KB). */
    static final int MAX_QUEUE = 5_000;

    /** A trigger endpoint's shared state. */
    public record Endpoint(Instant failingSince, int failures, Instant disabledAt, Map<String, Long> holders,
            List<String> waiting) {

        static final Endpoint HEALTHY = new Endpoint(null, 0, null, Map.of(), List.of());

        public Endpoint {
            holders = Map.copyOf(holders);
            waiting = List.copyOf(waiting);
        }
    }

    private final DynamoDbClient dynamoDb;
    private final String table;

    public EndpointStore(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    public Endpoint get(String trigger) {
        Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(table).consistentRead(true)
                .key(key(trigger, ENDPOINT))).item();
        return item == null || item.isEmpty() ? Endpoint.HEALTHY : endpoint(item);
    }

    /** Records a failed attempt; the endpoint as it now is (how long and how often it has failed). */
    Endpoint failed(String trigger, Instant now) {
        return endpoint(dynamoDb.updateItem(r -> r.tableName(table).key(key(trigger, ENDPOINT))
                .updateExpression("SET failingSince = if_not_exists(failingSince, :now) ADD failures :one")
                .expressionAttributeValues(Map.of(":now", AttributeValue.fromS(Timestamps.format(now)),
                        ":one", AttributeValue.fromN("1")))
                .returnValues(ReturnValue.ALL_NEW)).attributes());
    }

    /** Records a successful attempt of an endpoint that was failing: its failures in a row start again from none. */
    void succeeded(String trigger) {
        try {
            dynamoDb.updateItem(r -> r.tableName(table).key(key(trigger, ENDPOINT))
                    .updateExpression("REMOVE failingSince SET failures = :zero")
                    .conditionExpression("attribute_exists(failingSince)")
                    .expressionAttributeValues(Map.of(":zero", AttributeValue.fromN("0"))));
        } catch (ConditionalCheckFailedException e) {
            // another sender recorded it first
        }
    }

    /** Marks the endpoint disabled; false when it already was (so one sender, and one event, disables it). */
    boolean disable(String trigger, Instant now) {
        try {
            dynamoDb.updateItem(r -> r.tableName(table).key(key(trigger, ENDPOINT))
                    .updateExpression("SET disabledAt = :now")
                    .conditionExpression("attribute_not_exists(disabledAt)")
                    .expressionAttributeValues(Map.of(":now", AttributeValue.fromS(Timestamps.format(now)))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** The endpoint starts again healthy (its trigger was enabled again); false when it was not disabled. */
    public boolean enable(String trigger) {
        try {
            dynamoDb.updateItem(r -> r.tableName(table).key(key(trigger, ENDPOINT))
                    .updateExpression("REMOVE disabledAt, failingSince SET failures = :zero")
                    .conditionExpression("attribute_exists(disabledAt)")
                    .expressionAttributeValues(Map.of(":zero", AttributeValue.fromN("0"))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * Takes one of the {@code max} places for an attempt, for {@code holder} until {@code now + lease}; places whose
     * lease ran out are freed first. False when every place is taken.
     */
    boolean acquire(String trigger, String holder, int max, Instant now, Duration lease) {
        long until = now.plus(lease).toEpochMilli();
        for (int round = 0; round < 3; round++) {
            try {
                dynamoDb.updateItem(r -> r.tableName(table).key(key(trigger, ENDPOINT))
                        .updateExpression("SET holders.#h = :until")
                        .conditionExpression("size(holders) < :max")
                        .expressionAttributeNames(Map.of("#h", holder))
                        .expressionAttributeValues(Map.of(":until", AttributeValue.fromN(Long.toString(until)),
                                ":max", AttributeValue.fromN(Integer.toString(max)))));
                return true;
            } catch (ConditionalCheckFailedException full) {
                Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(table).consistentRead(true)
                        .key(key(trigger, ENDPOINT))).item();
                if (item == null || !item.containsKey("holders")) {
                    try {
                        dynamoDb.updateItem(r -> r.tableName(table).key(key(trigger, ENDPOINT))
                                .updateExpression("SET holders = :h")
                                .conditionExpression("attribute_not_exists(holders)")
                                .expressionAttributeValues(Map.of(":h", AttributeValue.fromM(Map.of(holder,
                                        AttributeValue.fromN(Long.toString(until)))))));
                        return true;
                    } catch (ConditionalCheckFailedException raced) {
                        continue;
                    }
                }
                Endpoint endpoint = endpoint(item);
                boolean freed = false;
                for (var held : endpoint.holders().entrySet()) {
                    if (held.getValue() < now.toEpochMilli()) {
                        freed |= release(trigger, held.getKey(), held.getValue());
                    }
                }
                if (!freed && endpoint.holders().size() >= max) {
                    return false;
                }
            }
        }
        return false;
    }

    /** Gives a place back. */
    void release(String trigger, String holder) {
        dynamoDb.updateItem(r -> r.tableName(table).key(key(trigger, ENDPOINT))
                .updateExpression("REMOVE holders.#h").expressionAttributeNames(Map.of("#h", holder)));
    }

    private boolean release(String trigger, String holder, long until) {
        try {
            dynamoDb.updateItem(r -> r.tableName(table).key(key(trigger, ENDPOINT))
                    .updateExpression("REMOVE holders.#h").conditionExpression("holders.#h = :until")
                    .expressionAttributeNames(Map.of("#h", holder))
                    .expressionAttributeValues(Map.of(":until", AttributeValue.fromN(Long.toString(until)))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Puts a delivery on the list of those waiting for a place, unless it is on it. */
    void await(String trigger, String deliveryId) {
        try {
            dynamoDb.updateItem(r -> r.tableName(table).key(key(trigger, ENDPOINT))
                    .updateExpression("SET waiting = list_append(if_not_exists(waiting, :none), :id)")
                    .conditionExpression("attribute_not_exists(waiting) OR (NOT contains(waiting, :one) AND "
                            + "size(waiting) < :max)")
                    .expressionAttributeValues(Map.of(":none", AttributeValue.fromL(List.of()),
                            ":id", AttributeValue.fromL(List.of(AttributeValue.fromS(deliveryId))),
                            ":one", AttributeValue.fromS(deliveryId),
                            ":max", AttributeValue.fromN(Integer.toString(MAX_QUEUE)))));
        } catch (ConditionalCheckFailedException e) {
            // on the list already (or the list is full: the sweep finds it due)
        }
    }

    /** Takes up to {@code limit} of the waiting deliveries off the list, oldest first. */
    List<String> takeWaiting(String trigger, int limit) {
        for (int round = 0; round < 5; round++) {
            List<String> waiting = get(trigger).waiting();
            if (waiting.isEmpty()) {
                return List.of();
            }
            List<String> taken = waiting.subList(0, Math.min(limit, waiting.size()));
            List<String> removes = new ArrayList<>();
            for (int i = 0; i < taken.size(); i++) {
                removes.add("waiting[" + i + "]");
            }
            try {
                dynamoDb.updateItem(r -> r.tableName(table).key(key(trigger, ENDPOINT))
                        .updateExpression("REMOVE " + String.join(", ", removes))
                        .conditionExpression("size(waiting) >= :n AND waiting[0] = :first")
                        .expressionAttributeValues(Map.of(":n", AttributeValue.fromN(Integer.toString(taken.size())),
                                ":first", AttributeValue.fromS(taken.get(0)))));
                return List.copyOf(taken);
            } catch (ConditionalCheckFailedException raced) {
                // another sender took some: look again
            }
        }
        return List.of();
    }

    /** Whether any delivery is waiting for a place. */
    boolean anyWaiting(String trigger) {
        return !get(trigger).waiting().isEmpty();
    }

    /** Takes one attempt of the {@code perSecond} allowed in the second of {@code now}; false when they are spent. */
    boolean takeToken(String trigger, int perSecond, Instant now) {
        long second = now.getEpochSecond();
        try {
            dynamoDb.updateItem(r -> r.tableName(table).key(key(trigger, "rate#" + second))
                    .updateExpression("ADD n :one SET expiresAt = :expires")
                    .conditionExpression("attribute_not_exists(n) OR n < :rate")
                    .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"),
                            ":rate", AttributeValue.fromN(Integer.toString(perSecond)),
                            ":expires", AttributeValue.fromN(Long.toString(second + 3600)))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Puts a delivery at the end of its key's lane, when it is recorded; false when the lane is full. */
    boolean enqueue(String trigger, String orderKey, String deliveryId) {
        try {
            dynamoDb.updateItem(r -> r.tableName(table).key(key(trigger, lane(orderKey)))
                    .updateExpression("SET #q = list_append(if_not_exists(#q, :none), :id)")
                    .conditionExpression("attribute_not_exists(#q) OR (NOT contains(#q, :one) AND size(#q) < :max)")
                    .expressionAttributeNames(Map.of("#q", "queue"))
                    .expressionAttributeValues(Map.of(":none", AttributeValue.fromL(List.of()),
                            ":id", AttributeValue.fromL(List.of(AttributeValue.fromS(deliveryId))),
                            ":one", AttributeValue.fromS(deliveryId),
                            ":max", AttributeValue.fromN(Integer.toString(MAX_QUEUE)))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return lane(trigger, orderKey).contains(deliveryId);
        }
    }

    /** The unfinished deliveries of a key, in the order they were recorded. */
    List<String> lane(String trigger, String orderKey) {
        Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(table).consistentRead(true)
                .key(key(trigger, lane(orderKey)))).item();
        List<String> queue = new ArrayList<>();
        if (item != null && item.containsKey("queue")) {
            item.get("queue").l().forEach(value -> queue.add(value.s()));
        }
        return queue;
    }

    /**
     * Takes a finished delivery off the front of its key's lane; the delivery now at the front (null: none). A
     * delivery that is not at the front (it was cancelled while waiting) is taken out where it is.
     */
    String finish(String trigger, String orderKey, String deliveryId) {
        for (int round = 0; round < 5; round++) {
            List<String> queue = lane(trigger, orderKey);
            int at = queue.indexOf(deliveryId);
            if (at < 0) {
                return queue.isEmpty() ? null : queue.get(0);
            }
            try {
                Map<String, AttributeValue> left = dynamoDb.updateItem(r -> r.tableName(table)
                        .key(key(trigger, lane(orderKey)))
                        .updateExpression("REMOVE #q[" + at + "]").conditionExpression("#q[" + at + "] = :id")
                        .expressionAttributeNames(Map.of("#q", "queue"))
                        .expressionAttributeValues(Map.of(":id", AttributeValue.fromS(deliveryId)))
                        .returnValues(ReturnValue.ALL_NEW)).attributes();
                List<AttributeValue> rest = left.get("queue").l();
                if (rest.isEmpty()) {
                    try {
                        dynamoDb.deleteItem(r -> r.tableName(table).key(key(trigger, lane(orderKey)))
                                .conditionExpression("size(#q) = :zero").expressionAttributeNames(Map.of("#q", "queue"))
                                .expressionAttributeValues(Map.of(":zero", AttributeValue.fromN("0"))));
                    } catch (ConditionalCheckFailedException e) {
                        return lane(trigger, orderKey).stream().findFirst().orElse(null);
                    }
                    return null;
                }
                return at == 0 ? rest.get(0).s() : null;
            } catch (ConditionalCheckFailedException raced) {
                // the lane moved on: look again
            }
        }
        return null;
    }

    /** A lane's sort key: the value itself when short, else a digest of it. */
    static String lane(String orderKey) {
        if (orderKey.length() <= 200) {
            return "lane#" + orderKey;
        }
        try {
            return "lane#sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(orderKey.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, AttributeValue> key(String trigger, String id) {
        return Map.of("trigger", AttributeValue.fromS(trigger), "id", AttributeValue.fromS(id));
    }

    private static Endpoint endpoint(Map<String, AttributeValue> item) {
        Map<String, Long> holders = new HashMap<>();
        if (item.containsKey("holders")) {
            item.get("holders").m().forEach((holder, until) -> holders.put(holder, Long.parseLong(until.n())));
        }
        List<String> waiting = new ArrayList<>();
        if (item.containsKey("waiting")) {
            item.get("waiting").l().forEach(value -> waiting.add(value.s()));
        }
        return new Endpoint(item.containsKey("failingSince") ? Timestamps.parse(item.get("failingSince").s()) : null,
                item.containsKey("failures") ? Integer.parseInt(item.get("failures").n()) : 0,
                item.containsKey("disabledAt") ? Timestamps.parse(item.get("disabledAt").s()) : null, holders, waiting);
    }
}
