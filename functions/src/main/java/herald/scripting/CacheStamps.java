package herald.scripting;

import herald.auth.KeyChange;
import herald.auth.KeyChangeLog;
import herald.auth.Role;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * How every warm container learns of a cache clear: one small item in the script cache table, read (strongly
 * consistent) once per request. It holds a {@code generation}, raised by every clear; {@code floor}, the generation
 * of the last clear of everything; and, per cleared key, {@code c:<key>}, the generation at which that key was
 * last cleared. A container drops a cached script loaded at generation g when {@code floor > g} or when one of its
 * keys was cleared after g. Clearing everything rewrites the item without the per-key attributes, and a clear
 * that finds the item grown past {@value #COMPACT_AT} keys clears everything instead, so the item stays small.
 *
 * <p>The same item is the {@link KeyChangeLog}: {@code k:<fingerprint>} holds a key's change (when, and its new role
 * and projects, or that it no longer authenticates) for {@link KeyChangeLog#KEPT}, so that the one read a call makes
 * also tells it whether its cached authorization still holds.
 *
 * <p>The same table remembers GitHub webhook deliveries (item {@code delivery#<guid>}, expiring after a week).
 *
 * <p>Thread-safe.
 */
public final class CacheStamps implements KeyChangeLog {

    static final String STAMP = "stamp";
    static final String CLEARED = "c:";
    static final String KEY_CHANGE = "k:";
    static final int COMPACT_AT = 500;

    /** The stamp as read: a container compares it with what it saw last. */
    public record Stamp(long generation, long floor, Map<String, Long> cleared, Map<String, KeyChange> keyChanges)
            implements KeyChangeLog.Snapshot {

        static final Stamp NONE = new Stamp(0, 0, Map.of(), Map.of());

        /** Whether something loaded at {@code loadedAt} under these keys must be loaded again. */
        public boolean invalidates(long loadedAt, Iterable<String> keys) {
            if (floor > loadedAt) {
                return true;
            }
            for (String key : keys) {
                Long at = cleared.get(key);
                if (at != null && at > loadedAt) {
                    return true;
                }
            }
            return false;
        }
    }

    private final DynamoDbClient dynamoDb;
    private final String table;

    public CacheStamps(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    public Stamp current() {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).key(key(STAMP)).consistentRead(true))
                .item();
        return item == null || item.isEmpty() ? Stamp.NONE : stamp(item);
    }

    /** Clears the given keys (each {@code event:<name>}, {@code service:<name>} or {@code events-of:<service>}). */
    public void clear(Iterable<String> keys) {
        Map<String, String> names = new HashMap<>();
        StringBuilder update = new StringBuilder("SET generation = if_not_exists(generation, :zero) + :one");
        int i = 0;
        for (String key : keys) {
            names.put("#c" + i, CLEARED + key);
            update.append(", #c").append(i).append(" = if_not_exists(generation, :zero) + :one");
            i++;
        }
        if (i == 0) {
            return;
        }
        Map<String, AttributeValue> after = dynamoDb.updateItem(b -> b.tableName(table).key(key(STAMP))
                .updateExpression(update.toString())
                .expressionAttributeNames(names)
                .expressionAttributeValues(Map.of(":zero", AttributeValue.fromN("0"), ":one", AttributeValue.fromN("1")))
                .returnValues(ReturnValue.ALL_NEW)).attributes();
        if (after != null && after.size() > COMPACT_AT) {
            clearAll();
        }
    }

    /** Clears everything: a new generation that is also the floor, and no per-key attributes (key changes stay). */
    public void clearAll() {
        for (int attempt = 0; ; attempt++) {
            Map<String, AttributeValue> read = dynamoDb.getItem(b -> b.tableName(table).key(key(STAMP))
                    .consistentRead(true)).item();
            Stamp now = read == null || read.isEmpty() ? Stamp.NONE : stamp(read);
            long next = now.generation() + 1;
            Map<String, AttributeValue> item = new HashMap<>(key(STAMP));
            if (read != null) {
                read.forEach((name, value) -> {
                    if (name.startsWith(KEY_CHANGE)) {
                        item.put(name, value);
                    }
                });
            }
            item.put("generation", AttributeValue.fromN(Long.toString(next)));
            item.put("floor", AttributeValue.fromN(Long.toString(next)));
            try {
                dynamoDb.putItem(b -> b.tableName(table).item(item)
                        .conditionExpression("attribute_not_exists(generation) OR generation = :seen")
                        .expressionAttributeValues(Map.of(":seen", AttributeValue.fromN(Long.toString(now.generation())))));
                return;
            } catch (ConditionalCheckFailedException e) {
                if (attempt >= 10) {
                    throw e; // a clear raced ten others: the caller gets a 500 and may retry
                }
            }
        }
    }

    /** Records a webhook delivery; false if it was recorded before (a redelivery). */
    public boolean firstDelivery(String deliveryId, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(key("delivery#" + deliveryId));
        item.put("expiresAt", AttributeValue.fromN(Long.toString(now.getEpochSecond() + 7 * 24 * 3600)));
        try {
            dynamoDb.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(#k)")
                    .expressionAttributeNames(Map.of("#k", "key")));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Forgets a delivery whose processing failed, so that GitHub's redelivery is processed. */
    public void forgetDelivery(String deliveryId) {
        dynamoDb.deleteItem(b -> b.tableName(table).key(key("delivery#" + deliveryId)));
    }

    private static Map<String, AttributeValue> key(String key) {
        return Map.of("key", AttributeValue.fromS(key));
    }

    private static Stamp stamp(Map<String, AttributeValue> item) {
        Map<String, Long> cleared = new HashMap<>();
        Map<String, KeyChange> keyChanges = new HashMap<>();
        item.forEach((name, value) -> {
            if (name.startsWith(CLEARED) && value.n() != null) {
                cleared.put(name.substring(CLEARED.length()), Long.parseLong(value.n()));
            } else if (name.startsWith(KEY_CHANGE) && value.s() != null) {
                String fingerprint = name.substring(KEY_CHANGE.length());
                keyChanges.put(fingerprint, keyChange(fingerprint, value.s()));
            }
        });
        return new Stamp(number(item, "generation"), number(item, "floor"), Map.copyOf(cleared),
                Map.copyOf(keyChanges));
    }

    /**
     * Records a key change, and forgets those older than {@link KeyChangeLog#KEPT} in the same write, so that the
     * item holds only the changes an authorization cached by API Gateway can still be affected by.
     */
    @Override
    public void record(KeyChange change) {
        Map<String, String> names = new HashMap<>(Map.of("#k", KEY_CHANGE + change.fingerprint()));
        StringBuilder update = new StringBuilder("SET #k = :change");
        int i = 0;
        for (KeyChange old : current().keyChanges().values()) {
            if (!old.fingerprint().equals(change.fingerprint())
                    && old.at().isBefore(change.at().minus(KeyChangeLog.KEPT))) {
                names.put("#o" + i, KEY_CHANGE + old.fingerprint());
                update.append(i == 0 ? " REMOVE " : ", ").append("#o").append(i);
                i++;
            }
        }
        String value = change.at().toEpochMilli() + "|" + (change.revokes() ? "-" : change.role().wireName()) + "|"
                + (change.projects() == null ? "*" : String.join(",", new java.util.TreeSet<>(change.projects())));
        dynamoDb.updateItem(b -> b.tableName(table).key(key(STAMP)).updateExpression(update.toString())
                .expressionAttributeNames(names)
                .expressionAttributeValues(Map.of(":change", AttributeValue.fromS(value))));
    }

    private static KeyChange keyChange(String fingerprint, String value) {
        String[] parts = value.split("\\|", -1);
        Instant at = Instant.ofEpochMilli(Long.parseLong(parts[0]));
        Role role = parts[1].equals("-") ? null : Role.parse(parts[1]);
        if (role == null) {
            return KeyChange.revoked(fingerprint, at);
        }
        java.util.Set<String> projects = parts[2].equals("*") ? null
                : parts[2].isEmpty() ? java.util.Set.of() : java.util.Set.of(parts[2].split(","));
        return KeyChange.changed(fingerprint, at, role, projects);
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
    }
}
