package herald.realtime;

import herald.auth.KeyConnections;
import herald.kernel.Backoff;
import herald.kernel.Metrics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.LimitExceededException;

/**
 * Sends a message to every connection subscribed to its topic, through the API Gateway Management API, at most
 * {@link #CONCURRENCY} posts at a time (every post draws on the account's API Gateway request budget). A connection
 * that is gone is forgotten; one whose buffer is full (429) is retried alone with backoff; other failures are
 * collected so the caller can retry the message for those connections only.
 *
 * <p>Thread-safe.
 */
public final class Broadcaster implements KeyConnections {

    /** API Gateway refuses a WebSocket message over 128 KB. */
    public static final int MAX_MESSAGE_BYTES = 128 * 1024;
    static final int CONCURRENCY = 16;
    /** A connection whose buffer is full (429) is retried alone, after a wait that grows. */
    private static final Backoff FULL_BUFFER = Backoff.of(java.time.Duration.ofMillis(20), java.time.Duration.ofSeconds(1));
    private static final Logger LOG = LoggerFactory.getLogger(Broadcaster.class);
    private static final ExecutorService POSTS = Executors.newFixedThreadPool(CONCURRENCY, runnable -> {
        Thread thread = new Thread(runnable, "herald-broadcast");
        thread.setDaemon(true);
        return thread;
    });

    /** Where a message went: delivered to, and failed for (to retry). */
    public record Outcome(Set<String> delivered, Set<String> failed) {
    }

    private final Metrics metrics;
    private final ConnectionRegistry registry;
    private final ApiGatewayManagementApiClient connections;

    public Broadcaster(ConnectionRegistry registry, ApiGatewayManagementApiClient connections, Metrics metrics) {
        this.registry = registry;
        this.metrics = metrics;
        this.connections = connections;
    }

    /**
     * Sends {@code message} to the subscribers of {@code topic}, except those in {@code alreadyDelivered}. A stored
     * event ({@code stored}: its position and id; null for a fire-and-forget event or a progress report) goes to a
     * resuming connection's buffer instead, and a created one reaches a connection that resumed only when its replay
     * did not send it ({@link Resumption}).
     */
    public Outcome send(String topic, String project, String message, Set<String> alreadyDelivered,
            ConnectionRegistry.Held stored) {
        if (message.getBytes(StandardCharsets.UTF_8).length > MAX_MESSAGE_BYTES) {
            LOG.warn("A message of topic {} is over 128 KB and was not sent; keep summaries small", topic);
            return new Outcome(Set.of(), Set.of());
        }
        SdkBytes data = SdkBytes.fromUtf8String(message);
        Set<String> delivered = ConcurrentHashMap.newKeySet();
        Set<String> failed = ConcurrentHashMap.newKeySet();
        List<CompletableFuture<Void>> posts = new ArrayList<>();
        for (ConnectionRegistry.Subscriber subscriber : registry.subscribers(topic, project)) {
            String id = subscriber.connectionId();
            if (alreadyDelivered.contains(id)) {
                continue;
            }
            posts.add(CompletableFuture.runAsync(() -> {
                if (stored != null && !dueLive(subscriber, stored)) {
                    delivered.add(id);
                } else if (post(id, data)) {
                    delivered.add(id);
                } else {
                    failed.add(id);
                }
            }, POSTS));
        }
        CompletableFuture.allOf(posts.toArray(CompletableFuture[]::new)).join();
        return counted(new Outcome(Set.copyOf(delivered), Set.copyOf(failed)));
    }

    /**
     * Whether a stored event goes to the subscriber now: not while it resumes (the event goes to its buffer, and the
     * replay sends it), nor when the replay it ended sent the event already.
     */
    private boolean dueLive(ConnectionRegistry.Subscriber subscriber, ConnectionRegistry.Held stored) {
        String id = subscriber.connectionId();
        if (subscriber.holding()) {
            if (registry.hold(id, stored)) {
                return false;
            }
            // the replay ended after the subscription was read: its seam is on the connection
            return !stored.created() || !registry.sentByReplay(id, stored);
        }
        if (!stored.created() || subscriber.seam() == null || stored.position().compareTo(subscriber.seam()) > 0) {
            return true;
        }
        return stored.position().compareTo(subscriber.floor()) > 0 && !registry.sentByReplay(id, stored);
    }

    /**
     * Posts messages to one connection, one after another in the order given; false as soon as one cannot be
     * delivered (the connection is gone, or its buffer stays full).
     */
    public boolean sendInOrder(String connectionId, List<String> messages) {
        for (String message : messages) {
            if (attempt(connectionId, SdkBytes.fromUtf8String(message)) != Posted.DELIVERED) {
                return false;
            }
        }
        metrics.count("FanoutPosts", messages.size());
        return true;
    }

    private Outcome counted(Outcome outcome) {
        metrics.count("FanoutPosts", outcome.delivered().size());
        metrics.count("FanoutPostFailures", outcome.failed().size());
        return outcome;
    }

    /** Sends {@code message} to the given connections (a notification to a user's connections). */
    public Outcome sendTo(java.util.Collection<String> connectionIds, String message) {
        SdkBytes data = SdkBytes.fromUtf8String(message);
        Set<String> delivered = ConcurrentHashMap.newKeySet();
        Set<String> failed = ConcurrentHashMap.newKeySet();
        List<CompletableFuture<Void>> posts = new ArrayList<>();
        for (String id : connectionIds) {
            posts.add(CompletableFuture.runAsync(() -> (post(id, data) ? delivered : failed).add(id), POSTS));
        }
        CompletableFuture.allOf(posts.toArray(CompletableFuture[]::new)).join();
        return counted(new Outcome(Set.copyOf(delivered), Set.copyOf(failed)));
    }

    /**
     * Sends Ayon's {@code {"topic": "heartbeat"}} to every authenticated connection, so that none sits idle long
     * enough for API Gateway to drop it (10 minutes) and clients can tell a live connection from a dead one.
     * Connections found gone are forgotten.
     */
    public Outcome heartbeat() {
        Outcome outcome = sendTo(registry.authenticated(), EventMessages.HEARTBEAT);
        metrics.count("Heartbeats", outcome.delivered().size());
        return outcome;
    }

    /**
     * Closes the key's connections: API Gateway ends each (one already gone is simply forgotten) and the registry
     * forgets it, so no fan-out reaches it even before its {@code $disconnect} arrives.
     */
    @Override
    public void closeAllOf(String keyName) {
        for (String id : registry.allOf(keyName)) {
            try {
                connections.deleteConnection(r -> r.connectionId(id));
            } catch (GoneException gone) {
                // closed already
            }
            registry.close(id);
        }
    }

    public ConnectionRegistry registry() {
        return registry;
    }

    private enum Posted { DELIVERED, GONE, FAILED }

    /** Posts to one connection; true when delivered, or when the connection is gone (nothing left to do). */
    private boolean post(String connectionId, SdkBytes data) {
        return attempt(connectionId, data) != Posted.FAILED;
    }

    private Posted attempt(String connectionId, SdkBytes data) {
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                connections.postToConnection(r -> r.connectionId(connectionId).data(data));
                return Posted.DELIVERED;
            } catch (GoneException gone) {
                registry.close(connectionId);
                return Posted.GONE;
            } catch (LimitExceededException full) {
                if (!FULL_BUFFER.pause(attempt)) {
                    return Posted.FAILED;
                }
            } catch (RuntimeException e) {
                LOG.warn("Posting to connection {} failed: {}", connectionId, e.toString());
                return Posted.FAILED;
            }
        }
        return Posted.FAILED;
    }
}
