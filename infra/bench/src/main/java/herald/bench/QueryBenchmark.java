package herald.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.events.Event;
import herald.events.EventIds;
import herald.events.EventItems;
import herald.events.EventStatus;
import herald.events.TopicRegistry;
import herald.kernel.Json;
import herald.local.LocalHerald;
import herald.query.EventQuery;
import herald.query.QueryStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The newest 300 events of one topic pattern ({@code bench.q.t1*}: 10 of the 50 topics) from a table of 100,000
 * events spread over 50 topics, through Herald's query engine, beside a direct {@code Query} for the newest 300
 * of one topic on the same {@code byTopic} index, and Herald's engine on that one topic, in the same run:
 * median latency and items read per query.
 */
final class QueryBenchmark {

    private static final int EVENTS = Benchmarks.size(100_000, 500);
    private static final int TOPICS = 50;
    private static final int NEWEST = 300;
    private static final int REPEATS = Benchmarks.size(40, 2);
    private static final String KEY = "bench-admin-key-0123456789abcdef-0123456789";
    private static final herald.auth.Principal EVERYONE = new herald.auth.Principal("admin", herald.auth.Role.ADMIN, null);

    private QueryBenchmark() {
    }

    static void run(Path template) throws Exception {
        try (LocalHerald herald = LocalHerald.start(template, "127.0.0.1", 0,
                Map.of("AdminApiKey", KEY))) {
            Map<String, String> environment = herald.functionEnvironment("QueryFunction");
            DynamoDbClient dynamoDb = Seeding.functionLikeClient(environment);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                seed(dynamoDb, environment, pool);
                QueryStore store = new QueryStore(dynamoDb, environment.get("EVENTS_TABLE"),
                        new TopicRegistry(dynamoDb, environment.get("TOPICS_TABLE")));
                EventQuery pattern = query("bench.q.t1*");
                EventQuery single = query("bench.q.t10");
                long[] patternItems = {0};
                long[] singleItems = {0};
                long[] directItems = {0};
                Runnable viaPattern = () -> patternItems[0] = store.find(pattern, EVERYONE).itemsRead();
                Runnable viaSingle = () -> singleItems[0] = store.find(single, EVERYONE).itemsRead();
                Runnable direct = () -> directItems[0] = dynamoDb.query(r -> r.tableName(environment.get("EVENTS_TABLE"))
                        .indexName("byTopic").keyConditionExpression("topic = :t")
                        .expressionAttributeValues(Map.of(":t", AttributeValue.fromS("bench.q.t10")))
                        .scanIndexForward(false).limit(NEWEST)).scannedCount();
                for (int i = 0; i < 10; i++) { // warm-up
                    viaPattern.run();
                    viaSingle.run();
                    direct.run();
                }
                List<Double> patternMillis = new ArrayList<>();
                List<Double> singleMillis = new ArrayList<>();
                List<Double> directMillis = new ArrayList<>();
                for (int i = 0; i < REPEATS; i++) {
                    patternMillis.add(time(viaPattern));
                    singleMillis.add(time(viaSingle));
                    directMillis.add(time(direct));
                }
                double p = Seeding.median(patternMillis);
                double s = Seeding.median(singleMillis);
                double d = Seeding.median(directMillis);
                System.out.println();
                System.out.printf("Query benchmark: newest %d events, %,d events in %d topics, median of %d%n",
                        NEWEST, EVENTS, TOPICS, REPEATS);
                System.out.printf("  %-52s %10s %12s%n", "", "latency ms", "items read");
                System.out.printf("  %-52s %10.1f %12d%n", "Herald, topics [\"bench.q.t1*\"] (10 topics merged)", p, patternItems[0]);
                System.out.printf("  %-52s %10.1f %12d%n", "Herald, topics [\"bench.q.t10\"]", s, singleItems[0]);
                System.out.printf("  %-52s %10.1f %12d%n", "baseline: direct Query on byTopic, one topic", d, directItems[0]);
                System.out.printf("  ratio pattern / direct Query   %.2f (latency)   %.2f (items)%n", p / d,
                        (double) patternItems[0] / directItems[0]);
                System.out.printf("  ratio one topic / direct Query %.2f (latency)   %.2f (items)%n", s / d,
                        (double) singleItems[0] / directItems[0]);
                everything(dynamoDb, environment, store);
            } finally {
                pool.shutdownNow();
                dynamoDb.close();
            }
        }
    }

    /**
     * The newest 100 events without topics or projects (the {@code byTime} index, a day's sixteen shards merged),
     * with the 50 topics, then with 5,000 registered: items read and latency, which should not grow with the topics.
     */
    static void everything(DynamoDbClient dynamoDb, Map<String, String> environment, QueryStore store) {
        EventQuery newest = new EventQuery(null, null, null, null, null, null, null, null, null, false, null, null, 100,
                null);
        TopicRegistry registry = new TopicRegistry(dynamoDb, environment.get("TOPICS_TABLE"));
        int many = Benchmarks.size(5_000, 60);
        double[] millis = new double[2];
        long[] items = new long[2];
        for (int round = 0; round < 2; round++) {
            if (round == 1) {
                for (int t = TOPICS; t < many; t++) {
                    registry.remember("bench.q.idle" + t);
                }
            }
            long[] read = {0};
            for (int i = 0; i < 10; i++) { // warm-up
                read[0] = store.find(newest, EVERYONE).itemsRead();
            }
            List<Double> times = new ArrayList<>();
            for (int i = 0; i < REPEATS; i++) {
                times.add(time(() -> read[0] = store.find(newest, EVERYONE).itemsRead()));
            }
            millis[round] = Seeding.median(times);
            items[round] = read[0];
        }
        System.out.printf("  newest 100 without topics (byTime index), %d topics   %10.1f %12d%n", TOPICS, millis[0],
                items[0]);
        System.out.printf("  newest 100 without topics (byTime index), %,d topics %10.1f %12d%n", many, millis[1],
                items[1]);
        System.out.printf("  ratio %,d topics / %d topics   %.2f (latency)   %.2f (items)   (goal: flat, near 1.0)%n",
                many, TOPICS, millis[1] / millis[0], (double) items[1] / items[0]);
    }

    private static EventQuery query(String topic) {
        return new EventQuery(null, List.of(topic), null, null, null, null, null, null, null, false, null, null,
                NEWEST, null);
    }

    private static double time(Runnable operation) {
        long start = System.nanoTime();
        operation.run();
        return (System.nanoTime() - start) / 1e6;
    }

    /** 100,000 events, round-robin over 50 topics, written directly; their topics registered as dispatch does. */
    private static void seed(DynamoDbClient dynamoDb, Map<String, String> environment, ExecutorService pool)
            throws Exception {
        TopicRegistry registry = new TopicRegistry(dynamoDb, environment.get("TOPICS_TABLE"));
        for (int t = 0; t < TOPICS; t++) {
            registry.remember(topic(t));
        }
        ObjectNode payload = Json.MAPPER.createObjectNode().put("file", "/projects/demo/shot_010/v001.exr");
        List<Future<?>> batches = new ArrayList<>();
        for (int from = 0; from < EVENTS; from += 25) {
            int start = from;
            batches.add(pool.submit(() -> {
                List<WriteRequest> writes = new ArrayList<>();
                for (int i = start; i < Math.min(EVENTS, start + 25); i++) {
                    Instant at = Instant.now();
                    String id = EventIds.newId(at.toEpochMilli());
                    Event event = new Event(id, id, topic(i % TOPICS), "bench", "api", null, "admin", null,
                            EventStatus.FINISHED, 0, "", Json.MAPPER.createObjectNode(), payload, at, at, null, null,
                            null);
                    registry.rememberDay(EventItems.createdKey(event)); // as dispatch does: its day, once

                    writes.add(WriteRequest.builder().putRequest(PutRequest.builder()
                            .item(EventItems.toItem(event)).build()).build());
                }
                Seeding.batchWrite(dynamoDb, environment.get("EVENTS_TABLE"), writes);
                return null;
            }));
        }
        for (Future<?> batch : batches) {
            batch.get();
        }
    }

    private static String topic(int index) {
        return String.format("bench.q.t%02d", index);
    }
}
