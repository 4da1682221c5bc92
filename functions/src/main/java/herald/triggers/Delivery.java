package herald.triggers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.kernel.Json;
import herald.kernel.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One event sent to one trigger's webhook: its id (the {@code webhook-id}, the same on every attempt), the body,
 * where it goes, its state, its attempts, when the next is due, the retry and pacing rules it started with, the value
 * it is ordered by ({@code orderKey}, when the trigger orders), and notes of what people did to it (a retry, a
 * recovery, a cancel), and the replay that made it ({@code replayId}, null for one made by an event as it happened).
 * States: {@code pending} (an attempt is due, now or after a
 * backoff), {@code delivering} (an attempt is being made, under a lease), {@code delivered}, {@code failed} (no
 * attempt left: the dead letter, until it is retried or recovered) and {@code cancelled}.
 */
public record Delivery(String trigger, String id, String eventId, String topic, String url, String body, String status,
        List<WebhookSender.Attempt> attempts, int maxAttempts, Instant nextAttemptAt, Instant createdAt,
        RetryPolicy retry, List<Note> notes, DeliveryRules rules, String orderKey, String replayId) {

    public static final String PENDING = "pending";
    public static final String DELIVERING = "delivering";
    public static final String DELIVERED = "delivered";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";
    public static final Set<String> STATES = Set.of(PENDING, DELIVERING, DELIVERED, FAILED, CANCELLED);
    /** The states a delivery leaves no more unless an admin retries or recovers it. */
    static final Set<String> FINISHED = Set.of(DELIVERED, FAILED, CANCELLED);

    /** Something that happened to a delivery besides an attempt: who, when, what. */
    public record Note(Instant at, String by, String text) {
    }

    public Delivery {
        attempts = List.copyOf(attempts);
        notes = List.copyOf(notes);
    }

    /** This delivery in another state, due at {@code next} (null: not due), with {@code note} added if given. */
    Delivery with(String state, List<WebhookSender.Attempt> madeAttempts, int attemptsAllowed, Instant next,
            Note note) {
        List<Note> all = new ArrayList<>(notes);
        if (note != null) {
            all.add(note);
        }
        return new Delivery(trigger, id, eventId, topic, url, body, state, madeAttempts, attemptsAllowed, next,
                createdAt, retry, all, rules, orderKey, replayId);
    }

    boolean finished() {
        return FINISHED.contains(status);
    }

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
        json.set("retry", retry.toJson());
        json.setAll(rules.toJson());
        if (orderKey != null) {
            json.put("order_key", orderKey);
        }
        json.put("replay", replayId != null);
        if (replayId != null) {
            json.put("replay_id", replayId);
        }
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
            if (attempt.retryAfterSeconds() != null) {
                a.put("retry_after_seconds", attempt.retryAfterSeconds());
            }
        }
        var noted = json.putArray("notes");
        for (Note note : notes) {
            noted.addObject().put("at", Timestamps.format(note.at())).put("by", note.by()).put("note", note.text());
        }
        return json;
    }
}
