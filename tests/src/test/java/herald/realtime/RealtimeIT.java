package herald.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import herald.local.LocalHerald;
import herald.testing.HeraldClient;
import herald.testing.LocalHeraldExtension;
import herald.testing.Messages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Realtime delivery end to end: real WebSocket clients, the events API, the stream, FanoutFunction, @connections. */
@ExtendWith(LocalHeraldExtension.class)
class RealtimeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final HeraldClient api;
    private final LocalHerald herald;
    private final String prefix = "rt" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    RealtimeIT(HeraldClient api, LocalHerald herald) {
        this.api = api;
        this.herald = herald;
    }

    /** A WebSocket client that keeps what it receives, but heartbeats. */
    private static final class Client implements WebSocket.Listener {
        final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        WebSocket socket;

        /** A message may arrive in several parts; it is complete when {@code last} is true. */
        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode message = JSON.readTree(partial.toString());
                    if (!Messages.problems(message).isEmpty()) {
                        message = JSON.createObjectNode().put("contract", "broken: "
                                + Messages.problems(message)).set("message", message);
                    }
                    // heartbeats come whenever the local runtime's schedule fires; HeartbeatIT tests them
                    if (!"heartbeat".equals(message.path("topic").asText())) {
                        received.add(message);
                    }
                } catch (Exception e) {
                    received.add(JSON.createObjectNode().put("unparsable", partial.toString()));
                }
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }

        /** The next message about event {@code id}, skipping others, or fails after 20 s. */
        JsonNode next(String id) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                JsonNode message = received.poll(100, TimeUnit.MILLISECONDS);
                if (message != null && id.equals(message.path("id").asText())) {
                    return message;
                }
            }
            throw new AssertionError("No message about " + id);
        }

        /** The next message of any kind, or fails after 20 s. */
        JsonNode next() throws InterruptedException {
            JsonNode message = received.poll(20, TimeUnit.SECONDS);
            assertThat(message).as("a message").isNotNull();
            return message;
        }
    }

    private Client connect(String query) throws Exception {
        Client client = new Client();
        client.socket = HTTP.newWebSocketBuilder()
                .buildAsync(URI.create(herald.webSocketUrl().orElseThrow() + "/" + query), client)
                .get(10, TimeUnit.SECONDS);
        return client;
    }

    /** Connects and sends Ayon's auth message; returns once the subscriptions are stored (Ayon never replies). */
    private Client subscribed(String... subscribe) throws Exception {
        Client client = connect("");
        authenticate(client, subscribe);
        return client;
    }

    private void authenticate(Client client, String... subscribe) throws Exception {
        StringBuilder list = new StringBuilder();
        for (String topic : subscribe) {
            list.append(list.length() == 0 ? "" : ",").append('"').append(topic).append('"');
        }
        client.socket.sendText("{\"topic\":\"auth\",\"token\":\"" + LocalHeraldExtension.API_KEY + "\",\"subscribe\":["
                + list + "]}", true).get(5, TimeUnit.SECONDS);
        awaitSubscriptions(subscribe[subscribe.length - 1], 1);
    }

    /** Waits (up to 20 s) until {@code count} connections hold {@code subscription}. */
    private void awaitSubscriptions(String subscription, int count) throws InterruptedException {
        String table = herald.functionEnvironment("RealtimeFunction").get("SUBSCRIPTIONS_TABLE");
        await(count + " connections subscribed to " + subscription).atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> herald.dynamoDb().queryPaginator(r -> r.tableName(table).keyConditionExpression("#b = :b")
                                .expressionAttributeNames(Map.of("#b", "bucket"))
                                .expressionAttributeValues(Map.of(":b", AttributeValue.fromS(Subscriptions.bucket(subscription)))))
                        .items().stream()
                        .filter(item -> item.get("subscriptions").l().stream().anyMatch(v -> v.s().equals(subscription)))
                        .count() >= count);
    }

    @Test
    void subscribersReceiveStoredEventsAsTheyAreDispatchedAndUpdated() throws Exception {
        Client byPrefix = subscribed(prefix + ".ent");
        Client everything = subscribed("*", prefix + "_all");
        Client byPattern = subscribed(prefix + ".*.created");

        String id = api.dispatch("{\"topic\":\"" + prefix + ".entity.created\",\"finished\":false,\"payload\":{\"secret\":1},"
                + "\"summary\":{\"entityId\":\"e1\"},\"description\":\"made\"}");
        JsonNode created = byPrefix.next(id);
        List<String> keys = new ArrayList<>();
        created.fieldNames().forEachRemaining(keys::add);
        // Ayon's keys, and the cursor a client sends back to resume
        assertThat(keys).containsExactly("createdAt", "cursor", "dependsOn", "description", "id", "progress", "project",
                "sender", "senderType", "status", "store", "summary", "topic", "updatedAt", "user");
        assertThat(created.get("store").asBoolean()).isTrue();
        assertThat(created.get("progress").asInt()).isZero();
        assertThat(created.get("summary").get("entityId").asText()).isEqualTo("e1");
        assertThat(everything.next(id).get("status").asText()).isEqualTo("pending");
        assertThat(byPattern.next(id).get("topic").asText()).isEqualTo(prefix + ".entity.created");

        assertThat(api.patch("/api/events/" + id, "{\"status\":\"in_progress\",\"description\":\"working\"}").status())
                .isEqualTo(204);
        JsonNode updated = byPrefix.next(id);
        assertThat(updated.get("status").asText()).isEqualTo("in_progress");
        assertThat(updated.get("description").asText()).isEqualTo("working");
        assertThat(updated.has("store")).isFalse();
        assertThat(updated.has("cursor")).isFalse();
        assertThat(updated.has("progress")).isFalse();
    }

    @Test
    void fireAndForgetEventsAndProgressReachSubscribersButAreNeverStored() throws Exception {
        Client client = subscribed(prefix);
        String volatileId = api.dispatch("{\"topic\":\"" + prefix + ".ping\",\"store\":false}");
        JsonNode ping = client.next(volatileId);
        assertThat(ping.get("store").asBoolean()).isFalse();
        assertThat(ping.has("cursor")).as("a fire-and-forget event has no position to resume from").isFalse();
        assertThat(ping.get("progress").asInt()).isEqualTo(100);
        assertThat(api.get("/api/events/" + volatileId).status()).isEqualTo(404);

        String job = api.dispatch("{\"topic\":\"" + prefix + ".job\",\"finished\":false}");
        client.next(job);
        assertThat(api.patch("/api/events/" + job, "{\"progress\":42.5,\"description\":\"halfway\"}").status())
                .isEqualTo(204);
        // one message per PATCH, as Ayon sends: the progress with the stored fields as updated
        JsonNode progress = client.next(job);
        assertThat(progress.get("progress").asDouble()).isEqualTo(42.5);
        assertThat(progress.get("description").asText()).isEqualTo("halfway");
        assertThat(api.patch("/api/events/" + job, "{\"description\":\"three quarters\"}").status()).isEqualTo(204);
        JsonNode plain = client.next(job);
        assertThat(plain.get("description").asText()).as("no second message of the progress PATCH")
                .isEqualTo("three quarters");
        assertThat(plain.has("progress")).as("a PATCH without progress reports none").isFalse();
        assertThat(api.get("/api/events/" + job).json().has("progress")).isFalse();
    }

    @Test
    void connectionsThatAreNotAuthenticatedOrSubscribedElsewhereReceiveNothing() throws Exception {
        Client elsewhere = subscribed(prefix + "_other");
        Client anonymous = connect("");
        Client keyOnly = connect("?token=" + LocalHeraldExtension.API_KEY);
        String missed = api.dispatch("{\"topic\":\"" + prefix + ".secret\"}");
        Client witness = subscribed(prefix + ".secret");
        String seen = api.dispatch("{\"topic\":\"" + prefix + ".secret\"}");
        witness.next(seen);

        String sentinel = api.dispatch("{\"topic\":\"" + prefix + "_other.x\"}");
        assertThat(elsewhere.next().get("id").asText()).isEqualTo(sentinel);

        authenticate(anonymous, prefix + ".later");
        authenticate(keyOnly, prefix + ".later2");
        String first = api.dispatch("{\"topic\":\"" + prefix + ".later\"}");
        String second = api.dispatch("{\"topic\":\"" + prefix + ".later2\"}");
        assertThat(anonymous.next().get("id").asText()).isEqualTo(first);
        assertThat(keyOnly.next().get("id").asText()).isEqualTo(second);
        assertThat(missed).isNotEqualTo(seen);
    }

    @Test
    void aWrongKeyAtConnectIsRefused() {
        // API Gateway answers the refused handshake with $connect's status; the local server with a 404. Refused either way.
        assertThatThrownBy(() -> connect("?token=not-the-key"))
                .hasRootCauseMessage("Unexpected HTTP response status code 404");
    }

    @Test
    void aConnectionWhoseDisconnectNeverCameIsRemovedAfterTheFirstFailedPost() throws Exception {
        Map<String, String> environment = herald.functionEnvironment("RealtimeFunction");
        String ghost = "Gh0st" + UUID.randomUUID().toString().replace("-", "").substring(0, 6) + "=";
        String topic = prefix + ".ghost";
        Map<String, AttributeValue> subscription = new HashMap<>();
        subscription.put("bucket", AttributeValue.fromS(Subscriptions.bucket(topic)));
        subscription.put("connectionId", AttributeValue.fromS(ghost));
        subscription.put("subscriptions", AttributeValue.fromL(List.of(AttributeValue.fromS(topic))));
        subscription.put("expiresAt", AttributeValue.fromN(Long.toString(System.currentTimeMillis() / 1000 + 3600)));
        herald.dynamoDb().putItem(r -> r.tableName(environment.get("SUBSCRIPTIONS_TABLE")).item(subscription));
        herald.dynamoDb().putItem(r -> r.tableName(environment.get("CONNECTIONS_TABLE")).item(Map.of(
                "connectionId", AttributeValue.fromS(ghost),
                "buckets", AttributeValue.fromSs(List.of(Subscriptions.bucket(topic))),
                "expiresAt", AttributeValue.fromN(Long.toString(System.currentTimeMillis() / 1000 + 3600)))));
        Client witness = subscribed(topic);
        String id = api.dispatch("{\"topic\":\"" + topic + "\"}");
        witness.next(id);
        await("the vanished connection was forgotten").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> herald.dynamoDb().getItem(r -> r.tableName(environment.get("CONNECTIONS_TABLE"))
                        .key(Map.of("connectionId", AttributeValue.fromS(ghost))).consistentRead(true)).item().isEmpty());
    }

    @Test
    void twoHundredClientsEachReceiveABurstOfAHundredEventsOnce() throws Exception {
        String topic = prefix + ".burst";
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Client client = connect("");
            client.socket.sendText("{\"topic\":\"auth\",\"token\":\"" + LocalHeraldExtension.API_KEY
                    + "\",\"subscribe\":[\"" + topic + "\"]}", true);
            clients.add(client);
        }
        awaitSubscriptions(topic, 200);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<String> ids = new ArrayList<>();
        try {
            List<Future<String>> sent = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                sent.add(pool.submit(() -> api.dispatch("{\"topic\":\"" + topic + "\"}")));
            }
            for (Future<String> id : sent) {
                ids.add(id.get());
            }
        } finally {
            pool.shutdownNow();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        for (Client client : clients) {
            List<String> got = new ArrayList<>();
            while (got.size() < 100 && System.nanoTime() < deadline) {
                JsonNode message = client.received.poll(100, TimeUnit.MILLISECONDS);
                if (message != null) {
                    got.add(message.get("id").asText());
                }
            }
            JsonNode extra = client.received.poll(200, TimeUnit.MILLISECONDS);
            assertThat(got).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
            assertThat(extra).as("no message after the hundred").isNull();
        }
    }
}
