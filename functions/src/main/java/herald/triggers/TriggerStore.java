package herald.triggers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.kernel.Json;
import herald.kernel.Names;
import herald.kernel.SoftDelete;
import herald.kernel.Timestamps;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Triggers in the triggers table: {@code scope = "trigger"}, sort key {@code name}, so listing them is one Query;
 * and {@code scope = "meta", name = "generation"}, a counter every change moves on, which the matching function
 * reads once per batch to know when to reload. Webhook secrets live in their own table, which the admin function
 * may only write and the delivering functions only read.
 *
 * <p>Thread-safe.
 */
public final class TriggerStore {

    private static final String SCOPE = "trigger";

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final String secretsTable;

    /** {@code table} null: a store for webhook secrets only (what the delivery retries need). */
    public TriggerStore(DynamoDbClient dynamoDb, String table, String secretsTable) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.secretsTable = secretsTable;
    }

    public void create(Trigger trigger) {
        try {
            dynamoDb.putItem(r -> r.tableName(table).item(toItem(trigger))
                    .conditionExpression("attribute_not_exists(#n)").expressionAttributeNames(Map.of("#n", "name")));
        } catch (ConditionalCheckFailedException e) {
            throw SoftDelete.nameTaken("trigger", trigger.name(), "/api/v2/system/trigger/" + trigger.name());
        }
        bumpGeneration();
    }

    public void replace(Trigger trigger) {
        dynamoDb.putItem(r -> r.tableName(table).item(toItem(trigger)));
        bumpGeneration();
    }

    /**
     * Turns an active trigger off, as its endpoint's health asks ({@code by} herald); false when it was not active
     * (or is deleted), so only one caller disables it.
     */
    public boolean disable(String name, java.time.Instant now, String by) {
        try {
            dynamoDb.updateItem(r -> r.tableName(table).key(key(name))
                    .updateExpression("SET active = :off, updatedAt = :now, updatedBy = :by")
                    .conditionExpression("active = :on AND attribute_not_exists(#d)")
                    .expressionAttributeNames(Map.of("#d", SoftDelete.ATTRIBUTE))
                    .expressionAttributeValues(Map.of(":off", AttributeValue.fromBool(false),
                            ":on", AttributeValue.fromBool(true), ":now", AttributeValue.fromS(Timestamps.format(now)),
                            ":by", AttributeValue.fromS(by))));
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
        bumpGeneration();
        return true;
    }

    public void purge(String name) {
        dynamoDb.deleteItem(r -> r.tableName(table).key(key(name)));
        if (secretsTable != null) {
            dynamoDb.deleteItem(r -> r.tableName(secretsTable).key(Map.of("name", AttributeValue.fromS(name))));
        }
        bumpGeneration();
    }

    public Optional<Trigger> get(String name) {
        if (!Names.fitsKey(name)) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(table).key(key(name)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    /** Every trigger, deleted ones included (the caller filters). */
    public List<Trigger> list() {
        List<Trigger> triggers = new ArrayList<>();
        dynamoDb.queryPaginator(r -> r.tableName(table).keyConditionExpression("#s = :s")
                        .expressionAttributeNames(Map.of("#s", "scope"))
                        .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(SCOPE)))
                        .consistentRead(true))
                .items().forEach(item -> triggers.add(fromItem(item)));
        return triggers;
    }

    /** The counter every change moves on (0 before the first trigger). */
    public long generation() {
        Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(table)
                .key(Map.of("scope", AttributeValue.fromS("meta"), "name", AttributeValue.fromS("generation")))
                .consistentRead(true)).item();
        return item == null || !item.containsKey("generation") ? 0 : Long.parseLong(item.get("generation").n());
    }

    /** Stores a trigger's secret unless it has one (write-only: the admin function never reads secrets). */
    public boolean putSecretIfAbsent(String name, String secret) {
        try {
            dynamoDb.putItem(r -> r.tableName(secretsTable).item(Map.of("name", AttributeValue.fromS(name),
                    "secret", AttributeValue.fromS(secret)))
                    .conditionExpression("attribute_not_exists(#n)").expressionAttributeNames(Map.of("#n", "name")));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    public Optional<String> secret(String name) {
        Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(secretsTable)
                .key(Map.of("name", AttributeValue.fromS(name))).consistentRead(true)).item();
        return item == null || !item.containsKey("secret") ? Optional.empty() : Optional.of(item.get("secret").s());
    }

    private void bumpGeneration() {
        dynamoDb.updateItem(r -> r.tableName(table)
                .key(Map.of("scope", AttributeValue.fromS("meta"), "name", AttributeValue.fromS("generation")))
                .updateExpression("ADD generation :one")
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))));
    }

    private static Map<String, AttributeValue> key(String name) {
        return Map.of("scope", AttributeValue.fromS(SCOPE), "name", AttributeValue.fromS(name));
    }

    private static Map<String, AttributeValue> toItem(Trigger trigger) {
        Map<String, AttributeValue> item = new HashMap<>(key(trigger.name()));
        item.put("filter", AttributeValue.fromS(trigger.filter().toString()));
        item.put("pattern", AttributeValue.fromS(trigger.pattern()));
        item.put("on", AttributeValue.fromS(trigger.on().name()));
        item.put("active", AttributeValue.fromBool(trigger.active()));
        item.put("action", AttributeValue.fromS(trigger.action().toString()));
        item.put("createdAt", AttributeValue.fromS(Timestamps.format(trigger.createdAt())));
        item.put("updatedAt", AttributeValue.fromS(Timestamps.format(trigger.updatedAt())));
        item.put("updatedBy", AttributeValue.fromS(trigger.updatedBy()));
        if (trigger.deletedAt() != null) {
            item.put(SoftDelete.ATTRIBUTE, AttributeValue.fromS(Timestamps.format(trigger.deletedAt())));
        }
        return item;
    }

    private static Trigger fromItem(Map<String, AttributeValue> item) {
        return new Trigger(item.get("name").s(), json(item.get("filter").s()), item.get("pattern").s(),
                Trigger.On.valueOf(item.get("on").s()), item.get("active").bool(), (ObjectNode) json(item.get("action").s()),
                Timestamps.parse(item.get("createdAt").s()), Timestamps.parse(item.get("updatedAt").s()),
                item.get("updatedBy").s(), item.containsKey(SoftDelete.ATTRIBUTE) ? Timestamps.parse(item.get(SoftDelete.ATTRIBUTE).s()) : null);
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored trigger is not JSON", e);
        }
    }
}
