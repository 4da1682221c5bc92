package herald.triggers;

import herald.kernel.Backoff;
import herald.kernel.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * At-least-once webhook delivery: a delivery is recorded before its first attempt, each attempt is recorded, and
 * a failed one is due again after an exponential backoff (the base, doubled per attempt, at most an hour) until
 * its attempts run out. Every attempt of a delivery carries the same {@code webhook-id}, so a receiver can drop
 * repeats.
 *
 * <p>Thread-safe.
 */
public final class Webhooks {

    private static final Duration MAX_WAIT = Duration.ofHours(1);

    private final Metrics metrics;
    private final DeliveryStore deliveries;
    private final TriggerStore triggers;
    private final WebhookSender sender;
    private final Backoff backoff;
    private final Clock clock;

    public Webhooks(DeliveryStore deliveries, TriggerStore triggers, WebhookSender sender, Duration backoffBase,
            Metrics metrics, Clock clock) {
        this.deliveries = deliveries;
        this.metrics = metrics;
        this.triggers = triggers;
        this.sender = sender;
        this.backoff = Backoff.of(backoffBase.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : backoffBase, MAX_WAIT);
        this.clock = clock;
    }

    /**
     * Starts delivering an event to a trigger's webhook: records it (once per event change: {@code changeKey} names
     * the change) and makes the first attempt.
     */
    public void start(Trigger trigger, String eventId, String topic, String changeKey, String body) {
        Instant now = clock.instant();
        String id = "msg_" + UUID.nameUUIDFromBytes((trigger.name() + "|" + changeKey)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString().replace("-", "");
        Delivery delivery = new Delivery(trigger.name(), id, eventId, topic, trigger.action().get("url").asText(), body,
                "pending", List.of(), trigger.action().path("max_attempts").asInt(Trigger.DEFAULT_ATTEMPTS), now, now);
        if (deliveries.create(delivery)) {
            attempt(delivery);
        }
    }

    /** Makes the next attempt of a pending delivery (the retry function, and an explicit retry). */
    public Delivery attempt(Delivery delivery) {
        Optional<String> secret = triggers.secret(delivery.trigger());
        WebhookSender.Attempt attempt = secret.isPresent()
                ? sender.send(delivery.url(), secret.get(), delivery.id(), delivery.body())
                : new WebhookSender.Attempt(clock.instant(), false, 0, 0, "the trigger's secret is gone (purged)", null);
        List<WebhookSender.Attempt> attempts = new ArrayList<>(delivery.attempts());
        attempts.add(attempt);
        String status;
        Instant next = null;
        metrics.count("WebhookAttempts");
        if (attempt.succeeded()) {
            status = "succeeded";
        } else if (attempts.size() >= delivery.maxAttempts() || secret.isEmpty()) {
            status = "failed";
            metrics.count("WebhookFailures");
            // out of attempts: the delivery stays, failed, until an admin retries it
            metrics.count("WebhookDeadLetters");
        } else {
            metrics.count("WebhookFailures");
            status = "pending";
            next = clock.instant().plus(backoff.ceiling(attempts.size() - 1));
        }
        Delivery updated = new Delivery(delivery.trigger(), delivery.id(), delivery.eventId(), delivery.topic(),
                delivery.url(), delivery.body(), status, attempts, delivery.maxAttempts(), next, delivery.createdAt());
        deliveries.save(updated);
        return updated;
    }

    /**
     * Makes a delivery due now, whatever its status, with one more attempt allowed; the retry function sends it on
     * its next run (it, not the admin function, may read the secret).
     */
    public Delivery requeue(Delivery delivery) {
        Delivery again = new Delivery(delivery.trigger(), delivery.id(), delivery.eventId(), delivery.topic(),
                delivery.url(), delivery.body(), "pending", delivery.attempts(),
                Math.max(delivery.maxAttempts(), delivery.attempts().size() + 1), clock.instant(), delivery.createdAt());
        deliveries.save(again);
        return again;
    }

    /** Attempts every due delivery; how many were attempted. */
    public int attemptDue(int limit) {
        int attempted = 0;
        for (Delivery due : deliveries.due(clock.instant(), limit)) {
            attempt(due);
            attempted++;
        }
        return attempted;
    }
}
