package herald.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.auth.Principal;
import herald.auth.Role;
import herald.enroll.EnrollRequest;
import herald.enroll.EnrollService;
import herald.enroll.Job;
import herald.enroll.JobQueueStore;
import herald.events.Caller;
import herald.events.DynamoDbEventStore;
import herald.events.Event;
import herald.events.EventIds;
import herald.events.EventItems;
import herald.events.EventStatus;
import herald.events.ProjectRegistry;
import herald.events.TopicRegistry;
import herald.kernel.Json;
import herald.kernel.JsonBody;
import herald.local.LocalHerald;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Enroll calls per second with 4 concurrent workers, on a queue whose history holds 1,000 and then 100,000
 * already-processed source events (each with its finished job), side by side, with the DynamoDB reads each call
 * makes. The history is written directly (sources, finished jobs, hash claims), then the queue catches up with it
 * through ordinary enroll calls before anything is measured, as it would have in service. The goal is a ratio
 * near 1.0: the cost of a call must not grow with history.
 */
final class EnrollBenchmark {

    private static final int WORKERS = 4;
    private static final int MEASURED_SOURCES = Benchmarks.size(400, 8);
    private static final String KEY = "bench-admin-key-0123456789abcdef-0123456789";
    private static final String SOURCE = "bench.enroll.source";
    private static final String TARGET = "bench.enroll.job";

    private record Figures(double callsPerSecond, double meanMillis, double readsPerCall, double itemsPerCall,
            double controlMillis, double writeControlMillis, long gcMillis) {
    }

    private EnrollBenchmark() {
    }

