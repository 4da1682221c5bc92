package herald.bench;

import com.fasterxml.jackson.databind.JsonNode;
import herald.events.EventsTable;
import herald.events.TopicRegistry;
import herald.kernel.Json;
import herald.local.LocalHerald;
import herald.query.QueryStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Replay, on the local runtime: (a) a WebSocket client disconnects, 1,000 events are dispatched, and it resumes
 * with the cursor of the last event it received while more events keep arriving: the time from its auth message
 * until it has all 1,000, beside the time to read the same 1,000 with direct {@code Query}s of the time index (its
 * sixteen shards) in the same run (goal: ratio at most 1.5), subscribed to {@code *} (the resume reads the time
 * index) and, for comparison, to the events' prefix (it reads their topic's partition); the events missing,
 * received twice, and out of creation order in the replay (goal: none), and the inversions of creation order in
 * what came after it (the stream's order, reported); (b) the newest 100 events without topics, with 50 and with
 * 5,000 topics registered: items read and latency (goal: flat).
 */
final class ReplayBenchmark {

    private static final String KEY = "bench-admin-key-0123456789abcdef-0123456789";
    private static final int MISSED = Benchmarks.size(1_000, 20);
    private static final int DURING = Benchmarks.size(200, 5);
    private static final int REPEATS = Benchmarks.size(5, 1);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ReplayBenchmark() {
    }

    /** A client that keeps every event message it receives, with when it arrived. */
    private static final class Client implements WebSocket.Listener {
        final List<JsonNode> events = new CopyOnWriteArrayList<>();
        final List<Long> arrivals = new CopyOnWriteArrayList<>();
        private final StringBuilder partial = new StringBuilder();
        WebSocket socket;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode message = Json.MAPPER.readTree(partial.toString());
                    long now = System.nanoTime();
                    if (message.has("id") && message.has("cursor")) {
                        events.add(message);
                        arrivals.add(now);
                    } else if (message.path("topic").asText().equals("replay")) {
                        message.get("events").forEach(event -> {
                            events.add(event);
                            arrivals.add(now);
                        });
                    } else if (message.path("topic").asText().equals("resync")) {
                        throw new IllegalStateException("Herald answered the resume with a resync");
                    }
                } catch (java.io.IOException notJson) {
                    // Herald sends JSON only
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        static Client connect(LocalHerald herald, String prefix, String since) throws Exception {
            Client client = open(herald);
            client.auth(prefix, since);
            return client;
        }

        static Client open(LocalHerald herald) throws Exception {
            Client client = new Client();
            client.socket = HTTP.newWebSocketBuilder().buildAsync(herald.webSocketUrl().orElseThrow(), client)
                    .get(10, TimeUnit.SECONDS);
            return client;
        }

        void auth(String prefix, String since) throws Exception {
            socket.sendText("{\"topic\":\"auth\",\"token\":\"" + KEY + "\",\"subscribe\":[\"" + prefix + "\"]"
                    + (since == null ? "" : ",\"since\":\"" + since + "\"") + "}", true).get(5, TimeUnit.SECONDS);
        }

        int indexOf(String id) {
            for (int i = 0; i < events.size(); i++) {
                if (id.equals(events.get(i).path("id").asText())) {
                    return i;
                }
            }
            return -1;
        }
    }

    static void run(Path template) throws Exception {
        try (LocalHerald herald = LocalHerald.start(template, "127.0.0.1", 0,
                Map.of("AdminApiKey", KEY, "ResumeMaxEvents", "10000"))) {
            System.out.println();
            System.out.println("Replay benchmark: WebSocket resume and the time index, local runtime");
            List<String> missed = new ArrayList<>();
            // subscribed to everything, the resume reads the time index itself; to a prefix, that topic's partition
            resume(herald, "*", true, missed);
            resume(herald, null, false, missed);
            topicsDoNotMatter(herald);
            if (!Benchmarks.smoke() && !missed.isEmpty()) {
                throw new IllegalStateException("goals missed: " + missed);
            }
            System.out.println(Benchmarks.smoke() ? "  (smoke: figures not judged)" : "  goals met");
        }
    }

    /**
     * One resume scenario, {@code REPEATS} times: the resumed client subscribes to {@code subscription} (null: its
     * round's prefix); {@code judged}: whether the ratio is held to its goal.
     */
    private static void resume(LocalHerald herald, String subscription, boolean judged, List<String> missedGoals)
            throws Exception {
        Map<String, String> environment = herald.functionEnvironment("RealtimeFunction");
        DynamoDbClient dynamoDb = Seeding.functionLikeClient(environment);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Double> resumeMillis = new ArrayList<>();
            List<Double> directMillis = new ArrayList<>();
            int missing = 0;
            int duplicates = 0;
            int outOfOrder = 0;
            int liveInversions = 0;
            for (int round = 0; round < REPEATS; round++) {
                String prefix = "bench.rp" + (subscription == null ? "p" : "a") + round;
                String topic = prefix + ".events";
                Client live = Client.connect(herald, prefix, null);
                await(() -> subscribed(herald, prefix) >= 1, "the first client's subscription");
                String first = dispatch(herald, topic);
                await(() -> live.indexOf(first) >= 0, "the first event");
                String cursor = live.events.get(live.indexOf(first)).get("cursor").asText();
                live.socket.sendClose(WebSocket.NORMAL_CLOSURE, "away").get(5, TimeUnit.SECONDS);

                // the client is away while 1,000 events are dispatched (four at a time)
                List<Future<String>> dispatched = new ArrayList<>();
                for (int i = 0; i < MISSED; i++) {
                    dispatched.add(pool.submit(() -> dispatch(herald, topic)));
                }
                Set<String> away = new HashSet<>();
                for (Future<String> id : dispatched) {
                    away.add(id.get());
                }
                // it comes back while more keep arriving, one after another
                List<String> during = new CopyOnWriteArrayList<>();
                CompletableFuture<Void> arriving = CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < DURING; i++) {
                        during.add(dispatch(herald, topic));
                    }
                });
                // timed from the auth message: the connection itself is opened first, as a reconnecting client does
                Client resumed = Client.open(herald);
                long start = System.nanoTime();
                resumed.auth(subscription == null ? prefix : subscription, cursor);
                await(() -> resumed.events.stream().filter(m -> away.contains(m.path("id").asText())).count() >= MISSED,
                        "the missed events");
                long last = 0;
                for (int i = 0; i < resumed.events.size(); i++) {
                    if (away.contains(resumed.events.get(i).path("id").asText())) {
                        last = Math.max(last, resumed.arrivals.get(i));
                    }
                }
                resumeMillis.add((last - start) / 1e6);
                arriving.get(120, TimeUnit.SECONDS);
                await(() -> resumed.events.stream().filter(m -> during.contains(m.path("id").asText())).count()
                        >= DURING, "the events dispatched during the resume");
                String marker = dispatch(herald, topic);
                await(() -> resumed.indexOf(marker) >= 0, "the marker");

                Set<String> expected = new HashSet<>(away);
                expected.addAll(during);
                expected.add(marker);
                List<String> received = new ArrayList<>();
                String previous = "";
                String previousLive = "";
                int seen = 0;
                for (JsonNode message : resumed.events) {
                    String id = message.path("id").asText();
                    received.add(id);
                    String position = position(message.path("cursor").asText());
                    if (seen < away.size()) {
                        // the replay: every missed event, before anything else, in creation order
                        if (!away.contains(id) || position.compareTo(previous) <= 0) {
                            outOfOrder++;
                        }
                        previous = position;
                        seen++;
                    } else {
                        if (position.compareTo(previousLive) <= 0) {
                            liveInversions++;
                        }
                        previousLive = position;
                    }
                }
                Set<String> distinct = new HashSet<>(received);
                duplicates += received.size() - distinct.size();
                expected.removeAll(distinct);
                missing += expected.size();
                resumed.socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);

                // the baseline: the same events read with direct Queries of the time index's shards
                String from = position(cursor);
                directMillis.add(time(() -> directRead(dynamoDb, environment.get("EVENTS_TABLE"), from, away)));
            }
            double resume = Seeding.median(resumeMillis);
            double direct = Seeding.median(directMillis);
            System.out.printf("  (a) resume after %,d missed events, %d more arriving meanwhile, subscribed to %s, "
                    + "median of %d%n", MISSED, DURING, subscription == null ? "their topic's prefix (byTopic)"
                    : "\"*\" (the time index)", REPEATS);
            System.out.printf("      %-60s %10.1f ms%n", "resume: auth with since until all missed received", resume);
            System.out.printf("      %-60s %10.1f ms%n", "baseline: direct Queries of byTime's 16 shards", direct);
            System.out.printf("      ratio resume / direct %.2f (%s)%n", resume / direct,
                    judged ? "goal: at most 1.5" : "for comparison: another index than the baseline's");
            System.out.printf("      missing %d, twice %d, replay out of creation order %d (goal: 0, 0, 0)%n", missing,
                    duplicates, outOfOrder);
            System.out.printf("      after the replay, inversions of creation order %d (not judged: the stream's order, "
                    + "which is per item)%n", liveInversions);
            if (judged && resume / direct > 1.5) {
                missedGoals.add(String.format("resume / direct %.2f > 1.5", resume / direct));
            }
            if (missing + duplicates + outOfOrder > 0) {
                missedGoals.add("missing " + missing + ", twice " + duplicates + ", out of order " + outOfOrder);
            }
        } finally {
            pool.shutdownNow();
            dynamoDb.close();
        }
    }

    /** (b): the query benchmark's listing without topics, here with 50 and then 5,000 topics registered. */
    private static void topicsDoNotMatter(LocalHerald herald) {
        Map<String, String> environment = herald.functionEnvironment("QueryFunction");
        DynamoDbClient dynamoDb = Seeding.functionLikeClient(environment);
        try {
            TopicRegistry registry = new TopicRegistry(dynamoDb, environment.get("TOPICS_TABLE"));
            for (int t = 0; t < 49; t++) {
                registry.remember(String.format("bench.q.t%02d", t));
            }
            System.out.println("  (b) newest 100 events without topics                     latency ms   items read");
            QueryBenchmark.everything(dynamoDb, environment,
                    new QueryStore(dynamoDb, environment.get("EVENTS_TABLE"), registry));
        } finally {
            dynamoDb.close();
        }
    }

    /** Every event after {@code from} in the time index: each of today's shards queried, page after page. */
    private static void directRead(DynamoDbClient dynamoDb, String table, String from, Set<String> wanted) {
        String day = EventsTable.day(from);
        Set<String> found = new HashSet<>();
        for (int shard = 0; shard < EventsTable.TIME_SHARDS; shard++) {
            String key = day + "#" + shard;
            dynamoDb.queryPaginator(r -> r.tableName(table).indexName(EventsTable.BY_TIME)
                            .keyConditionExpression("#s = :s AND createdKey > :from")
                            .expressionAttributeNames(Map.of("#s", EventsTable.TIME_SHARD))
                            .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(key),
                                    ":from", AttributeValue.fromS(from))))
                    .items().forEach(item -> found.add(item.get("id").s()));
        }
        if (!found.containsAll(wanted)) {
            throw new IllegalStateException("the time index lacks events that were dispatched");
        }
    }

    private static String position(String cursor) {
        return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    }

    private static int subscribed(LocalHerald herald, String prefix) {
        String table = herald.functionEnvironment("RealtimeFunction").get("SUBSCRIPTIONS_TABLE");
        return (int) herald.dynamoDb().queryPaginator(r -> r.tableName(table).keyConditionExpression("#b = :b")
                        .expressionAttributeNames(Map.of("#b", "bucket"))
                        .expressionAttributeValues(Map.of(":b", AttributeValue.fromS("be"))))
                .items().stream().filter(i -> i.get("subscriptions").l().stream().anyMatch(v -> v.s().equals(prefix)))
                .count();
    }

    private static String dispatch(LocalHerald herald, String topic) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(herald.baseUrl() + "/api/events"))
                    .header("X-Api-Key", KEY)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"topic\":\"" + topic + "\",\"summary\":{\"file\":"
                            + "\"/projects/demo/shot_010/v001.exr\"}}")).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Dispatch failed: " + response.body());
            }
            return Json.MAPPER.readTree(response.body()).get("id").asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Dispatch failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Timed out waiting for " + what);
            }
            TimeUnit.MILLISECONDS.sleep(2);
        }
    }

    private static double time(Runnable operation) {
        long start = System.nanoTime();
        operation.run();
        return (System.nanoTime() - start) / 1e6;
    }
}
