package herald.kernel;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * Herald's metrics, written as CloudWatch's Embedded Metric Format: each count or duration is one JSON line on
 * standard output,
 * which CloudWatch Logs turns into a metric in the namespace {@value #NAMESPACE}, with the function as its one
 * dimension. No client, no agent and no buffer: a line is written when the thing counted happens, so nothing is lost
 * when a container ends and nothing waits for a flush.
 *
 * <p>Powertools' metrics module writes the same format, but outside Lambda it probes for an EC2 metadata service and a
 * CloudWatch agent (1.5 s, and the lines go nowhere), and its first use adds about a second to a cold start; these
 * lines need only Jackson, which every function has.
 *
 * <p>Thread-safe.
 */
public final class Metrics {

    public static final String NAMESPACE = "Herald";

    /** Metrics that go nowhere: for code built without a function around it (tests, benchmarks). */
    public static final Metrics NONE = new Metrics("none", line -> { }, Clock.systemUTC());

    private final String function;
    private final Consumer<String> sink;
    private final Clock clock;

    public Metrics(String function, Consumer<String> sink, Clock clock) {
        this.function = function;
        this.sink = sink;
        this.clock = clock;
    }

    /** Metrics of {@code function} on standard output, where Lambda sends them to CloudWatch Logs. */
    public static Metrics standardOutput(String function, Clock clock) {
        PrintStream out = System.out;
        return new Metrics(function, line -> {
            synchronized (out) {
                out.println(line);
            }
        }, clock);
    }

    /** Counts {@code value} of {@code metric} (a name like {@code WebhookFailures}); zero counts are not written. */
    public void count(String metric, long value) {
        if (value == 0) {
            return;
        }
        write(metric, "Count", value);
    }

    /** One measured duration of {@code metric} (a name like {@code WebhookLatency}), in milliseconds. */
    public void milliseconds(String metric, long value) {
        write(metric, "Milliseconds", Math.max(0, value));
    }

    private void write(String metric, String unit, long value) {
        ObjectNode line = Json.MAPPER.createObjectNode();
        ObjectNode directive = line.putObject("_aws").put("Timestamp", clock.millis())
                .putArray("CloudWatchMetrics").addObject().put("Namespace", NAMESPACE);
        directive.putArray("Dimensions").addArray().add("Function");
        directive.putArray("Metrics").addObject().put("Name", metric).put("Unit", unit);
        line.put("Function", function);
        line.put(metric, value);
        sink.accept(line.toString());
    }

    /** Counts one. */
    public void count(String metric) {
        count(metric, 1);
    }
}
