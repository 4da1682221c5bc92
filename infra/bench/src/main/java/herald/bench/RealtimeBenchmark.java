package herald.bench;

import herald.local.LocalHerald;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Dispatch-to-receive latency over the local runtime for 1, 100 and 1,000 subscribed WebSocket connections: an
 * event is dispatched over HTTP, stored, read from the stream by FanoutFunction and posted to every subscriber.
 * Beside it, in the same run, the same number of messages posted straight to the same connections through the
 * {@code @connections} API with the same concurrency, so the ratio shows what the fan-out path adds.
 */
final class RealtimeBenchmark {

    private static final String KEY = "bench-admin-key-0123456789abcdef-0123456789";
    private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f]{32})\"");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private RealtimeBenchmark() {
    }

    /** A subscriber that notes when each message arrived. */
    private static final class Receiver implements WebSocket.Listener {
        final Map<String, Long> arrivals = new ConcurrentHashMap<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                Matcher id = ID.matcher(partial);
                if (id.find()) {
                    arrivals.putIfAbsent(id.group(1), System.nanoTime());
                }
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }
    }

    static void run(Path template) throws Exception {
        try (LocalHerald herald = LocalHerald.start(template, "127.0.0.1", 0, Map.of("AdminApiKey", KEY))) {
            ApiGatewayManagementApiClient connections = ApiGatewayManagementApiClient.builder()
                    .endpointOverride(URI.create(herald.functionEnvironment("FanoutFunction")
                            .get("AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI")))
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                    .httpClient(UrlConnectionHttpClient.create())
                    .build();
            ExecutorService posts = Executors.newFixedThreadPool(16);
            System.out.println();
            System.out.println("Realtime benchmark: dispatch-to-receive latency, local runtime, per message and connection");
            System.out.printf("  %-12s %-8s %16s %16s %14s %14s%n", "connections", "events", "fan-out p50 ms",
                    "fan-out p99 ms", "direct p50 ms", "direct p99 ms");
            try {
                for (int[] run : Benchmarks.smoke() ? new int[][] {{1, 2}, {10, 1}}
                        : new int[][] {{1, 50}, {100, 20}, {1_000, 8}}) {
                    int clients = run[0];
                    int events = run[1];
                    String topic = "bench.rt.c" + clients;
                    List<Receiver> receivers = connect(herald, topic, clients);
                    List<Double> fanout = new ArrayList<>();
                    for (int i = 0; i < events; i++) {
                        long start = System.nanoTime();
                        String id = dispatch(herald, topic);
                        fanout.addAll(await(receivers, id, start));
                    }
                    List<String> ids = connectionIds(herald, topic);
                    List<Double> direct = new ArrayList<>();
                    for (int i = 0; i < events; i++) {
                        String id = UUID.randomUUID().toString().replace("-", "");
                        SdkBytes message = SdkBytes.fromUtf8String("{\"id\":\"" + id + "\",\"topic\":\"" + topic + "\"}");
                        long start = System.nanoTime();
                        List<CompletableFuture<Void>> sent = new ArrayList<>();
                        for (String connection : ids) {
                            sent.add(CompletableFuture.runAsync(() -> connections.postToConnection(r -> r
                                    .connectionId(connection).data(message)), posts));
                        }
                        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
                        direct.addAll(await(receivers, id, start));
                    }
                    System.out.printf("  %-12d %-8d %16.1f %16.1f %14.1f %14.1f%n", clients, events,
                            Seeding.percentile(fanout, 50), Seeding.percentile(fanout, 99), Seeding.percentile(direct, 50), Seeding.percentile(direct, 99));
                    System.out.printf("  %-12s ratio fan-out / direct: p50 %.2f, p99 %.2f%n", "",
                            Seeding.percentile(fanout, 50) / Seeding.percentile(direct, 50), Seeding.percentile(fanout, 99) / Seeding.percentile(direct, 99));
                }
            } finally {
                posts.shutdownNow();
                connections.close();
            }
        }
    }

    private static List<Receiver> connect(LocalHerald herald, String topic, int count) throws Exception {
        List<Receiver> receivers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Receiver receiver = new Receiver();
            WebSocket socket = HTTP.newWebSocketBuilder().buildAsync(herald.webSocketUrl().orElseThrow(), receiver)
                    .get(10, TimeUnit.SECONDS);
            socket.sendText("{\"topic\":\"auth\",\"token\":\"" + KEY + "\",\"subscribe\":[\"" + topic + "\"]}", true);
            receivers.add(receiver);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (connectionIds(herald, topic).size() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Subscriptions did not all arrive");
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        return receivers;
    }

    private static List<String> connectionIds(LocalHerald herald, String topic) {
        String table = herald.functionEnvironment("RealtimeFunction").get("SUBSCRIPTIONS_TABLE");
        List<String> ids = new ArrayList<>();
        herald.dynamoDb().queryPaginator(r -> r.tableName(table).keyConditionExpression("#b = :b")
                        .expressionAttributeNames(Map.of("#b", "bucket"))
                        .expressionAttributeValues(Map.of(":b", AttributeValue.fromS(topic.substring(0, 2)))))
                .items().forEach(item -> {
                    if (item.get("subscriptions").l().stream().anyMatch(v -> v.s().equals(topic))) {
                        ids.add(item.get("connectionId").s());
                    }
                });
        return ids;
    }

    private static String dispatch(LocalHerald herald, String topic) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(herald.baseUrl() + "/api/events"))
                .header("X-Api-Key", KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"topic\":\"" + topic + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher id = ID.matcher(response.body());
        if (response.statusCode() != 200 || !id.find()) {
            throw new IllegalStateException("Dispatch failed: " + response.body());
        }
        return id.group(1);
    }

    /** Waits until every receiver has the message and returns each one's latency in milliseconds. */
    private static List<Double> await(List<Receiver> receivers, String id, long start) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        List<Double> latencies = new ArrayList<>();
        for (Receiver receiver : receivers) {
            Long arrived;
            while ((arrived = receiver.arrivals.get(id)) == null) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("A receiver never got " + id);
                }
                TimeUnit.MILLISECONDS.sleep(1);
            }
            latencies.add((arrived - start) / 1e6);
        }
        return latencies;
    }
}
