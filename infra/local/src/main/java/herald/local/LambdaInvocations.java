package herald.local;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lambda's Invoke API, locally ({@code POST /2015-03-31/functions/{name}/invocations}, what the SDK's
 * {@code LambdaClient.invoke} sends): the function is named by its logical id or by an ARN of it (an alias's
 * included). {@code X-Amz-Invocation-Type: Event} queues the invocation and answers 202 at once, as Lambda's
 * asynchronous invocation does, each on its own thread, so that one slow invocation never holds up another;
 * {@code RequestResponse} (the default) runs it and answers what it returned, a handler's exception as
 * {@code X-Amz-Function-Error: Unhandled}. An asynchronous invocation that throws is logged (where AWS would retry it
 * and then send it to its on-failure destination).
 *
 * <p>Thread-safe.
 */
final class LambdaInvocations implements AutoCloseable {

    static final String PATH = "/2015-03-31/functions/";
    private static final Logger LOG = LoggerFactory.getLogger(LambdaInvocations.class);

    /** What an invocation answered: the status, the body, and whether the function threw. */
    record Result(int status, String body, boolean functionError) {
    }

    private final Map<String, LocalFunction> functions;
    private final ExecutorService async = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "lambda-async");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger running = new AtomicInteger();

    LambdaInvocations(Map<String, LocalFunction> functions) {
        this.functions = functions;
    }

    /** Invokes the function {@code name} (a logical id or an ARN) with the JSON {@code payload}. */
    Result invoke(String name, String invocationType, String payload) {
        Optional<LocalFunction> function = function(name);
        if (function.isEmpty()) {
            return new Result(404, "{\"Type\":\"User\",\"message\":\"Function not found: " + name.replace("\"", "")
                    + "\"}", false);
        }
        Map<String, Object> event;
        try {
            event = payload.isBlank() ? Map.of() : LocalJson.MAPPER.readValue(payload, new TypeReference<>() { });
        } catch (IOException e) {
            return new Result(400, "{\"Type\":\"User\",\"message\":\"Could not parse request body into json\"}", false);
        }
        if ("Event".equals(invocationType)) {
            running.incrementAndGet();
            async.execute(() -> {
                try {
                    function.get().invoke(event);
                } catch (Throwable e) {
                    LOG.warn("Asynchronous invocation of {} failed", function.get().name(), e);
                } finally {
                    running.decrementAndGet();
                }
            });
            return new Result(202, "", false);
        }
        try {
            return new Result(200, LocalJson.write(function.get().invoke(event)), false);
        } catch (Throwable e) {
            return new Result(200, LocalJson.write(Map.of("errorMessage", String.valueOf(e.getMessage()),
                    "errorType", e.getClass().getName())), true);
        }
    }

    /** Waits until no asynchronous invocation is running (tests), at most {@code timeout}; false if some still are. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (running.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    private Optional<LocalFunction> function(String name) {
        // arn:aws:lambda:<region>:<account>:function:<name>[:<alias or version>]
        String[] parts = name.split(":");
        String id = parts.length >= 7 && parts[5].equals("function") ? parts[6] : name;
        return Optional.ofNullable(functions.get(id));
    }

    @Override
    public void close() {
        async.shutdownNow();
        try {
            async.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
