package herald.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;

/**
 * A webhook receiver on 127.0.0.1: keeps every request, answers each path with the statuses it was told (else 200),
 * each with the body {@code {"answered": <status>}}.
 */
public final class WebhookListener implements AutoCloseable {

    /** One request received. */
    public record Received(String path, Map<String, String> headers, String body, int answered) {
        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Integer>> statuses = new ConcurrentHashMap<>();
    private final Map<String, String> retryAfters = new ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.CountDownLatch> holds = new ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> mostAtOnce = new ConcurrentHashMap<>();

    public WebhookListener() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                Map<String, String> headers = new java.util.TreeMap<>();
                exchange.getRequestHeaders().forEach((n, v) -> headers.put(n.toLowerCase(java.util.Locale.ROOT), v.get(0)));
                String path = exchange.getRequestURI().getPath();
                Deque<Integer> planned = statuses.get(path);
                Integer status = planned == null ? null : planned.poll();
                int answer = status == null ? 200 : status;
                int now = inFlight.computeIfAbsent(path, p -> new java.util.concurrent.atomic.AtomicInteger())
                        .incrementAndGet();
                mostAtOnce.computeIfAbsent(path, p -> new java.util.concurrent.atomic.AtomicInteger())
                        .accumulateAndGet(now, Math::max);
                received.add(new Received(path, headers, body, answer));
                java.util.concurrent.CountDownLatch hold = holds.get(path);
                try {
                    if (hold != null) {
                        hold.await(30, java.util.concurrent.TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    inFlight.get(path).decrementAndGet();
                }
                // a body that says which answer it was, as a delivery's excerpt shows it
                byte[] reply = ("{\"answered\": " + answer + "}").getBytes(StandardCharsets.UTF_8);
                String retryAfter = retryAfters.get(path);
                if (retryAfter != null) {
                    exchange.getResponseHeaders().add("Retry-After", retryAfter);
                }
                exchange.sendResponseHeaders(answer, reply.length);
                exchange.getResponseBody().write(reply);
                exchange.close();
            }
        });
        // each request on its own thread, so a held one holds up no other
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    /** Requests to {@code path} are received (and listed) but not answered until {@link #release}. */
    public void hold(String path) {
        holds.put(path, new java.util.concurrent.CountDownLatch(1));
    }

    /** Answers the held requests to {@code path}, and answers the next ones at once. */
    public void release(String path) {
        java.util.concurrent.CountDownLatch hold = holds.remove(path);
        if (hold != null) {
            hold.countDown();
        }
    }

    /** The most requests to {@code path} that were being answered at the same time. */
    public int mostAtOnce(String path) {
        var most = mostAtOnce.get(path);
        return most == null ? 0 : most.get();
    }

    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** The next requests to {@code path} are answered with these statuses, in order. */
    public void answer(String path, Integer... codes) {
        statuses.computeIfAbsent(path, p -> new ConcurrentLinkedDeque<>()).addAll(List.of(codes));
    }

    /** Every answer to {@code path} carries {@code Retry-After: value}. */
    public void retryAfter(String path, String value) {
        retryAfters.put(path, value);
    }

    public List<Received> at(String path) {
        List<Received> found = new ArrayList<>();
        received.stream().filter(r -> r.path().equals(path)).forEach(found::add);
        return found;
    }

    /** Waits (up to 20 s) until {@code path} has received {@code count} requests; returns them. */
    public List<Received> await(String path, int count) {
        return Awaitility.await(path + " receiving " + count + " requests").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(25)).until(() -> at(path), found -> found.size() >= count);
    }

    @Override
    public void close() {
        holds.values().forEach(java.util.concurrent.CountDownLatch::countDown);
        server.stop(0);
    }
}
