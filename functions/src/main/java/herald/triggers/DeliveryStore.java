package herald.triggers;

import herald.kernel.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Webhook deliveries: partition {@code trigger}, sort {@code id} (derived from the trigger and the event change,
 * so a change the stream delivers twice is recorded once). A pending delivery also carries {@code due = "due"} and {@code dueAt = <next attempt time>#<trigger>#<id>},
 * so the retry function reads the due ones from the sparse index {@code byDue} with one Query, never a scan.
 * Deliveries expire after 30 days.
 *
 * <p>Thread-safe.
 */
public final class DeliveryStore {

    static final long KEEP_SECONDS = 30L * 24 * 3600;

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

    public Optional<Delivery> get(String trigger, String id) {
        Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of("trigger", AttributeValue.fromS(trigger), "id", AttributeValue.fromS(id)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    /**
     * A trigger's deliveries, newest first, at most {@code limit}. Every page of the trigger's partition is read (its
     * sort key, the delivery id, is not in time order), so the newest are never missed; deliveries expire after
     * {@code KEEP_SECONDS}, which bounds it.
     */
    public List<Delivery> list(String trigger, int limit) {
        List<Delivery> deliveries = new ArrayList<>();
        dynamoDb.queryPaginator(r -> r.tableName(table).keyConditionExpression("#t = :t")
                        .expressionAttributeNames(Map.of("#t", "trigger"))
                        .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(trigger))))
                .items().forEach(item -> deliveries.add(fromItem(item)));
        deliveries.sort(java.util.Comparator.comparing(Delivery::createdAt).reversed());
        return deliveries.size() > limit ? deliveries.subList(0, limit) : deliveries;
    }

    /** Pending deliveries whose next attempt is due by {@code now}, oldest first, at most {@code limit}. */
    public List<Delivery> due(Instant now, int limit) {
        QueryResponse page = dynamoDb.query(r -> r.tableName(table).indexName("byDue")
                .keyConditionExpression("#d = :due AND dueAt <= :now")
                .expressionAttributeNames(Map.of("#d", "due"))
                .expressionAttributeValues(Map.of(":due", AttributeValue.fromS("due"),
                        ":now", AttributeValue.fromS(Timestamps.format(now) + "#\uffff")))
                .limit(limit));
        List<Delivery> deliveries = new ArrayList<>();
        page.items().forEach(item -> deliveries.add(fromItem(item)));
        return deliveries;
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
        item.put("maxAttempts", AttributeValue.fromN(Integer.toString(d.maxAttempts())));
        item.put("createdAt", AttributeValue.fromS(Timestamps.format(d.createdAt())));
        item.put("expiresAt", AttributeValue.fromN(Long.toString(d.createdAt().getEpochSecond() + KEEP_SECONDS)));
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
            attempts.add(AttributeValue.fromM(m));
        }
        item.put("attempts", AttributeValue.fromL(attempts));
        if (d.nextAttemptAt() != null) {
            item.put("nextAttemptAt", AttributeValue.fromS(Timestamps.format(d.nextAttemptAt())));
            if (d.status().equals("pending")) {
                item.put("due", AttributeValue.fromS("due"));
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
                    m.containsKey("excerpt") ? m.get("excerpt").s() : null));
        }
        return new Delivery(item.get("trigger").s(), item.get("id").s(), item.get("eventId").s(), item.get("topic").s(),
                item.get("url").s(), item.get("body").s(), item.get("status").s(), attempts,
                Integer.parseInt(item.get("maxAttempts").n()),
                item.containsKey("nextAttemptAt") ? Timestamps.parse(item.get("nextAttemptAt").s()) : null,
                Timestamps.parse(item.get("createdAt").s()));
    }
}
