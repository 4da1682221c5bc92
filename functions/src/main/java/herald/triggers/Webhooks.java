package herald.triggers;

import herald.kernel.ConflictException;
import herald.kernel.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * At-least-once webhook delivery: a delivery is recorded before its first attempt, each attempt is taken under a
 * lease ({@code delivering}) and recorded, and a failed one is due again by the trigger's {@link RetryPolicy} until
 * it runs out of attempts or age, or gets an answer that is not worth retrying: then it is {@code failed}, the dead
 * letter, until an admin retries or recovers it. Every attempt of a delivery carries the same {@code webhook-id}, so
 * a receiver can drop repeats.
 *
 * <p>Thread-safe.
 */
public final class Webhooks {

    /** How long an attempt may hold a delivery: the sender's timeout and then some. */
    static final Duration LEASE = WebhookSender.TIMEOUT.multipliedBy(6);

    private final Metrics metrics;
    private final DeliveryStore deliveries;
    private final TriggerStore triggers;
    private final WebhookSender sender;
    private final Duration backoffBase;
    private final Clock clock;

    public Webhooks(DeliveryStore deliveries, TriggerStore triggers, WebhookSender sender, Duration backoffBase,
            Metrics metrics, Clock clock) {
        this.deliveries = deliveries;
        this.metrics = metrics;
        this.triggers = triggers;
        this.sender = sender;
        this.backoffBase = backoffBase.compareTo(RetryPolicy.DEFAULT_CAP) > 0 ? RetryPolicy.DEFAULT_CAP : backoffBase;
        this.clock = clock;
    }

    /**
     * Starts delivering an event to a trigger's webhook: records it (once per event change: {@code changeKey} names
     * the change), with the trigger's retry rules as they are now, and makes the first attempt.
     */
    public void start(Trigger trigger, String eventId, String topic, String changeKey, String body) {
        Instant now = clock.instant();
        String id = "msg_" + UUID.nameUUIDFromBytes((trigger.name() + "|" + changeKey)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString().replace("-", "");
        RetryPolicy retry = RetryPolicy.of(trigger.action().path("retry"), backoffBase);
        // recorded already taken for its first attempt (under the lease), so that attempt needs no claim of its own
        Delivery delivery = new Delivery(trigger.name(), id, eventId, topic, trigger.action().get("url").asText(), body,
                Delivery.DELIVERING, List.of(), trigger.action().path("max_attempts").asInt(Trigger.DEFAULT_ATTEMPTS),
                now.plus(LEASE), now, retry, List.of());
        if (deliveries.create(delivery)) {
            send(delivery);
        }
    }

    /**
     * Makes the next attempt of a due delivery (the retry function), if no other sender holds it;
     * answers the delivery as it now stands.
     */
    public Delivery attempt(Delivery delivery) {
        if (!deliveries.claim(delivery, clock.instant(), LEASE)) {
            return deliveries.get(delivery.trigger(), delivery.id()).orElse(delivery);
        }
        return send(delivery);
    }

    /** Makes one attempt of a delivery this sender holds, and records how it went. */
    private Delivery send(Delivery delivery) {
        Optional<String> secret = triggers.secret(delivery.trigger());
        WebhookSender.Attempt attempt = secret.isPresent()
                ? sender.send(delivery.url(), secret.get(), delivery.id(), delivery.body())
                : WebhookSender.Attempt.notMade(clock.instant(), "the trigger's secret is gone (purged)");
        List<WebhookSender.Attempt> attempts = new ArrayList<>(delivery.attempts());
        attempts.add(attempt);
        metrics.count("WebhookAttempts");
        if (attempt.responseCode() > 0) {
            metrics.milliseconds("WebhookLatency", attempt.millis());
        }
        Instant now = clock.instant();
        Delivery updated;
        if (attempt.succeeded()) {
            updated = delivery.with(Delivery.DELIVERED, attempts, delivery.maxAttempts(), null, null);
            metrics.count("WebhookDeliveries");
        } else {
            metrics.count("WebhookFailures");
            RetryPolicy retry = delivery.retry();
            Instant next = retry.next(attempts.size(), attempt.retryAfterSeconds(), now);
            String stop = secret.isEmpty() ? "the trigger's secret is gone"
                    : attempt.responseCode() == RetryPolicy.GONE ? "the receiver answered 410 Gone: it asked not to be "
                            + "sent this again"
                    : !retry.retries(attempt.responseCode()) ? "a " + attempt.responseCode() + " is not retried (the "
                            + "retry statuses are " + retry.retryStatuses() + ")"
                    : attempts.size() >= delivery.maxAttempts() ? "its " + delivery.maxAttempts() + " attempts are spent"
                    : next.isAfter(delivery.createdAt().plus(retry.maxAge())) ? "the next attempt would come after its "
                            + "maximum age of " + retry.maxAge().toSeconds() + " s"
                    : null;
            if (stop == null) {
                updated = delivery.with(Delivery.PENDING, attempts, delivery.maxAttempts(), next, null);
            } else {
                // the dead letter: it stays, failed, until an admin retries or recovers it
                metrics.count("WebhookDeadLetters");
                updated = delivery.with(Delivery.FAILED, attempts, delivery.maxAttempts(), null,
                        new Delivery.Note(now, "herald", "failed: " + stop));
            }
        }
        deliveries.save(updated);
        return updated;
    }

    /**
     * Makes a delivery due now, whatever its state but delivering, with one more attempt allowed, and notes who did
     * it; the retry function sends it on its next run (it, not the admin function, may read the secret).
     */
    public Delivery requeue(Delivery delivery, String by, String why) {
        if (delivery.status().equals(Delivery.DELIVERING)) {
            throw new ConflictException("Delivery " + delivery.id() + " is being delivered right now; look again in a "
                    + "minute");
        }
        Instant now = clock.instant();
        Delivery again = delivery.with(Delivery.PENDING, delivery.attempts(),
                Math.max(delivery.maxAttempts(), delivery.attempts().size() + 1), now, new Delivery.Note(now, by, why));
        deliveries.save(again);
        metrics.count("WebhookRequeued");
        return again;
    }

    /** Cancels a pending delivery; a cancelled one stays as it is; one delivered, failed or in flight is a 409. */
    public Delivery cancel(Delivery delivery, String by) {
        if (delivery.status().equals(Delivery.CANCELLED)) {
            return delivery;
        }
        if (!delivery.status().equals(Delivery.PENDING)) {
            throw new ConflictException("Delivery " + delivery.id() + " is " + delivery.status() + "; only a pending "
                    + "delivery can be cancelled");
        }
        Instant now = clock.instant();
        Delivery cancelled = delivery.with(Delivery.CANCELLED, delivery.attempts(), delivery.maxAttempts(), null,
                new Delivery.Note(now, by, "cancelled"));
        deliveries.save(cancelled);
        metrics.count("WebhookCancelled");
        return cancelled;
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
