package herald.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import herald.triggers.Webhooks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code WebhookFunction}, invoked asynchronously with {@code {"trigger": ..., "ids": [...], "fresh": ...}} by the
 * functions that record webhook deliveries (the reactions, fresh: held for their first attempt) and hand due ones
 * over (the retries): makes the attempts of one trigger's
 * deliveries, within its pacing, ordering and health rules ({@link Webhooks#deliver}). Each trigger's attempts run in
 * their own instances, so a slow receiver holds up nobody else's.
 *
 * <p>Thread-safe.
 */
public final class WebhookFunction implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookFunction.class);

    private final Webhooks webhooks;

    public WebhookFunction() {
        this(System.getenv());
    }

    public WebhookFunction(Map<String, String> environment) {
        this.webhooks = new Container(environment).triggers().webhooks();
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> invocation, Context context) {
        Object trigger = invocation.get("trigger");
        Object ids = invocation.get("ids");
        if (!(trigger instanceof String) || !(ids instanceof List<?> list)
                || list.stream().anyMatch(id -> !(id instanceof String))) {
            // not what Herald sends: nothing to retry
            LOG.warn("WebhookFunction takes {{\"trigger\": <name>, \"ids\": [<delivery id>...]}}; ignored {}",
                    invocation.keySet());
            return Map.of("attempted", 0);
        }
        List<String> deliveries = new ArrayList<>();
        list.forEach(id -> deliveries.add((String) id));
        return Map.of("attempted", webhooks.deliver((String) trigger, deliveries,
                Boolean.TRUE.equals(invocation.get("fresh"))));
    }
}
