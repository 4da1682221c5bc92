package herald.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import herald.triggers.Webhooks;
import java.util.Map;

/**
 * {@code DeliveryRetryFunction}, on a schedule: hands every webhook delivery that is due (a retry whose time has come,
 * one whose sender died, one that waited its turn) to {@code WebhookFunction}, read from the deliveries table's
 * {@code byDue} index (never a scan).
 *
 * <p>Thread-safe.
 */
public final class DeliveryRetryFunction implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    /** Due deliveries read per shard of the index on one run (eight shards). */
    static final int PER_SHARD = 1_000;

    private final Webhooks webhooks;

    public DeliveryRetryFunction() {
        this(System.getenv());
    }

    public DeliveryRetryFunction(Map<String, String> environment) {
        this.webhooks = new Container(environment).triggers().webhooks();
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> scheduledEvent, Context context) {
        return Map.of("handedOver", webhooks.handOverDue(PER_SHARD));
    }
}
