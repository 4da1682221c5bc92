package herald.scripting;

import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.kernel.ConflictException;
import herald.kernel.Json;
import herald.kernel.Names;
import herald.kernel.SoftDelete;
import herald.kernel.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Event scripts and scripted services in the scripts table: partition key {@code kind} ({@code event_script} or
 * {@code service}), sort key {@code name}. The sparse index {@code byRepository} (lower-case {@code owner/repo}) finds
 * the scripts linked to a repository, which is what the GitHub webhook needs. Every read is a key lookup or a Query.
 *
 * <p>Thread-safe: it holds only the (thread-safe) client and the table's name.
 */
public final class ScriptStore {

    static final String BY_REPOSITORY = "byRepository";

    private final DynamoDbClient dynamoDb;
    private final String table;

    public ScriptStore(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    /** The live script of this kind and name: what runs, and what the admin API reads. */
    public Optional<ScriptRecord> get(ScriptKind kind, String name) {
        return find(kind, name).filter(record -> record.deletedAt() == null);
    }

    /** The script of this kind and name, live or deleted. */
    public Optional<ScriptRecord> find(ScriptKind kind, String name) {
        if (!Names.fitsKey(name)) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).key(key(kind, name))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    /** The scripts of a kind, and the deleted ones too when asked. */
    public List<ScriptRecord> list(ScriptKind kind, boolean includeDeleted) {
        List<ScriptRecord> records = new ArrayList<>();
        dynamoDb.queryPaginator(r -> r.tableName(table).keyConditionExpression("kind = :kind")
                        .expressionAttributeValues(Map.of(":kind", AttributeValue.fromS(kind.resource()))))
                .items().forEach(item -> {
                    ScriptRecord record = fromItem(item);
                    if (includeDeleted || record.deletedAt() == null) {
                        records.add(record);
                    }
                });
        return records;
    }

    /** The live scripts linked to a GitHub repository, of both kinds (a deleted script leaves the sparse index). */
    public List<ScriptRecord> linkedTo(String repository) {
        List<ScriptRecord> records = new ArrayList<>();
        dynamoDb.queryPaginator(r -> r.tableName(table).indexName(BY_REPOSITORY)
                        .keyConditionExpression("repository = :repository")
                        .expressionAttributeValues(Map.of(":repository",
                                AttributeValue.fromS(repository.toLowerCase(Locale.ROOT)))))
                .items().forEach(item -> records.add(fromItem(item)));
        return records;
    }

    /** Stores a new script; 409 if one of that kind and name exists. */
    public void create(ScriptRecord record) {
        try {
            dynamoDb.putItem(b -> b.tableName(table).item(toItem(record))
                    .conditionExpression("attribute_not_exists(#name)")
                    .expressionAttributeNames(Map.of("#name", "name")));
        } catch (ConditionalCheckFailedException e) {
            throw SoftDelete.nameTaken(record.kind().resource(), record.name(),
                    "/api/v2/system/" + record.kind().resource() + "/" + record.name());
        }
    }

    /** Stores a script, replacing one of the same kind and name. */
    public void put(ScriptRecord record) {
        dynamoDb.putItem(b -> b.tableName(table).item(toItem(record)));
    }

    /**
     * Replaces a script only if it is unchanged since it was read (its {@code updatedAt}), so two concurrent PATCHes
     * cannot silently undo each other; the loser gets a 409 and reads again.
     */
    public void replace(ScriptRecord previous, ScriptRecord record) {
        try {
            dynamoDb.putItem(b -> b.tableName(table).item(toItem(record))
                    .conditionExpression("updatedAt = :read")
                    .expressionAttributeValues(Map.of(":read", AttributeValue.fromS(Timestamps.format(previous.updatedAt())))));
        } catch (ConditionalCheckFailedException e) {
            throw new ConflictException("The " + record.kind().resource() + " '" + record.name()
                    + "' was changed or deleted by another request while this one ran; read it and try again");
        }
    }

    /**
     * Soft delete ({@link SoftDelete}): the record is marked where it is and leaves the repository index, so no
     * lookup, listing or webhook finds it, until it is restored or purged. Returns the live record it was, or nothing
     * if there was none.
     */
    public Optional<ScriptRecord> softDelete(ScriptKind kind, String name, Instant at) {
        Optional<ScriptRecord> live = get(kind, name);
        if (live.isEmpty()) {
            return Optional.empty();
        }
        try {
            replace(live.get(), live.get().deleted(at));
        } catch (ConflictException e) {
            throw new ConflictException("The " + kind.resource() + " '" + name + "' changed while it was being deleted; "
                    + "try again");
        }
        return live;
    }

    /** Brings a deleted script back as it was. */
    public ScriptRecord restore(ScriptRecord deleted, Instant at) {
        ScriptRecord live = deleted.restored(at);
        try {
            dynamoDb.putItem(b -> b.tableName(table).item(toItem(live))
                    .conditionExpression("attribute_exists(#deleted)")
                    .expressionAttributeNames(Map.of("#deleted", SoftDelete.ATTRIBUTE)));
        } catch (ConditionalCheckFailedException e) {
            throw SoftDelete.notDeleted(deleted.kind().resource(), deleted.name());
        }
        return live;
    }

    /** Deletes a script for good, live or deleted. */
    public void purge(ScriptKind kind, String name) {
        dynamoDb.deleteItem(b -> b.tableName(table).key(key(kind, name)));
    }

    private static Map<String, AttributeValue> key(ScriptKind kind, String name) {
        return Map.of("kind", AttributeValue.fromS(kind.resource()), "name", AttributeValue.fromS(name));
    }

    static Map<String, AttributeValue> toItem(ScriptRecord r) {
        Map<String, AttributeValue> item = new HashMap<>(key(r.kind(), r.name()));
        item.put("type", AttributeValue.fromS(r.type()));
        putIfSet(item, "content", r.content());
        item.put("isActive", AttributeValue.fromBool(r.active()));
        item.put("allowEventModification", AttributeValue.fromBool(r.allowEventModification()));
        putIfSet(item, "storageService", r.storageService());
        putIfSet(item, "storagePath", r.storagePath());
        putIfSet(item, "scmRepository", r.scmRepository());
        if (r.scmRepository() != null && r.deletedAt() == null) {
            item.put("repository", AttributeValue.fromS(r.scmRepository().toLowerCase(Locale.ROOT)));
        }
        putIfSet(item, "scmReference", r.scmReference());
        item.put("config", AttributeValue.fromS(Json.write(r.config())));
        item.put("createdAt", AttributeValue.fromS(Timestamps.format(r.createdAt())));
        item.put("updatedAt", AttributeValue.fromS(Timestamps.format(r.updatedAt())));
        putIfSet(item, "updatedBy", r.updatedBy());
        if (r.deletedAt() != null) {
            item.put(SoftDelete.ATTRIBUTE, AttributeValue.fromS(Timestamps.format(r.deletedAt())));
        }
        return item;
    }

    static ScriptRecord fromItem(Map<String, AttributeValue> item) {
        return new ScriptRecord(
                ScriptKind.ofResource(item.get("kind").s()),
                item.get("name").s(),
                string(item, "type"),
                string(item, "content"),
                item.containsKey("isActive") && Boolean.TRUE.equals(item.get("isActive").bool()),
                item.containsKey("allowEventModification") && Boolean.TRUE.equals(item.get("allowEventModification").bool()),
                string(item, "storageService"),
                string(item, "storagePath"),
                string(item, "scmRepository"),
                string(item, "scmReference"),
                (ObjectNode) Json.readStored(item.containsKey("config") ? item.get("config").s() : "{}"),
                Timestamps.parse(item.get("createdAt").s()),
                Timestamps.parse(item.get("updatedAt").s()),
                string(item, "updatedBy"),
                item.containsKey(SoftDelete.ATTRIBUTE) ? Timestamps.parse(item.get(SoftDelete.ATTRIBUTE).s()) : null);
    }

    private static void putIfSet(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, AttributeValue.fromS(value));
        }
    }

    private static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }
}
