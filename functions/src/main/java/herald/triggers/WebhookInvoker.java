package herald.triggers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.kernel.Json;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;

/**
 * Hands deliveries to {@code WebhookFunction} by asynchronous invocation ({@code {"trigger": ..., "ids": [...],
 * "fresh": ...}}),
 * one invocation per trigger, so each trigger's attempts run in their own Lambda instances and a slow receiver holds
 * up nobody else's. Lambda queues the invocation and retries it if the function fails; if the invocation itself
 * cannot be made, the deliveries stay due and the retry function hands them over on its next run.
 *
 * <p>Thread-safe.
 */
public final class WebhookInvoker {

    /** Ids per invocation: what one instance attempts one after another (the payload stays far below 256 KB). */
    static final int IDS_PER_INVOCATION = 50;
    private static final Logger LOG = LoggerFactory.getLogger(WebhookInvoker.class);

    private final LambdaClient lambda;
    private final String function;

    public WebhookInvoker(LambdaClient lambda, String function) {
        this.lambda = lambda;
        this.function = function;
    }

    /**
     * Hands a trigger's deliveries over ({@code fresh}: just recorded, held for their first attempt); false when
     * Lambda could not be asked (they stay due).
     */
    public boolean send(String trigger, List<String> ids, boolean fresh) {
        boolean sent = true;
        for (int from = 0; from < ids.size(); from += IDS_PER_INVOCATION) {
            ObjectNode payload = Json.MAPPER.createObjectNode().put("trigger", trigger).put("fresh", fresh);
            ids.subList(from, Math.min(ids.size(), from + IDS_PER_INVOCATION)).forEach(payload.putArray("ids")::add);
            if (!invokeAsync(lambda, function, payload)) {
                LOG.warn("Could not hand {} deliveries of trigger {} to {}; the retry function will", ids.size(),
                        trigger, function);
                sent = false;
            }
        }
        return sent;
    }

    /** Invokes {@code function} asynchronously (Lambda queues it); false when Lambda could not be asked. */
    static boolean invokeAsync(LambdaClient lambda, String function, ObjectNode payload) {
        try {
            lambda.invoke(r -> r.functionName(function).invocationType(InvocationType.EVENT)
                    .payload(SdkBytes.fromUtf8String(payload.toString())));
            return true;
        } catch (SdkException e) {
            LOG.warn("Invoking {} failed", function, e);
            return false;
        }
    }
}
