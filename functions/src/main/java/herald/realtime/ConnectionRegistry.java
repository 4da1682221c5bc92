package herald.realtime;

import herald.auth.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The open WebSocket connections and what each subscribed to. A connection is an item of the connections table;
 * its subscriptions are items of the subscriptions table, one per (bucket, connection), so that the subscribers
 * of a topic are three {@code Query}s, never a read of every connection. Every item carries a TTL a little past API
 * Gateway's 2-hour connection limit, and reads skip expired items, since {@code $disconnect} is not guaranteed.
 *
 * <p>Thread-safe.
 */
public final class ConnectionRegistry {

    /** API Gateway closes a connection after 2 hours; items outlive it by 10 minutes. */
    static final long LIFETIME_SECONDS = 2 * 3600 + 600;
    /**
     * Authenticated connections are spread over this many partitions of the index {@code byShard}, so that listing
     * them all (for heartbeats) is a few Queries and no partition of the index takes every connection's writes.
     */
    static final int SHARDS = 8;

    /** A subscriber: the connection, and the project it set (null: every project). */
    public record Subscriber(String connectionId, String project) {
    }

    private final DynamoDbClient dynamoDb;
    private final String connectionsTable;
    private final String subscriptionsTable;
    private final Clock clock;

    public ConnectionRegistry(DynamoDbClient dynamoDb, String connectionsTable, String subscriptionsTable, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.connectionsTable = connectionsTable;
        this.subscriptionsTable = subscriptionsTable;
        this.clock = clock;
    }

