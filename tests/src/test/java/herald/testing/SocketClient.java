package herald.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import herald.kernel.Json;
import herald.local.LocalHerald;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client of the local runtime that keeps the JSON messages it receives, each checked against the
 * AsyncAPI contract ({@link Messages}). Heartbeats (which the local runtime's schedule sends whenever it fires) are
 * counted apart, as Ayon's own clients ignore them.
 */
public final class SocketClient implements WebSocket.Listener {

    /** Every message received but heartbeats, in order. */
    public final List<JsonNode> all = new CopyOnWriteArrayList<>();
    /** The replay frames received (their events are in {@link #all}, one by one). */
    public final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    /** The heartbeats received. */
    public final BlockingQueue<JsonNode> heartbeats = new LinkedBlockingQueue<>();
    /** Messages that broke the AsyncAPI contract ({@link Messages}); reading a message fails while any did. */
    public final List<String> violations = new CopyOnWriteArrayList<>();
    private final BlockingQueue<JsonNode> unread = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    /** Completes with the close code when the server closes the connection. */
    public final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private WebSocket socket;

    /** Connects with {@code query} (e.g. {@code "?token=..."}, or empty); fails if the handshake is refused. */
    public static SocketClient connect(LocalHerald herald, String query) throws Exception {
        SocketClient client = new SocketClient();
        client.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(herald.webSocketUrl().orElseThrow() + "/" + query), client)
                .get(10, TimeUnit.SECONDS);
        return client;
    }

    /**
     * Connects and sends Ayon's auth message with {@code key} and one subscription, then waits until
     * {@code subscribers} connections hold that subscription (Ayon never answers auth).
     */
    public static SocketClient subscribed(LocalHerald herald, String key, String topic, int subscribers) throws Exception {
        SocketClient client = connect(herald, "");
        client.socket.sendText("{\"topic\":\"auth\",\"token\":\"" + key + "\",\"subscribe\":[\"" + topic + "\"]}", true)
                .get(5, TimeUnit.SECONDS);
        String table = herald.functionEnvironment("RealtimeFunction").get("SUBSCRIPTIONS_TABLE");
        await(subscribers + " connections subscribed to " + topic).atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(25))
                .until(() -> herald.dynamoDb().scanPaginator(r -> r.tableName(table)).items().stream()
                        .filter(i -> i.get("subscriptions").l().stream().anyMatch(v -> v.s().equals(topic)))
                        .count() >= subscribers);
        return client;
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                JsonNode message = Json.MAPPER.readTree(partial.toString());
                List<String> problems = Messages.problems(message);
                if (!problems.isEmpty()) {
                    violations.add(problems + " in " + message);
                }
                if ("heartbeat".equals(message.path("topic").asText()) && message.size() == 1) {
                    heartbeats.add(message);
                } else if ("replay".equals(message.path("topic").asText()) && message.has("events")) {
                    // a resume's frame: its events, each as it would come alone
                    frames.add(message);
                    message.get("events").forEach(event -> {
                        all.add(event);
                        unread.add(event);
                    });
                } else {
                    all.add(message);
                    unread.add(message);
                }
            } catch (Exception notJson) {
                // Herald sends JSON only
            }
            partial.setLength(0);
        }
        socket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
        closed.complete(-1);
    }

    /** The next unread message, or fails after 20 s. */
    public JsonNode next() throws InterruptedException {
        JsonNode message = unread.poll(20, TimeUnit.SECONDS);
        assertThat(violations).as("messages that break the AsyncAPI contract").isEmpty();
        assertThat(message).as("a message").isNotNull();
        return message;
    }

    /** The next unread message about event {@code id} (skipping others), or fails after 20 s. */
    public JsonNode next(String id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            JsonNode message = unread.poll(100, TimeUnit.MILLISECONDS);
            if (message != null && id.equals(message.path("id").asText())) {
                assertThat(violations).as("messages that break the AsyncAPI contract").isEmpty();
                return message;
            }
        }
        throw new AssertionError("no message about " + id + "; got " + all);
    }

    /** Sends a text message (an auth message), waiting until it is written. */
    public void send(String text) throws Exception {
        socket.sendText(text, true).get(5, TimeUnit.SECONDS);
    }

    /** Closes the connection, as a client that goes away does. */
    public void close() throws Exception {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
    }

    /** Whether nothing is left unread. */
    public boolean nothingUnread() {
        return unread.isEmpty();
    }
}
