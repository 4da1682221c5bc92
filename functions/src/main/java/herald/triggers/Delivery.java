package herald.triggers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.kernel.Json;
import herald.kernel.Timestamps;
import java.time.Instant;
import java.util.List;

/**
 * One event sent to one trigger's webhook: its id (the {@code webhook-id}, the same on every attempt), the body,
 * where it goes, its status ({@code pending} while attempts remain, then {@code succeeded} or {@code failed}), its
 * attempts, and when the next is due.
 */
public record Delivery(String trigger, String id, String eventId, String topic, String url, String body, String status,
        List<WebhookSender.Attempt> attempts, int maxAttempts, Instant nextAttemptAt, Instant createdAt) {

    public ObjectNode toJson() {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("id", id);
        json.put("trigger", trigger);
        json.put("event_id", eventId);
        json.put("topic", topic);
        json.put("url", url);
        json.put("status", status);
        json.put("attempt_count", attempts.size());
        json.put("max_attempts", maxAttempts);
        json.put("next_attempt_at", nextAttemptAt == null ? null : Timestamps.format(nextAttemptAt));
        json.put("created_date", Timestamps.format(createdAt));
        var list = json.putArray("attempts");
        for (WebhookSender.Attempt attempt : attempts) {
            ObjectNode a = list.addObject();
            a.put("at", Timestamps.format(attempt.at()));
            a.put("succeeded", attempt.succeeded());
            if (attempt.responseCode() > 0) {
                a.put("response_code", attempt.responseCode());
            } else {
                a.putNull("response_code");
            }
            a.put("duration_ms", attempt.millis());
            a.put("error", attempt.error());
            a.put("response_excerpt", attempt.excerpt());
        }
        return json;
    }
}