    /**
     * Records a new connection; a null principal is a connection that has not authenticated yet. A connection
     * authenticated by a key that expires ({@code keyExpiresAt}, null: never) receives nothing after that.
     */
    public void open(String connectionId, Principal principal, Instant keyExpiresAt) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("connectionId", s(connectionId));
        item.put("expiresAt", n(clock.instant().getEpochSecond() + LIFETIME_SECONDS));
        if (principal != null) {
            item.put("principal", s(principal.name()));
        }
        putKeyExpiry(item, keyExpiresAt);
        dynamoDb.putItem(r -> r.tableName(connectionsTable).item(item));
    }

    /**
     * Authenticates a connection and replaces its subscriptions and project, as a re-sent auth message does. Nothing
     * reaches it once its key expires ({@code keyExpiresAt}, null: never).
     */
    public void subscribe(String connectionId, Principal principal, Instant keyExpiresAt, Subscriptions subscriptions,
            String project) {
        long expiresAt = clock.instant().getEpochSecond() + LIFETIME_SECONDS;
        removeSubscriptions(connectionId);
        Map<String, List<String>> byBucket = new LinkedHashMap<>();
        subscriptions.entries().forEach(e -> byBucket.computeIfAbsent(Subscriptions.bucket(e), b -> new ArrayList<>()).add(e));
        byBucket.forEach((bucket, entries) -> {
            Map<String, AttributeValue> item = new HashMap<>();
            item.put("bucket", s(bucket));
            item.put("connectionId", s(connectionId));
            item.put("subscriptions", AttributeValue.fromL(entries.stream().map(ConnectionRegistry::s).toList()));
            item.put("expiresAt", n(expiresAt));
            putKeyExpiry(item, keyExpiresAt);
            if (project != null) {
                item.put("project", s(project));
            }
            if (principal.projects() != null) {
                // a key limited to projects: what it may receive, whatever project it subscribed to
                item.put("allowedProjects", principal.projects().isEmpty() ? AttributeValue.fromL(List.of())
                        : AttributeValue.fromSs(new ArrayList<>(principal.projects())));
            }
            dynamoDb.putItem(r -> r.tableName(subscriptionsTable).item(item));
        });
        Map<String, AttributeValue> connection = new HashMap<>();
        connection.put("connectionId", s(connectionId));
        connection.put("principal", s(principal.name()));
        connection.put("shard", s(shardOf(connectionId)));
        if (principal.projects() != null) {
            connection.put("allowedProjects", principal.projects().isEmpty() ? AttributeValue.fromL(List.of())
                    : AttributeValue.fromSs(new ArrayList<>(principal.projects())));
        }
        connection.put("expiresAt", n(expiresAt));
        putKeyExpiry(connection, keyExpiresAt);
        if (!byBucket.isEmpty()) {
            connection.put("buckets", AttributeValue.fromSs(new ArrayList<>(byBucket.keySet())));
        }
        dynamoDb.putItem(r -> r.tableName(connectionsTable).item(connection));
    }

    /** Forgets a connection and its subscriptions: on {@code $disconnect}, or when a post finds it gone. */
    public void close(String connectionId) {
        removeSubscriptions(connectionId);
        dynamoDb.deleteItem(r -> r.tableName(connectionsTable).key(Map.of("connectionId", s(connectionId))));
    }

    /**
     * The live connections subscribed to {@code topic} that accept an event of {@code project}: the project they
     * subscribed to, and the projects their key is limited to, allow it.
     */
    public List<Subscriber> subscribers(String topic, String project) {
        long now = clock.instant().getEpochSecond();
        Map<String, Subscriber> found = new LinkedHashMap<>();
        for (String bucket : new LinkedHashSet<>(Subscriptions.bucketsFor(topic))) {
            for (var item : dynamoDb.queryPaginator(r -> r.tableName(subscriptionsTable)
                    .keyConditionExpression("#b = :b")
                    .expressionAttributeNames(Map.of("#b", "bucket"))
                    .expressionAttributeValues(Map.of(":b", s(bucket)))).items()) {
                if (!live(item, now)) {
                    continue;
                }
                String subscribedProject = item.containsKey("project") ? item.get("project").s() : null;
                boolean projectAccepts = project == null || subscribedProject == null || subscribedProject.equals(project);
                if (project != null && item.containsKey("allowedProjects")
                        && !(item.get("allowedProjects").hasSs() && item.get("allowedProjects").ss().contains(project))) {
                    projectAccepts = false;
                }
                List<String> entries = item.get("subscriptions").l().stream().map(AttributeValue::s).toList();
                if (projectAccepts && Subscriptions.of(entries).matches(topic)) {
                    String id = item.get("connectionId").s();
                    found.put(id, new Subscriber(id, subscribedProject));
                }
            }
        }
        return new ArrayList<>(found.values());
    }

    /**
     * The live connections of a user (the key name they authenticated with) whose key may see an event of
     * {@code project} (null: of no project), from the connections table's index {@code byPrincipal}: one Query.
     */
    public List<String> connectionsOf(String user, String project) {
        long now = clock.instant().getEpochSecond();
        List<String> found = new ArrayList<>();
        for (var item : byPrincipal(user)) {
            boolean allowed = project == null || !item.containsKey("allowedProjects")
                    || item.get("allowedProjects").hasSs() && item.get("allowedProjects").ss().contains(project);
            if (allowed && live(item, now)) {
                found.add(item.get("connectionId").s());
            }
        }
        return found;
    }

    /** Every connection the key named {@code keyName} authenticated, live or not: the ones to close when it changes. */
    public List<String> allOf(String keyName) {
        List<String> found = new ArrayList<>();
        for (var item : byPrincipal(keyName)) {
            found.add(item.get("connectionId").s());
        }
        return found;
    }

    /**
     * Every live authenticated connection, from the connections table's index {@code byShard}: one paginated Query
     * per shard, never a Scan. A connection that has not authenticated is in no shard.
     */
    public List<String> authenticated() {
        long now = clock.instant().getEpochSecond();
        List<String> found = new ArrayList<>();
        for (int shard = 0; shard < SHARDS; shard++) {
            String value = Integer.toString(shard);
            for (var item : dynamoDb.queryPaginator(r -> r.tableName(connectionsTable).indexName("byShard")
                    .keyConditionExpression("#shard = :s")
                    .expressionAttributeNames(Map.of("#shard", "shard"))
                    .expressionAttributeValues(Map.of(":s", s(value)))).items()) {
                if (live(item, now)) {
                    found.add(item.get("connectionId").s());
                }
            }
        }
        return found;
    }

    static String shardOf(String connectionId) {
        return Integer.toString(Math.floorMod(connectionId.hashCode(), SHARDS));
    }

    /** The connection items of a principal, from the index {@code byPrincipal}: one paginated Query. */
    private Iterable<Map<String, AttributeValue>> byPrincipal(String principal) {
        return dynamoDb.queryPaginator(r -> r.tableName(connectionsTable).indexName("byPrincipal")
                .keyConditionExpression("principal = :p")
                .expressionAttributeValues(Map.of(":p", s(principal)))).items();
    }

    /** An item that has not outlived API Gateway's connection limit, nor its key. */
    private static boolean live(Map<String, AttributeValue> item, long now) {
        return Long.parseLong(item.get("expiresAt").n()) > now
                && (!item.containsKey("keyExpiresAt") || Long.parseLong(item.get("keyExpiresAt").n()) > now);
    }

    private static void putKeyExpiry(Map<String, AttributeValue> item, Instant keyExpiresAt) {
        if (keyExpiresAt != null) {
            item.put("keyExpiresAt", n(keyExpiresAt.getEpochSecond()));
        }
    }

    private void removeSubscriptions(String connectionId) {
        var item = dynamoDb.getItem(r -> r.tableName(connectionsTable)
                .key(Map.of("connectionId", s(connectionId))).consistentRead(true)).item();
        Set<String> buckets = item != null && item.containsKey("buckets") ? Set.copyOf(item.get("buckets").ss()) : Set.of();
        for (String bucket : buckets) {
            dynamoDb.deleteItem(r -> r.tableName(subscriptionsTable)
                    .key(Map.of("bucket", s(bucket), "connectionId", s(connectionId))));
        }
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
