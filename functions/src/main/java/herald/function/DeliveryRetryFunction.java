package herald.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import herald.triggers.Webhooks;
import java.util.Map;

/**
 * {@code DeliveryRetryFunction}, on a schedule: attempts every webhook delivery that is due, read from the
 * deliveries table's {@code byDue} index (never a scan), a page at a time.
 *
 * <p>Thread-safe.
 */
public final class DeliveryRetryFunction implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    static final int PAGE = 100;

    private final Webhooks webhooks;

    public DeliveryRetryFunction() {
        this(System.getenv());
    }

    public DeliveryRetryFunction(Map<String, String> environment) {
        this.webhooks = new Container(environment).triggers().webhooks();
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
