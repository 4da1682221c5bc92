package herald.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import herald.kernel.Json;
import herald.local.LocalHerald;
import herald.triggers.WebhookSigner;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Webhook delivery on the local runtime, to a receiver in this JVM, in three parts, each beside a baseline measured in
 * the same run:
 * <ol>
 *   <li>deliveries per second to one fast receiver through 1 and through 100 triggers (events dispatched by 8
 *   clients), beside the same number of signed POSTs sent straight to the receiver by 8 threads (goal: ratio at least
 *   0.5), and, for what it shows, beside the same POSTs each between the two writes any durable sender makes (record
 *   it, mark it delivered) on the same DynamoDB Local;</li>
 *   <li>trigger B's delay from dispatch to delivery (p99) while trigger A's receiver takes a second per answer and A
 *   gets as many events as B, beside B's delay while a trigger with a fast receiver gets those events instead (the
 *   same load; goal: ratio at most 1.2);</li>
 *   <li>with {@code order_by}, events over 50 keys while one key's receiver fails its first 3 attempts: deliveries out
 *   of order per key (goal: none), and the other keys' p99 delay beside the same run without a failing key (goal:
 *   ratio at most 1.2), after a warm-up run. Events are dispatched one after another, 15 ms apart, so each key's
 *   order is the dispatch order. The retry function's sweep runs every 250 ms here instead of every minute, so the
 *   failing key finishes within the run.</li>
 * </ol>
 * The smoke run checks the order (it is not a timing) and judges no figure.
 */
final class DeliveryBenchmark {

