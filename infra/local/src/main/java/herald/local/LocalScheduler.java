package herald.local;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The template's {@code Schedule} events (EventBridge rules): each function is invoked with EventBridge's
 * scheduled event at its rate. {@code rate(N minute[s] | hour[s] | day[s])} is
 * served; a cron expression is refused at start.
 *
 * <p>Thread-safe.
 */
final class LocalScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalScheduler.class);
    private static final Pattern RATE = Pattern.compile("rate\\((\\d+) (minute|minutes|hour|hours|day|days)\\)");

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "schedules");
        thread.setDaemon(true);
        return thread;
    });

    /** The interval of a schedule expression. */
    static Duration interval(String where, String expression) {
        Matcher rate = expression == null ? null : RATE.matcher(expression);
        if (rate == null || !rate.matches()) {
            throw new IllegalArgumentException(where + ": the local runtime serves rate(N minute(s)|hour(s)|day(s)) "
                    + "schedules, not '" + expression + "'");
        }
        long n = Long.parseLong(rate.group(1));
        return switch (rate.group(2)) {
            case "minute", "minutes" -> Duration.ofMinutes(n);
            case "hour", "hours" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    void start(LocalFunction function) {
        for (String expression : function.spec().schedules()) {
            long millis = interval(function.name(), expression).toMillis();
            executor.scheduleAtFixedRate(() -> {
                try {
                    function.invoke(event(function.name()));
                } catch (Throwable failure) {
                    LOG.warn("Scheduled run of {} failed", function.name(), failure);
                }
            }, millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    /** The event EventBridge sends a scheduled function. */
    static java.util.Map<String, Object> event(String function) {
        java.util.Map<String, Object> event = new java.util.LinkedHashMap<>();
        event.put("version", "0");
        event.put("id", java.util.UUID.randomUUID().toString());
        event.put("detail-type", "Scheduled Event");
        event.put("source", "aws.events");
        event.put("account", Intrinsics.ACCOUNT);
        event.put("time", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        event.put("region", Intrinsics.REGION);
        event.put("resources", List.of("arn:aws:events:" + Intrinsics.REGION + ":" + Intrinsics.ACCOUNT + ":rule/"
                + function));
        event.put("detail", java.util.Map.of());
        return event;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