    static void run(Path template) throws Exception {
        try (LocalHerald herald = LocalHerald.start(template, "127.0.0.1", 0,
                Map.of("AdminApiKey", KEY))) {
            Map<String, String> environment = herald.functionEnvironment("EnrollFunction");
            ReadCounter counter = new ReadCounter();
            DynamoDbClient counted = DynamoDbClient.builder()
                    .endpointOverride(URI.create(environment.get("AWS_ENDPOINT_URL_DYNAMODB")))
                    .region(Region.of(environment.get("AWS_REGION")))
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                            environment.get("AWS_ACCESS_KEY_ID"), environment.get("AWS_SECRET_ACCESS_KEY"))))
                    .httpClient(UrlConnectionHttpClient.create())
                    .overrideConfiguration(c -> c.addExecutionInterceptor(counter))
                    .build();
            DynamoDbEventStore countedStore = DynamoDbEventStore.builder().withDynamoDb(counted)
                    .withEventsTable(environment.get("EVENTS_TABLE"))
                    .withHashesTable(environment.get("EVENT_HASHES_TABLE"))
                    .withTopics(new TopicRegistry(counted, environment.get("TOPICS_TABLE")))
                    .withProjects(new ProjectRegistry(counted, environment.get("PROJECTS_TABLE"), null,
                            java.time.Clock.systemUTC()))
                    .build();
            EnrollService enroll = EnrollService.builder()
                    .withEvents(countedStore)
                    .withQueues(new JobQueueStore(counted, countedStore, environment.get("EVENTS_TABLE"),
                            environment.get("EVENT_HASHES_TABLE"), environment.get("ENROLL_QUEUES_TABLE")))
                    .build();
            DynamoDbClient plain = herald.dynamoDb();
            ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
            try {
                History history = new History(plain, environment, pool);
                history.add(Benchmarks.size(800, 20));
                catchUp(enroll, Benchmarks.size(800, 20));
                measure(enroll, history, pool, counter, 200); // warm-up, not reported: JIT and connections
                Figures small = measure(enroll, history, pool, counter, MEASURED_SOURCES);
                small = withControl(small, plain, environment);
                history.add(Benchmarks.size(99_000, 200) - MEASURED_SOURCES);
                catchUp(enroll, Benchmarks.size(100_000, 220));
                Figures large = measure(enroll, history, pool, counter, MEASURED_SOURCES);
                large = withControl(large, plain, environment);

                System.out.println();
                System.out.printf("Enroll benchmark: %d workers, %d fresh sources enrolled and finished per case%n",
                        WORKERS, MEASURED_SOURCES);
                System.out.printf("  %-38s %14s %14s%n", "", "1,000 history", "100,000 history");
                System.out.printf("  %-38s %14.0f %14.0f%n", "enroll calls/s", small.callsPerSecond(), large.callsPerSecond());
                System.out.printf("  %-38s %14.1f %14.1f%n", "mean enroll latency (ms)", small.meanMillis(), large.meanMillis());
                System.out.printf("  %-38s %14.1f %14.1f%n", "DynamoDB read requests per call", small.readsPerCall(),
                        large.readsPerCall());
                System.out.printf("  %-38s %14.1f %14.1f%n", "items read per call", small.itemsPerCall(),
                        large.itemsPerCall());
                System.out.printf("  %-38s %14.2f %14.2f%n", "control: page Query after cursor (ms)",
                        small.controlMillis(), large.controlMillis());
                System.out.printf("  %-38s %14.2f %14.2f%n", "control: job-creating transaction (ms)",
                        small.writeControlMillis(), large.writeControlMillis());
                System.out.printf("  %-38s %14d %14d%n", "GC time while measuring (ms)", small.gcMillis(),
                        large.gcMillis());
                System.out.printf("  ratio calls/s (100,000 / 1,000)  %.2f   (goal: near 1.0)%n",
                        large.callsPerSecond() / small.callsPerSecond());
            } finally {
                pool.shutdownNow();
                counted.close();
                plain.close();
            }
        }
    }

    private static EnrollRequest request() {
        return EnrollRequest.from(JsonBody.parse("{\"sourceTopic\":\"" + SOURCE + "\",\"targetTopic\":\"" + TARGET
                + "\",\"ignoreOlderThan\":0}"));
    }

    private static Caller caller(String sender) {
        return new Caller(new Principal("admin", Role.ADMIN, null), sender, "service");
    }

    /** Ordinary enroll calls until the queue has nothing to do: the cursor passes the seeded history. */
    private static void catchUp(EnrollService enroll, int history) {
        // An empty call moves the cursor past up to 500 settled sources; a few more calls make sure it is through.
        for (int i = 0; i < history / 500 + 3; i++) {
            if (enroll.enroll(request(), caller("catch-up")).isPresent()) {
                throw new IllegalStateException("The seeded history should hold no work");
            }
        }
    }

    /** Time the JVM spent in garbage collection so far; DynamoDB Local shares this JVM. */
    private static long gcMillis() {
        return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime).sum();
    }

    /** Times a plain Query of 50 sources on the same index: how fast DynamoDB Local itself is at this size. */
    private static Figures withControl(Figures figures, DynamoDbClient dynamoDb, Map<String, String> environment) {
        // The page query a pass makes: sources after the queue's cursor, which stands at the end of the history.
        String cursor = dynamoDb.getItem(r -> r.tableName(environment.get("ENROLL_QUEUES_TABLE"))
                .key(Map.of("queue", AttributeValue.fromS(request().queueId())))).item().get("cursor").s();
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            long start = System.nanoTime();
            dynamoDb.query(r -> r.tableName(environment.get("EVENTS_TABLE")).indexName("byTopic")
                    .keyConditionExpression("topic = :t AND createdKey > :c")
                    .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(SOURCE), ":c", AttributeValue.fromS(cursor)))
                    .limit(50));
            millis.add((System.nanoTime() - start) / 1e6);
        }
        List<Double> writes = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String id = EventIds.newId(System.currentTimeMillis());
            Map<String, AttributeValue> job = EventItems.toItem(History.event(id, "bench.enroll.control", null,
                    EventStatus.PENDING));
            long start = System.nanoTime();
            dynamoDb.transactWriteItems(r -> r.clientRequestToken(id).transactItems(
                    TransactWriteItem.builder().put(Put.builder().tableName(environment.get("EVENTS_TABLE")).item(job)
                            .conditionExpression("attribute_not_exists(id)").build()).build(),
                    TransactWriteItem.builder().put(Put.builder().tableName(environment.get("EVENT_HASHES_TABLE"))
                            .item(Map.of("hash", AttributeValue.fromS(id), "eventId", AttributeValue.fromS(id)))
                            .conditionExpression("attribute_not_exists(#h)")
                            .expressionAttributeNames(Map.of("#h", "hash")).build()).build()));
            writes.add((System.nanoTime() - start) / 1e6);
        }
        return new Figures(figures.callsPerSecond(), figures.meanMillis(), figures.readsPerCall(),
                figures.itemsPerCall(), Seeding.median(millis.subList(10, millis.size())),
                Seeding.median(writes.subList(10, writes.size())), figures.gcMillis());
    }

    /** Adds fresh sources, then lets the workers enroll and finish them all, timing only the enroll calls. */
    private static Figures measure(EnrollService enroll, History history, ExecutorService pool, ReadCounter counter,
            int sources) throws Exception {
        history.sources(sources);
        counter.reset();
        long gcBefore = gcMillis();
        AtomicLong calls = new AtomicLong();
        AtomicLong nanos = new AtomicLong();
        long begin = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            String sender = "bench-worker-" + w;
            workers.add(pool.submit(() -> {
                while (true) {
                    long start = System.nanoTime();
                    Optional<Job> job = enroll.enroll(request(), caller(sender));
                    nanos.addAndGet(System.nanoTime() - start);
                    calls.incrementAndGet();
                    if (job.isEmpty()) {
                        return null;
                    }
                    history.finish(job.get().id());
                }
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        double seconds = (System.nanoTime() - begin) / 1e9;
        long n = calls.get();
        return new Figures(n / seconds, nanos.get() / 1e6 / n, (double) counter.requests.get() / n,
                (double) counter.items.get() / n, 0, 0, gcMillis() - gcBefore);
    }

    /** Writes processed history (a source, its finished job, the job's hash claim) and fresh sources directly. */
    private static final class History {
        private final DynamoDbClient dynamoDb;
        private final Map<String, String> environment;
        private final ExecutorService pool;
        private final EnrollRequest request = request();

        History(DynamoDbClient dynamoDb, Map<String, String> environment, ExecutorService pool) {
            this.dynamoDb = dynamoDb;
            this.environment = environment;
            this.pool = pool;
            dynamoDb.putItem(r -> r.tableName(environment.get("TOPICS_TABLE"))
                    .item(Map.of("scope", AttributeValue.fromS("topics"), "topic", AttributeValue.fromS(SOURCE))));
        }

        void add(int processed) throws Exception {
            write(processed, true);
        }

        void sources(int fresh) throws Exception {
            write(fresh, false);
        }

        void finish(String jobId) {
            dynamoDb.updateItem(r -> r.tableName(environment.get("EVENTS_TABLE"))
                    .key(Map.of("id", AttributeValue.fromS(jobId)))
                    .updateExpression("SET #s = :f, #u = :u REMOVE openJob")
                    .expressionAttributeNames(Map.of("#s", "status", "#u", "updatedAt"))
                    .expressionAttributeValues(Map.of(":f", AttributeValue.fromS("finished"),
                            ":u", AttributeValue.fromS(herald.kernel.Timestamps.format(Instant.now())))));
        }

        private void write(int count, boolean processed) throws Exception {
            List<Future<?>> batches = new ArrayList<>();
            for (int from = 0; from < count; from += 8) {
                int size = Math.min(8, count - from);
                batches.add(pool.submit(() -> {
                    List<WriteRequest> events = new ArrayList<>();
                    List<WriteRequest> claims = new ArrayList<>();
                    for (int i = 0; i < size; i++) {
                        Event source = event(EventIds.newId(System.currentTimeMillis()), SOURCE, null, EventStatus.FINISHED);
                        events.add(put(EventItems.toItem(source)));
                        if (processed) {
                            String hash = request.targetHash(source.id());
                            Event job = event(EventIds.newId(System.currentTimeMillis()), TARGET, source.id(),
                                    EventStatus.FINISHED, hash);
                            events.add(put(EventItems.toItem(job)));
                            claims.add(put(Map.of("hash", AttributeValue.fromS(hash),
                                    "eventId", AttributeValue.fromS(job.id()))));
                        }
                    }
                    Seeding.batchWrite(dynamoDb, environment.get("EVENTS_TABLE"), events);
                    Seeding.batchWrite(dynamoDb, environment.get("EVENT_HASHES_TABLE"), claims);
                    return null;
                }));
            }
            for (Future<?> batch : batches) {
                batch.get();
            }
        }

        private static WriteRequest put(Map<String, AttributeValue> item) {
            return WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build();
        }

        static Event event(String id, String topic, String dependsOn, EventStatus status) {
            return event(id, topic, dependsOn, status, id);
        }

        private static Event event(String id, String topic, String dependsOn, EventStatus status, String hash) {
            ObjectNode payload = Json.MAPPER.createObjectNode().put("file", "/projects/demo/shot_010/v001.exr");
            Instant now = Instant.now();
            return new Event(id, hash, topic, "bench", "api", "demo", "admin", dependsOn, status, 0, "",
                    Json.MAPPER.createObjectNode(), payload, now, now, null, null, null);
        }
    }
}
