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
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

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
    /** The most events a resuming connection's buffer holds (about 100 bytes each, far below an item's 400 KB). */
    static final int MAX_HELD = 2_000;

    /**
     * A subscriber: the connection, the project it set (null: every project), and where it stands in a resume
     * ({@link Resumption}): {@code holding} while its replay runs (stored events go to its buffer, not to it), and
     * after that the {@code seam} (the newest position the replay sent) and the {@code floor} below which every event
     * was the replay's to send.
     */
    public record Subscriber(String connectionId, String project, boolean holding, String seam, String floor) {
    }

    /** A stored event the fan-out put in a resuming connection's buffer: its position, id, and whether it was created. */
    public record Held(String position, String id, boolean created) {
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
     * reaches it once its key expires ({@code keyExpiresAt}, null: never). A {@code holding} connection is about to
     * resume: until {@link #release} the fan-out puts its stored events in its buffer instead of sending them. The
     * connection's item is written before its subscriptions, so a fan-out that finds a subscription finds its buffer.
     */
    public void subscribe(String connectionId, Principal principal, Instant keyExpiresAt, Subscriptions subscriptions,
            String project, boolean holding) {
        long expiresAt = clock.instant().getEpochSecond() + LIFETIME_SECONDS;
        removeSubscriptions(connectionId);
        Map<String, List<String>> byBucket = new LinkedHashMap<>();
        subscriptions.entries().forEach(e -> byBucket.computeIfAbsent(Subscriptions.bucket(e), b -> new ArrayList<>()).add(e));
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
        if (holding) {
            connection.put("holding", AttributeValue.fromBool(true));
            connection.put("buffer", AttributeValue.fromL(List.of()));
        }
        dynamoDb.putItem(r -> r.tableName(connectionsTable).item(connection));
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
            if (holding) {
                item.put("holding", AttributeValue.fromBool(true));
            }
            if (principal.projects() != null) {
                // a key limited to projects: what it may receive, whatever project it subscribed to
                item.put("allowedProjects", principal.projects().isEmpty() ? AttributeValue.fromL(List.of())
                        : AttributeValue.fromSs(new ArrayList<>(principal.projects())));
            }
            dynamoDb.putItem(r -> r.tableName(subscriptionsTable).item(item));
        });
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
                    found.put(id, new Subscriber(id, subscribedProject,
                            item.containsKey("holding") && Boolean.TRUE.equals(item.get("holding").bool()),
                            text(item, "resumeSeam"), text(item, "resumeFloor")));
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

    /**
     * Puts a stored event in a resuming connection's buffer; false when the connection is no longer holding (its
     * replay has ended: the caller decides by the seam instead). A buffer that would outgrow its item is not written,
     * and the replay that reads it finds {@code overflowed} set and answers with a resync.
     */
    public boolean hold(String connectionId, Held held) {
        AttributeValue entry = AttributeValue.fromM(Map.of("p", s(held.position()), "i", s(held.id()),
                "c", AttributeValue.fromBool(held.created())));
        try {
            dynamoDb.updateItem(r -> r.tableName(connectionsTable).key(Map.of("connectionId", s(connectionId)))
                    .updateExpression("SET #buffer = list_append(#buffer, :entry)")
                    .conditionExpression("#holding = :true AND size(#buffer) < :most")
                    .expressionAttributeNames(Map.of("#buffer", "buffer", "#holding", "holding"))
                    .expressionAttributeValues(Map.of(":entry", AttributeValue.fromL(List.of(entry)),
                            ":true", AttributeValue.fromBool(true), ":most", n(MAX_HELD))));
            return true;
        } catch (ConditionalCheckFailedException notHolding) {
            try {
                dynamoDb.updateItem(r -> r.tableName(connectionsTable).key(Map.of("connectionId", s(connectionId)))
                        .updateExpression("SET overflowed = :true")
                        .conditionExpression("#holding = :true")
                        .expressionAttributeNames(Map.of("#holding", "holding"))
                        .expressionAttributeValues(Map.of(":true", AttributeValue.fromBool(true))));
                return true;
            } catch (ConditionalCheckFailedException released) {
                return false;
            }
        }
    }

    /** What a resuming connection's buffer held, and whether it overflowed; null when the connection is gone. */
    public record Buffer(List<Held> held, boolean overflowed) {
    }

    /**
     * Takes what a resuming connection's buffer holds, oldest first, and empties it: a read, then a write on the
     * condition that nothing was added in between (else it reads again). Null when the connection is gone or no
     * longer holding.
     */
    public Buffer drain(String connectionId) {
        while (true) {
            var item = dynamoDb.getItem(r -> r.tableName(connectionsTable)
                    .key(Map.of("connectionId", s(connectionId))).consistentRead(true)).item();
            if (item == null || !item.containsKey("holding")) {
                return null;
            }
            List<AttributeValue> entries = item.containsKey("buffer") ? item.get("buffer").l() : List.of();
            boolean overflowed = item.containsKey("overflowed");
            if (!entries.isEmpty()) {
                try {
                    dynamoDb.updateItem(r -> r.tableName(connectionsTable).key(Map.of("connectionId", s(connectionId)))
                            .updateExpression("SET #buffer = :empty")
                            .conditionExpression("size(#buffer) = :read")
                            .expressionAttributeNames(Map.of("#buffer", "buffer"))
                            .expressionAttributeValues(Map.of(":empty", AttributeValue.fromL(List.of()),
                                    ":read", n(entries.size()))));
                } catch (ConditionalCheckFailedException added) {
                    continue;
                }
            }
            List<Held> held = new ArrayList<>();
            for (AttributeValue entry : entries) {
                held.add(new Held(entry.m().get("p").s(), entry.m().get("i").s(), entry.m().get("c").bool()));
            }
            return new Buffer(held, overflowed);
        }
    }

    /**
     * Ends a connection's replay: from now on the fan-out sends its events, but a created event at or before
     * {@code seam} (the newest position the replay sent, null: it sent none) only when the replay did not: never at or
     * below {@code floor}, and above it unless its id is in {@code replayed}. False when the buffer is not empty
     * (the caller drains it and tries again) or the connection is gone.
     */
    public boolean release(String connectionId, String seam, String floor, Set<String> replayed) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":zero", n(0), ":true", AttributeValue.fromBool(true)));
        StringBuilder set = new StringBuilder();
        if (seam != null) {
            values.put(":seam", s(seam));
            values.put(":floor", s(floor));
            set.append("SET resumeSeam = :seam, resumeFloor = :floor");
            if (!replayed.isEmpty()) {
                values.put(":replayed", AttributeValue.fromSs(new ArrayList<>(replayed)));
                set.append(", resumeSent = :replayed");
            }
        }
        try {
            dynamoDb.updateItem(r -> r.tableName(connectionsTable).key(Map.of("connectionId", s(connectionId)))
                    .updateExpression(set + " REMOVE #holding, #buffer, overflowed")
                    .conditionExpression("#holding = :true AND size(#buffer) = :zero")
                    .expressionAttributeNames(Map.of("#holding", "holding", "#buffer", "buffer"))
                    .expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException notYet) {
            return false;
        }
        var item = dynamoDb.getItem(r -> r.tableName(connectionsTable)
                .key(Map.of("connectionId", s(connectionId))).consistentRead(true)).item();
        for (String bucket : item != null && item.containsKey("buckets") ? item.get("buckets").ss() : List.<String>of()) {
            Map<String, AttributeValue> subscriptionValues = new HashMap<>();
            StringBuilder update = new StringBuilder();
            if (seam != null) {
                subscriptionValues.put(":seam", s(seam));
                subscriptionValues.put(":floor", s(floor));
                update.append("SET resumeSeam = :seam, resumeFloor = :floor ");
            }
            try {
                dynamoDb.updateItem(r -> r.tableName(subscriptionsTable)
                        .key(Map.of("bucket", s(bucket), "connectionId", s(connectionId)))
                        .updateExpression(update + "REMOVE #holding")
                        .conditionExpression("attribute_exists(connectionId)")
                        .expressionAttributeNames(Map.of("#holding", "holding"))
                        .expressionAttributeValues(subscriptionValues.isEmpty() ? null : subscriptionValues));
            } catch (ConditionalCheckFailedException gone) {
                // replaced by a newer auth message, or closed
            }
        }
        return true;
    }

    /**
     * Whether the replay that ended on this connection had a created event to send: at or below its floor every
     * event was the replay's; between floor and seam, those whose ids it recorded. The fan-out asks only for an event
     * at or before the seam, which reaches it late (a write that took long, or a stream that lagged).
     */
    public boolean sentByReplay(String connectionId, Held stored) {
        var item = dynamoDb.getItem(r -> r.tableName(connectionsTable)
                .key(Map.of("connectionId", s(connectionId))).consistentRead(true)
                .projectionExpression("resumeSeam, resumeFloor, resumeSent")).item();
        if (item == null || !item.containsKey("resumeSeam") || stored.position().compareTo(item.get("resumeSeam").s()) > 0) {
            return false;
        }
        return stored.position().compareTo(item.get("resumeFloor").s()) <= 0
                || item.containsKey("resumeSent") && item.get("resumeSent").ss().contains(stored.id());
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

    private static String text(Map<String, AttributeValue> item, String name) {
        return item.containsKey(name) ? item.get(name).s() : null;
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
