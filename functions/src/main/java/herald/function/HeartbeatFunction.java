package herald.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import herald.realtime.Broadcaster;
import java.util.Map;

/**
 * {@code HeartbeatFunction}, on a schedule (the template's {@code HeartbeatMinutes}): sends Ayon's
 * {@code {"topic": "heartbeat"}} to every authenticated WebSocket connection, read from the connections table's
 * {@code byShard} index (never a Scan), so that an idle client is not dropped by API Gateway after 10 minutes.
 *
 * <p>Thread-safe.
 */
public final class HeartbeatFunction implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private final Broadcaster broadcaster;

    public HeartbeatFunction() {
        this(System.getenv());
    }

    public HeartbeatFunction(Map<String, String> environment) {
        this.broadcaster = new Container(environment).broadcaster();
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> scheduledEvent, Context context) {
        Broadcaster.Outcome outcome = broadcaster.heartbeat();
        return Map.of("sent", outcome.delivered().size(), "failed", outcome.failed().size());
    }
}