    private static final String KEY = "bench-admin-key-0123456789abcdef-0123456789";
    private static final HttpClient HTTP = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8)).build();
    private static final int CLIENTS = 8;

    private DeliveryBenchmark() {
    }

    /** The receiver: every request answered (slowly on /slow, with failures for one key on /ordered), and timed. */
    private static final class Receiver implements AutoCloseable {
        final HttpServer server;
        /** path → event id → when it was first answered 200 (nanoTime) */
        final Map<String, Map<String, Long>> delivered = new ConcurrentHashMap<>();
        /** path → key → the payload.n of each 200-answered request, in the order answered */
        final Map<String, Map<String, List<Integer>>> order = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();

        Receiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
            server.setExecutor(Executors.newCachedThreadPool());
            server.createContext("/", exchange -> {
                try (exchange) {
                    String path = exchange.getRequestURI().getPath();
                    JsonNode body = Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes());
                    if (path.equals("/slow")) {
                        sleep(1_000);
                    }
                    JsonNode data = body.path("data");
                    String key = data.at("/payload/key").asText(null);
                    int status = 200;
                    if (path.startsWith("/ordered") && key != null) {
                        AtomicInteger left = failuresLeft.get(path + "|" + key);
                        if (left != null && left.getAndDecrement() > 0) {
                            status = 500;
                        }
                    }
                    if (status == 200) {
                        if (key != null) {
                            synchronized (order) {
                                order.computeIfAbsent(path, p -> new ConcurrentHashMap<>())
                                        .computeIfAbsent(key, k -> new ArrayList<>()).add(data.at("/payload/n").asInt());
                            }
                        }
                        // many triggers deliver each event to /many: there a delivery is a (trigger, event) pair
                        String id = path.equals("/many") ? body.path("trigger").asText() + "|" + data.path("id").asText()
                                : data.path("id").asText();
                        delivered.computeIfAbsent(path, p -> new ConcurrentHashMap<>()).putIfAbsent(id, System.nanoTime());
                    }
                    exchange.sendResponseHeaders(status, -1);
                }
            });
            server.start();
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }

        int count(String path) {
            Map<String, Long> at = delivered.get(path);
            return at == null ? 0 : at.size();
        }

        long at(String path, String eventId) {
            Map<String, Long> at = delivered.get(path);
            Long time = at == null ? null : at.get(eventId);
            return time == null ? -1 : time;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    static void run(Path template) throws Exception {
        try (LocalHerald herald = LocalHerald.start(template, "127.0.0.1", 0,
                Map.of("AdminApiKey", KEY, "AllowPrivateWebhookUrls", "true"));
                Receiver receiver = new Receiver()) {
            System.out.println();
            System.out.println("Delivery benchmark: webhooks on the local runtime, receiver in this JVM");
            List<String> missed = new ArrayList<>();
            throughput(herald, receiver, missed);
            isolation(herald, receiver, missed);
            ordering(herald, receiver, missed);
            if (!Benchmarks.smoke() && !missed.isEmpty()) {
                throw new IllegalStateException("goals missed: " + missed);
            }
            System.out.println(Benchmarks.smoke() ? "  (smoke: figures not judged)" : "  goals met");
        }
    }

    // (a)

    private static void throughput(LocalHerald herald, Receiver receiver, List<String> missed) throws Exception {
        int events = Benchmarks.size(600, 10);
        int manyTriggers = Benchmarks.size(100, 3);
        int manyEvents = Benchmarks.size(12, 2);
        trigger(herald, "bench-dlv-one", "{\"topic\":\"bench.dlv.one\"}", receiver.url("/one"), "");
        for (int i = 0; i < manyTriggers; i++) {
            trigger(herald, "bench-dlv-many-" + i, "{\"topic\":\"bench.dlv.many\"}", receiver.url("/many"), "");
        }
        // warm-up: every function's first call, outside the measurement
        dispatchAll(herald, "bench.dlv.one", 16);
        awaitCount(receiver, "/one", 16);
        String sample = Json.write(Map.of("type", "event.created", "data", Map.of("id", "0".repeat(32),
                "payload", Map.of("x", "y".repeat(400)))));

        double one = rate(events, () -> {
            dispatchAll(herald, "bench.dlv.one", events);
            awaitCount(receiver, "/one", 16 + events);
        });
        double direct = rate(events, () -> direct(receiver, "/direct-one", events, sample));
        int total = manyTriggers * manyEvents;
        // the many triggers all deliver to /many: the receiver counts distinct (trigger, event) pairs
        double many = rate(total, () -> {
            dispatchAll(herald, "bench.dlv.many", manyEvents);
            awaitManyCount(receiver, total);
        });
        double directMany = rate(total, () -> direct(receiver, "/direct-many", total, sample));
        String table = herald.functionEnvironment("WebhookFunction").get("DELIVERIES_TABLE");
        double floor = rate(events, () -> durable(herald, table, receiver, "/floor-one", events, sample));
        double floorMany = rate(total, () -> durable(herald, table, receiver, "/floor-many", total, sample));
        System.out.println("  (a) deliveries per second to one fast receiver, 8 clients dispatching");
        System.out.printf("      %-10s %10s %10s %14s %8s %16s %8s%n", "triggers", "deliveries", "Herald /s",
                "direct POST /s", "ratio", "durable floor /s", "ratio");
        System.out.printf("      %-10d %10d %10.0f %14.0f %8.2f %16.0f %8.2f%n", 1, events, one, direct, one / direct,
                floor, one / floor);
        System.out.printf("      %-10d %10d %10.0f %14.0f %8.2f %16.0f %8.2f%n", manyTriggers, total, many, directMany,
                many / directMany, floorMany, many / floorMany);
        System.out.println("      (durable floor: the same signed POSTs, each between the two writes any durable sender "
                + "makes, recording it and marking it delivered, on the same DynamoDB Local)");
        if (one / direct < 0.5) {
            missed.add(String.format("(a) 1 trigger: ratio %.2f < 0.5", one / direct));
        }
        if (many / directMany < 0.5) {
            missed.add(String.format("(a) %d triggers: ratio %.2f < 0.5", manyTriggers, many / directMany));
        }
    }

    /** Deliveries per second of a run of {@code count} deliveries. */
    private static double rate(int count, Task task) throws Exception {
        long start = System.nanoTime();
        task.run();
        return count / ((System.nanoTime() - start) / 1e9);
    }

    @FunctionalInterface
    private interface Task {
        void run() throws Exception;
    }

    /** Signed POSTs straight to the receiver, as Herald signs them, from {@link #CLIENTS} threads. */
    private static void direct(Receiver receiver, String path, int count, String body) throws Exception {
        send(receiver, path, count, body, null, null);
    }

    /** The same POSTs, each recorded before and marked delivered after it, in the deliveries table. */
    private static void durable(LocalHerald herald, String table, Receiver receiver, String path, int count,
            String body) throws Exception {
        send(receiver, path, count, body, Seeding.functionLikeClient(herald.functionEnvironment("WebhookFunction")),
                table);
    }

    private static void send(Receiver receiver, String path, int count, String body,
            DynamoDbClient dynamoDb, String table) throws Exception {
        String secret = WebhookSigner.newSecret();
        ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> sent = new ArrayList<>();
            AtomicInteger next = new AtomicInteger();
            for (int t = 0; t < CLIENTS; t++) {
                sent.add(threads.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        String id = String.format("%032x", i);
                        String payload = body.replace("0".repeat(32), id);
                        long timestamp = System.currentTimeMillis() / 1000;
                        HttpRequest request = HttpRequest.newBuilder(URI.create(receiver.url(path)))
                                .header("content-type", "application/json").header("webhook-id", "msg_" + id)
                                .header("webhook-timestamp", Long.toString(timestamp))
                                .header("webhook-signature", WebhookSigner.signature(secret, "msg_" + id, timestamp,
                                        payload))
                                .POST(HttpRequest.BodyPublishers.ofString(payload)).build();
                        Map<String, AttributeValue> item = dynamoDb == null
                                ? null : new java.util.HashMap<>(Map.of(
                                        "trigger", AttributeValue.fromS(
                                                "bench-floor" + path),
                                        "id", AttributeValue.fromS(
                                                "msg_" + id),
                                        "body", AttributeValue.fromS(payload),
                                        "status", AttributeValue.fromS(
                                                "pending")));
                        if (item != null) {
                            dynamoDb.putItem(r -> r.tableName(table).item(item));
                        }
                        HTTP.send(request, HttpResponse.BodyHandlers.discarding());
                        if (item != null) {
                            item.put("status", AttributeValue.fromS(
                                    "delivered"));
                            dynamoDb.putItem(r -> r.tableName(table).item(item));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> done : sent) {
                done.get();
            }
        } finally {
            threads.shutdownNow();
        }
        awaitCount(receiver, path, count);
    }

    // (b)

    private static void isolation(LocalHerald herald, Receiver receiver, List<String> missed) throws Exception {
        int events = Benchmarks.size(150, 5);
        trigger(herald, "bench-dlv-slow", "{\"topic\":\"bench.dlv.slow\"}", receiver.url("/slow"), "");
        trigger(herald, "bench-dlv-fast", "{\"topic\":\"bench.dlv.fast\"}", receiver.url("/fast"), "");
        trigger(herald, "bench-dlv-other", "{\"topic\":\"bench.dlv.other\"}", receiver.url("/other"), "");
        // the baseline carries the same load, to a fast receiver: only A's slowness differs
        List<Double> alone = paced(herald, receiver, "bench.dlv.fast", "/fast", events, "bench.dlv.other");
        List<Double> beside = paced(herald, receiver, "bench.dlv.fast", "/fast", events, "bench.dlv.slow");
        double ratio = Seeding.percentile(beside, 99) / Seeding.percentile(alone, 99);
        System.out.println("  (b) trigger B's delay from dispatch to delivery, A's receiver taking 1 s per answer");
        System.out.printf("      %-28s %8s %8s %8s%n", "", "p50 ms", "p99 ms", "events");
        System.out.printf("      %-28s %8.1f %8.1f %8d%n", "B beside a fast trigger's", Seeding.percentile(alone, 50),
                Seeding.percentile(alone, 99), alone.size());
        System.out.printf("      %-28s %8.1f %8.1f %8d%n", "B beside slow A's", Seeding.percentile(beside, 50),
                Seeding.percentile(beside, 99), beside.size());
        System.out.printf("      ratio p99 beside A / beside the fast one: %.2f (A answered %d meanwhile)%n", ratio,
                receiver.count("/slow"));
        if (ratio > 1.2) {
            missed.add(String.format("(b) ratio %.2f > 1.2", ratio));
        }
    }

    /**
     * Dispatches {@code events} events to {@code topic} one every 40 ms (and as many to {@code alongside}, between
     * them, when given) and answers each one's delay from dispatch to delivery at {@code path}, in ms.
     */
    private static List<Double> paced(LocalHerald herald, Receiver receiver, String topic, String path, int events,
            String alongside) throws Exception {
        Map<String, Long> sent = new ConcurrentHashMap<>();
        for (int i = 0; i < events; i++) {
            long start = System.nanoTime();
            if (alongside != null) {
                dispatch(herald, alongside, "{}");
            }
            long at = System.nanoTime();
            sent.put(dispatch(herald, topic, "{}"), at);
            sleep(Math.max(0, 40 - (System.nanoTime() - start) / 1_000_000));
        }
        List<Double> delays = new ArrayList<>();
        for (var entry : sent.entrySet()) {
            long arrived = awaitDelivery(receiver, path, entry.getKey());
            delays.add((arrived - entry.getValue()) / 1e6);
        }
        return delays;
    }

    // (c)

    private static void ordering(LocalHerald herald, Receiver receiver, List<String> missed) throws Exception {
        int keys = Benchmarks.size(50, 4);
        int events = Benchmarks.size(1_000, 20);
        String rules = ",\"order_by\":\"payload.key\",\"retry\":{\"base_seconds\":1,\"cap_seconds\":2}";
        trigger(herald, "bench-dlv-ordered-base", "{\"topic\":\"bench.dlv.base\"}", receiver.url("/ordered-base"), rules);
        trigger(herald, "bench-dlv-ordered", "{\"topic\":\"bench.dlv.ordered\"}", receiver.url("/ordered"), rules);
        trigger(herald, "bench-dlv-ordered-warm", "{\"topic\":\"bench.dlv.warm\"}", receiver.url("/ordered-warm"),
                rules);
        receiver.failuresLeft.put("/ordered|k0", new AtomicInteger(3));
        orderedRun(herald, receiver, "bench.dlv.warm", "/ordered-warm", keys, Benchmarks.size(200, 4));
        List<Double> base = orderedRun(herald, receiver, "bench.dlv.base", "/ordered-base", keys, events);
        List<Double> failing = orderedRun(herald, receiver, "bench.dlv.ordered", "/ordered", keys, events);
        int outOfOrder = outOfOrder(receiver, "/ordered") + outOfOrder(receiver, "/ordered-base");
        double ratio = Seeding.percentile(failing, 99) / Seeding.percentile(base, 99);
        System.out.printf("  (c) order_by over %d keys, %d events, key k0 failing its first 3 attempts%n", keys, events);
        System.out.printf("      %-34s %8s %8s%n", "other keys' delay", "p50 ms", "p99 ms");
        System.out.printf("      %-34s %8.1f %8.1f%n", "no key failing", Seeding.percentile(base, 50),
                Seeding.percentile(base, 99));
        System.out.printf("      %-34s %8.1f %8.1f%n", "k0 failing", Seeding.percentile(failing, 50),
                Seeding.percentile(failing, 99));
        System.out.printf("      ratio p99 failing / none: %.2f; deliveries out of order per key: %d; k0 delivered %d "
                + "of %d%n", ratio, outOfOrder, receiver.order.get("/ordered").get("k0").size(), events / keys);
        if (outOfOrder != 0) {
            missed.add("(c) " + outOfOrder + " deliveries out of order");
            if (Benchmarks.smoke()) {
                throw new IllegalStateException(outOfOrder + " deliveries out of order");
            }
        }
        if (ratio > 1.2) {
            missed.add(String.format("(c) ratio %.2f > 1.2", ratio));
        }
    }

    /**
     * Dispatches {@code events} events round-robin over {@code keys} keys, one after another (so each key's order is
     * the dispatch order), running the retry sweep every 250 ms; the delays of the keys but k0, in ms.
     */
    private static List<Double> orderedRun(LocalHerald herald, Receiver receiver, String topic, String path, int keys,
            int events) throws Exception {
        AtomicBoolean sweeping = new AtomicBoolean(true);
        Thread sweeper = new Thread(() -> {
            while (sweeping.get()) {
                try {
                    herald.runSchedule("DeliveryRetryFunction");
                } catch (Throwable e) {
                    System.err.println("sweep failed: " + e);
                }
                sleep(250);
            }
        }, "bench-sweep");
        sweeper.start();
        Map<String, Long> sent = new ConcurrentHashMap<>();
        try {
            for (int i = 0; i < events; i++) {
                String key = "k" + i % keys;
                long at = System.nanoTime();
                String id = dispatch(herald, topic, "{\"key\":\"" + key + "\",\"n\":" + i + "}");
                if (!key.equals("k0")) {
                    sent.put(id, at);
                }
                sleep(15);
            }
            List<Double> delays = new ArrayList<>();
            for (var entry : sent.entrySet()) {
                delays.add((awaitDelivery(receiver, path, entry.getKey()) - entry.getValue()) / 1e6);
            }
            awaitCount(receiver, path, events);
            return delays;
        } finally {
            sweeping.set(false);
            sweeper.join();
        }
    }

    /** Deliveries answered 200 after a later one of their key. */
    private static int outOfOrder(Receiver receiver, String path) {
        int wrong = 0;
        for (List<Integer> seen : receiver.order.getOrDefault(path, Map.of()).values()) {
            int last = -1;
            for (int n : seen) {
                if (n < last) {
                    wrong++;
                }
                last = Math.max(last, n);
            }
        }
        return wrong;
    }

    // helpers

    private static void trigger(LocalHerald herald, String name, String filter, String url, String extra)
            throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(herald.baseUrl()
                        + "/api/v2/system/trigger")).header("X-Api-Key", KEY).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"filter\":" + filter
                        + ",\"action\":{\"type\":\"webhook\",\"url\":\"" + url + "\",\"max_attempts\":10" + extra
                        + "}}")).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("Creating trigger " + name + " failed: " + response.body());
        }
    }

    private static String dispatch(LocalHerald herald, String topic, String payload) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(herald.baseUrl() + "/api/events"))
                .header("X-Api-Key", KEY).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"topic\":\"" + topic + "\",\"payload\":" + payload + "}",
                        StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Dispatch failed: " + response.body());
        }
        return Json.MAPPER.readTree(response.body()).get("id").asText();
    }

    /** Dispatches {@code count} events from {@link #CLIENTS} threads. */
    private static void dispatchAll(LocalHerald herald, String topic, int count) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < CLIENTS; t++) {
                done.add(clients.submit(() -> {
                    while (next.getAndIncrement() < count) {
                        dispatch(herald, topic, "{\"x\":\"" + "y".repeat(400) + "\"}");
                    }
                    return null;
                }));
            }
            for (Future<?> each : done) {
                each.get();
            }
        } finally {
            clients.shutdownNow();
        }
    }

    private static void awaitCount(Receiver receiver, String path, int count) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (receiver.count(path) < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(path + " received " + receiver.count(path) + " of " + count);
            }
            sleep(2);
        }
    }

    /** The many triggers' deliveries all go to /many: each (trigger, event) is one request. */
    private static void awaitManyCount(Receiver receiver, int count) {
        awaitCount(receiver, "/many", count);
    }

    private static long awaitDelivery(Receiver receiver, String path, String eventId) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        long at;
        while ((at = receiver.at(path, eventId)) < 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(path + " never received " + eventId);
            }
            sleep(1);
        }
        return at;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
