package herald.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.events.Event;
import herald.events.EventIds;
import herald.events.EventItems;
import herald.events.EventStatus;
import herald.function.EventsFunction;
import herald.kernel.Json;
import herald.local.LocalHerald;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Dispatch throughput through {@code EventsFunction}, in-process, against the local runtime's DynamoDB Local,
 * beside two baselines on the same DynamoDB Local with the same kind of client, in the same run:
 * <ul>
 *   <li>raw {@code PutItem} of an item of the same size (the floor of any write), and</li>
 *   <li>raw {@code TransactWriteItems} of the same event item plus a hash claim (what dedup costs by itself),</li>
 * </ul>
 * so the ratios show what the handler adds over the writes it must make. Rounds alternate the three kinds so
 * that noise from the shared machine falls on all of them alike; the median round of each is reported.
 */
final class DispatchBenchmark {

    private static final int THREADS = 4;
    private static final int PER_ROUND = Benchmarks.size(1_000, 20);
    private static final int ROUNDS = Benchmarks.size(3, 1);
    private static final String KEY = "bench-admin-key-0123456789abcdef-0123456789";

    private DispatchBenchmark() {
    }

    static void run(Path template) throws Exception {
        try (LocalHerald herald = LocalHerald.start(template, "127.0.0.1", 0,
                Map.of("AdminApiKey", KEY))) {
            Map<String, String> environment = herald.functionEnvironment("EventsFunction");
            EventsFunction handler = new EventsFunction(environment);
            DynamoDbClient dynamoDb = Seeding.functionLikeClient(environment);
            String eventsTable = environment.get("EVENTS_TABLE");
            String hashesTable = environment.get("EVENT_HASHES_TABLE");
            String body = "{\"topic\":\"bench.dispatch\",\"project\":\"bench\",\"description\":\"benchmark event\","
                    + "\"summary\":{\"entityId\":\"e-1\"},\"payload\":{\"data\":\"" + "x".repeat(800) + "\"}}";
            Map<String, AttributeValue> sample = EventItems.toItem(sampleEvent(body));
            int itemBytes = EventItems.sizeOf(sample);

            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                Runnable dispatch = () -> {
                    var response = handler.handleRequest(request(body), null);
                    if (response.getStatusCode() != 200) {
                        throw new IllegalStateException("Dispatch failed: " + response.getBody());
                    }
                };
                Runnable put = () -> dynamoDb.putItem(r -> r.tableName(eventsTable).item(withFreshId(sample)));
                Runnable transact = () -> {
                    Map<String, AttributeValue> item = withFreshId(sample);
                    String id = item.get("id").s();
                    dynamoDb.transactWriteItems(r -> r.clientRequestToken(id).transactItems(
                            TransactWriteItem.builder().put(Put.builder().tableName(eventsTable).item(item)
                                    .conditionExpression("attribute_not_exists(id)").build()).build(),
                            TransactWriteItem.builder().put(Put.builder().tableName(hashesTable)
                                    .item(Map.of("hash", AttributeValue.fromS(id), "eventId", AttributeValue.fromS(id)))
                                    .conditionExpression("attribute_not_exists(#h)")
                                    .expressionAttributeNames(Map.of("#h", "hash")).build()).build()));
                };
                // Warm-up: JIT, connection pools, DynamoDB Local's own warm-up.
                measure(pool, dispatch, PER_ROUND / 2);
                measure(pool, put, PER_ROUND / 2);
                measure(pool, transact, PER_ROUND / 2);

                List<Double> dispatchRates = new ArrayList<>();
                List<Double> putRates = new ArrayList<>();
                List<Double> transactRates = new ArrayList<>();
                for (int round = 0; round < ROUNDS; round++) {
                    dispatchRates.add(measure(pool, dispatch, PER_ROUND));
                    putRates.add(measure(pool, put, PER_ROUND));
                    transactRates.add(measure(pool, transact, PER_ROUND));
                }
                double dispatchRate = Seeding.median(dispatchRates);
                double putRate = Seeding.median(putRates);
                double transactRate = Seeding.median(transactRates);
                System.out.println();
                System.out.printf("Dispatch benchmark: %d threads, %d events a round, median of %d rounds, "
                        + "stored item %,d bytes, DynamoDB Local in-process%n", THREADS, PER_ROUND, ROUNDS, itemBytes);
                System.out.printf("  EventsFunction, POST /api/events (in-process)  %8.0f events/s   rounds %s%n",
                        dispatchRate, rounded(dispatchRates));
                System.out.printf("  baseline: raw PutItem, same item size          %8.0f items/s    rounds %s%n",
                        putRate, rounded(putRates));
                System.out.printf("  baseline: raw TransactWriteItems, event+claim  %8.0f writes/s   rounds %s%n",
                        transactRate, rounded(transactRates));
                System.out.printf("  ratio handler / PutItem                        %8.2f%n", dispatchRate / putRate);
                System.out.printf("  ratio handler / raw transaction                %8.2f%n", dispatchRate / transactRate);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** Runs {@code count} operations on the pool and returns operations per second. */
    private static double measure(ExecutorService pool, Runnable operation, int count) throws Exception {
        AtomicInteger remaining = new AtomicInteger(count);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            workers.add(pool.submit(() -> {
                start.await();
                while (remaining.getAndDecrement() > 0) {
                    operation.run();
                }
                return null;
            }));
        }
        long begin = System.nanoTime();
        start.countDown();
        for (Future<?> worker : workers) {
            worker.get();
        }
        return count / ((System.nanoTime() - begin) / 1e9);
    }

    private static APIGatewayV2HTTPEvent request(String body) {
        return APIGatewayV2HTTPEvent.builder()
                .withRouteKey("POST /api/events")
                .withRawPath("/api/events")
                .withHeaders(Map.of("content-type", "application/json", "x-api-key", KEY))
                .withBody(body)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRequestId("bench")
                        .withAuthorizer(Benchmarks.adminAuthorizer())
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST").build())
                        .build())
                .build();
    }

    /** The event the handler stores for {@code body}, to size the baseline's item identically. */
    private static Event sampleEvent(String body) {
        ObjectNode json = (ObjectNode) Json.readStored(body);
        Instant now = Instant.now();
        String id = EventIds.newId(now.toEpochMilli());
        return new Event(id, id, "bench.dispatch", null, "api", "bench", "admin", null, EventStatus.FINISHED, 0,
                "benchmark event", (ObjectNode) json.get("summary"), (ObjectNode) json.get("payload"), now, now, null, null,
                null);
    }

    private static Map<String, AttributeValue> withFreshId(Map<String, AttributeValue> sample) {
        Map<String, AttributeValue> item = new HashMap<>(sample);
        String id = EventIds.newId(System.currentTimeMillis());
        item.put("id", AttributeValue.fromS(id));
        item.put("hash", AttributeValue.fromS(id));
        return item;
    }

    private static String rounded(List<Double> values) {
        return values.stream().map(v -> String.format("%.0f", v)).toList().toString();
    }
}
