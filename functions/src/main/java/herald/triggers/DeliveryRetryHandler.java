package herald.triggers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/**
 * {@code DeliveryRetryFunction}, on a schedule: attempts every webhook delivery that is due, read from the
 * deliveries table's {@code byDue} index (never a scan), a page at a time.
 *
 * <p>Thread-safe.
 */
public final class DeliveryRetryHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    static final int PAGE = 100;

    private final Webhooks webhooks;

    public DeliveryRetryHandler() {
        this(System.getenv());
    }

    public DeliveryRetryHandler(Map<String, String> environment) {
        this(Triggers.of(new herald.runtime.Environment(environment)).webhooks());
    }

    public DeliveryRetryHandler(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> scheduledEvent, Context context) {
        int total = 0;
        long deadline = System.currentTimeMillis() + 40_000;
        int attempted;
        do {
            attempted = webhooks.attemptDue(PAGE);
            total += attempted;
        } while (attempted == PAGE && System.currentTimeMillis() < deadline);
        return Map.of("attempted", total);
    }
}
