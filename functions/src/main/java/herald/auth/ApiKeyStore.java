package herald.auth;

import herald.kernel.ConflictException;
import herald.kernel.Names;
import herald.kernel.SoftDelete;
import herald.kernel.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * API keys in the keys table, two items per key written together: {@code id = "name#<name>"} (what the admin API
 * reads, and what makes names unique) and {@code id = "hash#<sha256 of the key>"} (what authentication reads with
 * one strongly consistent GetItem, so a revocation holds from the next request in every container). The key
 * itself is never stored.
 *
 * <p>Thread-safe.
 */
public final class ApiKeyStore {

    private static final String NAME = "name#";
    private static final String HASH = "hash#";

    private final DynamoDbClient dynamoDb;
    private final String table;

    public ApiKeyStore(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    /** Stores a new key; 409 if the name is taken, by a live key or a deleted one. */
    public void create(ApiKey key) {
        try {
            dynamoDb.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder().put(Put.builder().tableName(table).item(toItem(NAME + key.name(), key))
                            .conditionExpression("attribute_not_exists(id)").build()).build(),
                    TransactWriteItem.builder().put(Put.builder().tableName(table).item(toItem(HASH + key.hash(), key))
                            .conditionExpression("attribute_not_exists(id)").build()).build()));
        } catch (TransactionCanceledException e) {
            throw SoftDelete.nameTaken("API key", key.name(), "/api/v2/system/api_key/" + key.name());
        }
    }

    /** Replaces a live key's record (role, projects, expiry, revocation) in both items. */
    public void replace(ApiKey previous, ApiKey key) {
        try {
            dynamoDb.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder().put(Put.builder().tableName(table).item(toItem(NAME + key.name(), key))
                            .conditionExpression("updatedAt = :read")
                            .expressionAttributeValues(Map.of(":read", AttributeValue.fromS(Timestamps.format(previous.updatedAt()))))
                            .build()).build(),
                    TransactWriteItem.builder().put(Put.builder().tableName(table).item(toItem(HASH + key.hash(), key))
                            .build()).build()));
        } catch (TransactionCanceledException e) {
            throw new ConflictException("The API key '" + key.name() + "' was changed by another request; read it and "
                    + "try again");
        }
    }

    /** The live key of this name. */
    public Optional<ApiKey> byName(String name) {
        return find(name).filter(key -> key.deletedAt() == null);
    }

    /** The key of this name, live or deleted. */
    public Optional<ApiKey> find(String name) {
        return get(NAME + name);
    }

    /** The key with this hash: only live keys have a hash item, so a deleted key is never found. */
    public Optional<ApiKey> byHash(String hash) {
        return get(HASH + hash);
    }

    /** Every key, and the deleted ones too when asked. */
    public List<ApiKey> list(boolean includeDeleted) {
        List<ApiKey> keys = new ArrayList<>();
        dynamoDb.queryPaginator(r -> r.tableName(table).indexName("byKind")
                        .keyConditionExpression("kind = :kind")
                        .expressionAttributeValues(Map.of(":kind", AttributeValue.fromS("name"))))
                .items().forEach(item -> {
                    ApiKey key = fromItem(item);
                    if (includeDeleted || key.deletedAt() == null) {
                        keys.add(key);
                    }
                });
        return keys;
    }

    /**
     * Soft delete ({@link SoftDelete}): the record is marked and the hash item goes, in one transaction, so the key
     * fails from the next request and can be restored.
     */
    public void softDelete(ApiKey key, Instant at) {
        ApiKey deleted = key.deleted(at);
        try {
            dynamoDb.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder().put(Put.builder().tableName(table).item(toItem(NAME + key.name(), deleted))
                            .conditionExpression("updatedAt = :read")
                            .expressionAttributeValues(Map.of(":read", AttributeValue.fromS(Timestamps.format(key.updatedAt()))))
                            .build()).build(),
                    TransactWriteItem.builder().delete(d -> d.tableName(table)
                            .key(Map.of("id", AttributeValue.fromS(HASH + key.hash())))).build()));
        } catch (TransactionCanceledException e) {
            throw new ConflictException("The API key '" + key.name() + "' changed while it was being deleted; try again");
        }
    }

    /** Brings a deleted key back: the record unmarked and its hash item again. */
    public void restore(ApiKey deleted, Instant at) {
        ApiKey live = deleted.restored(at);
        try {
            dynamoDb.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder().put(Put.builder().tableName(table).item(toItem(NAME + live.name(), live))
                            .conditionExpression("attribute_exists(#deleted)")
                            .expressionAttributeNames(Map.of("#deleted", SoftDelete.ATTRIBUTE)).build()).build(),
                    TransactWriteItem.builder().put(Put.builder().tableName(table).item(toItem(HASH + live.hash(), live))
                            .conditionExpression("attribute_not_exists(id)").build()).build()));
        } catch (TransactionCanceledException e) {
            throw SoftDelete.notDeleted("API key", deleted.name());
        }
    }

    /** Forgets a key for good, live or deleted. */
    public void purge(ApiKey key) {
        dynamoDb.transactWriteItems(b -> b.transactItems(
                TransactWriteItem.builder().delete(d -> d.tableName(table)
                        .key(Map.of("id", AttributeValue.fromS(NAME + key.name())))).build(),
                TransactWriteItem.builder().delete(d -> d.tableName(table)
                        .key(Map.of("id", AttributeValue.fromS(HASH + key.hash())))).build()));
    }

    /** Records a use, at most once a minute per key, so authentication does not write on every request. */
    public void touch(ApiKey key, Instant now) {
        if (key.lastUsedAt() != null && key.lastUsedAt().isAfter(now.minusSeconds(60))) {
            return;
        }
        for (String id : List.of(NAME + key.name(), HASH + key.hash())) {
            try {
                dynamoDb.updateItem(b -> b.tableName(table).key(Map.of("id", AttributeValue.fromS(id)))
                        .updateExpression("SET lastUsedAt = :now")
                        .conditionExpression("attribute_exists(id) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt < :stale)")
                        .expressionAttributeValues(Map.of(":now", AttributeValue.fromS(Timestamps.format(now)),
                                ":stale", AttributeValue.fromS(Timestamps.format(now.minusSeconds(60))))));
            } catch (ConditionalCheckFailedException e) {
                // another request recorded it, or the key is gone
            }
        }
    }

    private Optional<ApiKey> get(String id) {
        if (!Names.fitsKey(id)) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table)
                .key(Map.of("id", AttributeValue.fromS(id))).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    private static Map<String, AttributeValue> toItem(String id, ApiKey key) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("id", AttributeValue.fromS(id));
        if (id.startsWith(NAME)) {
            item.put("kind", AttributeValue.fromS("name"));
        }
        item.put("name", AttributeValue.fromS(key.name()));
        item.put("keyHash", AttributeValue.fromS(key.hash()));
        item.put("prefix", AttributeValue.fromS(key.prefix()));
        if (key.role() != null) {
            item.put("role", AttributeValue.fromS(key.role().wireName()));
        }
        if (key.projects() != null) {
            item.put("projects", key.projects().isEmpty() ? AttributeValue.fromL(List.of())
                    : AttributeValue.fromSs(new ArrayList<>(key.projects())));
        }
        if (key.expiresAt() != null) {
            item.put("expiresAt", AttributeValue.fromS(Timestamps.format(key.expiresAt())));
        }
        if (key.revokedAt() != null) {
            item.put("revokedAt", AttributeValue.fromS(Timestamps.format(key.revokedAt())));
        }
        if (key.lastUsedAt() != null) {
            item.put("lastUsedAt", AttributeValue.fromS(Timestamps.format(key.lastUsedAt())));
        }
        item.put("createdAt", AttributeValue.fromS(Timestamps.format(key.createdAt())));
        item.put("updatedAt", AttributeValue.fromS(Timestamps.format(key.updatedAt())));
        item.put("createdBy", AttributeValue.fromS(key.createdBy()));
        if (key.deletedAt() != null) {
            item.put(SoftDelete.ATTRIBUTE, AttributeValue.fromS(Timestamps.format(key.deletedAt())));
        }
        return item;
    }

    private static ApiKey fromItem(Map<String, AttributeValue> item) {
        Set<String> projects = null;
        if (item.containsKey("projects")) {
            projects = item.get("projects").hasSs() ? new HashSet<>(item.get("projects").ss()) : Set.of();
        }
        return new ApiKey(item.get("name").s(), item.get("keyHash").s(), item.get("prefix").s(),
                item.containsKey("role") ? Role.parse(item.get("role").s()) : null, projects, instant(item, "expiresAt"), instant(item, "revokedAt"),
                instant(item, "lastUsedAt"), Timestamps.parse(item.get("createdAt").s()),
                Timestamps.parse(item.get("updatedAt").s()), item.get("createdBy").s(),
                instant(item, SoftDelete.ATTRIBUTE));
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        return item.containsKey(name) ? Timestamps.parse(item.get(name).s()) : null;
    }
}
