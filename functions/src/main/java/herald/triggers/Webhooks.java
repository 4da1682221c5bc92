package herald.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import herald.kernel.ConflictException;
import herald.kernel.Metrics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * At-least-once webhook delivery. A delivery is recorded (held for its first attempt) by the function that reacts
 * to events and handed to {@code WebhookFunction} ({@link WebhookInvoker}), one asynchronous invocation per trigger, so a slow
 * receiver holds up only its own trigger. There each attempt is taken under a lease ({@code delivering}) and
 * recorded; a failed one is due again by the trigger's {@link RetryPolicy} until it runs out of attempts or age, or
 * gets an answer not worth retrying: then it is {@code failed}, the dead letter, until an admin retries or recovers
 * it. Every attempt of a delivery carries the same {@code webhook-id}, so a receiver can drop repeats.
 *
 * <p>The trigger's {@link DeliveryRules} hold across every container, through {@link EndpointStore}'s conditional
 * writes: at most {@code max_in_flight} attempts at once (a sender that finds every place taken puts its delivery on
 * the waiting list, and the senders holding places take it from there), at most {@code rate_per_second} attempts a
 * second, the deliveries of one {@code order_by} value one at a time in the order they were recorded (a delivery that
 * is not first in its lane waits for the one before it to be delivered or to fail), and {@link EndpointHealth}
 * disables the trigger after its {@code disable_after}. A delivery that waits is looked at again by the retry
 * function a minute later, should the sender that was to take it have died.
 *
 * <p>Thread-safe.
 */
public final class Webhooks {

    /** How long an attempt may hold a delivery: the sender's timeout and then some. */
    static final Duration LEASE = WebhookSender.TIMEOUT.multipliedBy(6);
    /** How long a waiting delivery waits before the retry function looks at it again. */
    static final Duration RECHECK = Duration.ofMinutes(1);
    /** How long one invocation keeps taking a trigger's waiting deliveries (WebhookFunction's timeout is 60 s). */
    static final Duration BUDGET = Duration.ofSeconds(40);

    private final Metrics metrics;
    private final DeliveryStore deliveries;
    private final EndpointStore endpoints;
    private final TriggerStore triggers;
    private final WebhookSender sender;
    private final WebhookInvoker invoker;
    private final EndpointHealth health;
    private final Duration backoffBase;
    private final Clock clock;
    private final Map<String, List<String>> recorded = new LinkedHashMap<>();

    /**
     * {@code invoker}: how recorded deliveries reach WebhookFunction (null where none are recorded); {@code health}:
     * what disables a failing trigger (null where attempts are not made).
     */
    public Webhooks(DeliveryStore deliveries, EndpointStore endpoints, TriggerStore triggers, WebhookSender sender,
            WebhookInvoker invoker, EndpointHealth health, Duration backoffBase, Metrics metrics, Clock clock) {
        this.deliveries = deliveries;
        this.endpoints = endpoints;
        this.metrics = metrics;
        this.triggers = triggers;
        this.sender = sender;
        this.invoker = invoker;
        this.health = health;
        this.backoffBase = backoffBase.compareTo(RetryPolicy.DEFAULT_CAP) > 0 ? RetryPolicy.DEFAULT_CAP : backoffBase;
        this.clock = clock;
    }

    /**
     * Records the delivery of an event to a trigger's webhook (once per event change: {@code changeKey} names the
     * change), with the trigger's rules as they are now, held for its first attempt; {@link #handOff} passes it on
     * (should that fail, the retry function finds it when the hold runs out).
     */
    public void start(Trigger trigger, String eventId, String topic, String changeKey, String body, JsonNode event) {
        record(trigger, eventId, topic, changeKey, body, event, null);
    }

    /**
     * Records a delivery as {@link #start} does, made by the replay {@code replayId} (null: by the event as it
     * happened); false when it was recorded already (the same change, or the same replay's event, twice).
     */
    boolean record(Trigger trigger, String eventId, String topic, String changeKey, String body, JsonNode event,
            String replayId) {
        Instant now = clock.instant();
        String id = DeliveryStore.ID_PREFIX + UUID.nameUUIDFromBytes((trigger.name() + "|" + changeKey)
                .getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
        RetryPolicy retry = RetryPolicy.of(trigger.action().path("retry"), backoffBase);
        DeliveryRules rules = DeliveryRules.of(trigger.action());
        String orderKey = rules.orderKey(event);
        // recorded already held for its first attempt (under the lease), so that attempt needs no claim of its own
        Delivery delivery = new Delivery(trigger.name(), id, eventId, topic, trigger.action().get("url").asText(), body,
                Delivery.DELIVERING, List.of(), trigger.action().path("max_attempts").asInt(Trigger.DEFAULT_ATTEMPTS),
                now.plus(LEASE), now, retry, List.of(), rules, orderKey, replayId);
        if (!deliveries.create(delivery)) {
            return false; // the stream delivered this change twice
        }
        if (orderKey != null && !endpoints.enqueue(trigger.name(), orderKey, id)) {
            fail(delivery, "its key's lane holds " + EndpointStore.MAX_QUEUE + " deliveries not yet made; "
                    + "the ones before it must be delivered or fail first");
            return true;
        }
        synchronized (recorded) {
            recorded.computeIfAbsent(trigger.name(), name -> new ArrayList<>()).add(id);
        }
        return true;
    }

    /** Hands the deliveries recorded since the last hand-off to WebhookFunction, one invocation per trigger. */
    public void handOff() {
        Map<String, List<String>> batch;
        synchronized (recorded) {
            batch = new LinkedHashMap<>(recorded);
            recorded.clear();
        }
        if (!batch.isEmpty() && invoker == null) {
            throw new IllegalStateException("This function records webhook deliveries but has no WEBHOOK_FUNCTION");
        }
        batch.forEach((trigger, ids) -> invoker.send(trigger, ids, true));
    }

    /**
     * WebhookFunction's work: attempts a trigger's deliveries {@code ids} (each if it is still pending), within the
     * trigger's rules; while it holds a place among a limited trigger's attempts in flight, it goes on with the
     * deliveries waiting for one. {@code fresh}: the ids were just recorded, held for their first attempt, so they
     * are read rather than claimed (one write fewer each). How many attempts it made.
     */
    public int deliver(String trigger, List<String> ids, boolean fresh) {
        Set<String> recordedHeld = fresh ? Set.copyOf(ids) : Set.of();
        long deadline = clock.millis() + BUDGET.toMillis();
        Deque<String> work = new ArrayDeque<>(new LinkedHashSet<>(ids));
        Map<String, Optional<String>> secrets = new HashMap<>();
        EndpointStore.Endpoint endpoint = endpoints.get(trigger);
        DeliveryRules rules = DeliveryRules.NONE; // those of the last delivery looked at
        String place = null;
        int attempts = 0;
        try {
            while (clock.millis() < deadline) {
                if (work.isEmpty()) {
                    if (place == null) {
                        break;
                    }
                    work.addAll(endpoints.takeWaiting(trigger, 10));
                    if (work.isEmpty()) {
                        endpoints.release(trigger, place);
                        // one that began to wait meanwhile is taken by this sender, or by one that holds a place
                        place = endpoints.anyWaiting(trigger) ? acquire(trigger, rules) : null;
                        if (place == null) {
                            break;
                        }
                        continue;
                    }
                }
                // taken first (one conditional write, which reads it too); one that must wait is put back
                String id = work.poll();
                Optional<Delivery> held = recordedHeld.contains(id)
                        ? deliveries.get(trigger, id).filter(d -> d.status().equals(Delivery.DELIVERING)
                                && d.attempts().isEmpty() && d.nextAttemptAt().isAfter(clock.instant()))
                        : deliveries.claim(trigger, id, clock.instant(), LEASE);
                if (held.isEmpty() && recordedHeld.contains(id)) {
                    held = deliveries.claim(trigger, id, clock.instant(), LEASE); // its hold ran out meanwhile
                }
                if (held.isEmpty()) {
                    continue; // done already, or another sender holds it
                }
                Delivery delivery = held.get();
                rules = delivery.rules();
                // read for each one (a consistent read): a cancel must stop the very next attempt
                if (delivery.replayId() != null && deliveries.replayCancelled(trigger, delivery.replayId())) {
                    drop(delivery, "herald", "cancelled: its replay was cancelled");
                    continue;
                }
                if (endpoint.disabledAt() != null) {
                    fail(delivery, "the trigger was disabled because its endpoint kept failing; enable it and recover "
                            + "its failed deliveries to send them");
                    continue;
                }
                if (delivery.orderKey() != null && !firstInLane(delivery)) {
                    putBack(delivery, clock.instant().plus(RECHECK)); // the one before it lets it go
                    continue;
                }
                if (rules.maxInFlight() > 0 && place == null) {
                    place = acquire(trigger, rules);
                    if (place == null) {
                        putBack(delivery, clock.instant().plus(RECHECK));
                        endpoints.await(trigger, delivery.id());
                        // a place freed meanwhile is taken, and the waiting list with it
                        place = acquire(trigger, rules);
                        continue;
                    }
                }
                if (rules.ratePerSecond() > 0 && !token(trigger, rules.ratePerSecond(), deadline)) {
                    putBack(delivery, clock.instant().plusSeconds(1));
                    break;
                }
                Delivery result = send(delivery, secrets, endpoint);
                attempts++;
                if (!result.status().equals(Delivery.DELIVERED)) {
                    endpoint = endpoints.get(trigger);
                }
                if (result.finished() && result.orderKey() != null) {
                    String next = endpoints.finish(trigger, result.orderKey(), result.id());
                    if (next != null) {
                        work.addFirst(next);
                    }
                }
            }
        } finally {
            if (place != null) {
                endpoints.release(trigger, place);
            }
        }
        return attempts;
    }

    /** A place among a limited trigger's attempts in flight, for this sender (null: every place is taken). */
    private String acquire(String trigger, DeliveryRules rules) {
        if (rules.maxInFlight() <= 0) {
            return null;
        }
        String holder = UUID.randomUUID().toString();
        return endpoints.acquire(trigger, holder, rules.maxInFlight(), clock.instant(), BUDGET.plus(LEASE)) ? holder
                : null;
    }

    /** Whether the delivery is first among its key's unfinished ones (put there if it was never queued). */
    private boolean firstInLane(Delivery delivery) {
        List<String> lane = endpoints.lane(delivery.trigger(), delivery.orderKey());
        if (!lane.contains(delivery.id())) {
            endpoints.enqueue(delivery.trigger(), delivery.orderKey(), delivery.id());
            lane = endpoints.lane(delivery.trigger(), delivery.orderKey());
        }
        return !lane.isEmpty() && lane.get(0).equals(delivery.id());
    }

    /** Takes one of the second's attempts, waiting for the next second while the budget lasts. */
    private boolean token(String trigger, int perSecond, long deadline) {
        while (!endpoints.takeToken(trigger, perSecond, clock.instant())) {
            long wait = 1_000 - clock.millis() % 1_000;
            if (clock.millis() + wait >= deadline) {
                return false;
            }
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Makes one attempt of a delivery this sender holds, and records how it went. */
    private Delivery send(Delivery delivery, Map<String, Optional<String>> secrets, EndpointStore.Endpoint endpoint) {
        Optional<String> secret = secrets.computeIfAbsent(delivery.trigger(), triggers::secret);
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
            if (health != null) {
                health.succeeded(delivery, endpoint);
            }
        } else {
            metrics.count("WebhookFailures");
            boolean disabled = secret.isPresent() && health != null && health.failed(delivery, attempt);
            RetryPolicy retry = delivery.retry();
            Instant next = retry.next(attempts.size(), attempt.retryAfterSeconds(), now);
            String stop = secret.isEmpty() ? "the trigger's secret is gone"
                    : attempt.responseCode() == RetryPolicy.GONE ? "the receiver answered 410 Gone: it asked not to be "
                            + "sent this again"
                    : disabled ? "this failure disabled the trigger"
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

    /** A delivery this sender holds goes back to waiting, due again at {@code until}. */
    private void putBack(Delivery delivery, Instant until) {
        deliveries.save(delivery.with(Delivery.PENDING, delivery.attempts(), delivery.maxAttempts(), until, null));
    }

    /** Fails a delivery without an attempt (its trigger is disabled, its lane is full). */
    private void fail(Delivery delivery, String why) {
        Delivery held = delivery;
        if (!delivery.status().equals(Delivery.DELIVERING)) {
            Optional<Delivery> taken = deliveries.claim(delivery.trigger(), delivery.id(), clock.instant(), LEASE);
            if (taken.isEmpty()) {
                return;
            }
            held = taken.get();
        }
        metrics.count("WebhookDeadLetters");
        Delivery failed = held.with(Delivery.FAILED, held.attempts(), held.maxAttempts(), null,
                new Delivery.Note(clock.instant(), "herald", "failed: " + why));
        deliveries.save(failed);
        if (failed.orderKey() != null) {
            endpoints.finish(failed.trigger(), failed.orderKey(), failed.id());
        }
    }

    /**
     * Makes a delivery due now, whatever its state but delivering, with one more attempt allowed, and notes who did
     * it; the retry function hands it to WebhookFunction on its next run. One of an ordered trigger goes to the end
     * of its key's lane again.
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
        if (again.orderKey() != null) {
            endpoints.enqueue(again.trigger(), again.orderKey(), again.id());
        }
        metrics.count("WebhookRequeued");
        return again;
    }

    /**
     * Cancels a pending delivery (one waiting in a lane lets the next go); a cancelled one stays as it is; one
     * delivered, failed or in flight is a 409.
     */
    public Delivery cancel(Delivery delivery, String by) {
        if (delivery.status().equals(Delivery.CANCELLED)) {
            return delivery;
        }
        if (!delivery.status().equals(Delivery.PENDING)) {
            throw new ConflictException("Delivery " + delivery.id() + " is " + delivery.status() + "; only a pending "
                    + "delivery can be cancelled");
        }
        Delivery cancelled = drop(delivery, by, "cancelled");
        return cancelled;
    }

    /** Cancels a delivery this sender holds or an admin cancels; one in a lane lets the next go. */
    private Delivery drop(Delivery delivery, String by, String note) {
        Instant now = clock.instant();
        Delivery cancelled = delivery.with(Delivery.CANCELLED, delivery.attempts(), delivery.maxAttempts(), null,
                new Delivery.Note(now, by, note));
        deliveries.save(cancelled);
        if (cancelled.orderKey() != null) {
            String next = endpoints.finish(cancelled.trigger(), cancelled.orderKey(), cancelled.id());
            if (next != null) {
                deliveries.get(cancelled.trigger(), next).filter(d -> d.status().equals(Delivery.PENDING))
                        .ifPresent(d -> deliveries.putOff(d, now));
            }
        }
        metrics.count("WebhookCancelled");
        return cancelled;
    }

    /**
     * The retry function's sweep: hands every due delivery (a retry whose time has come, one whose sender died, one
     * that waited) to WebhookFunction, one invocation per trigger; how many it handed over.
     */
    public int handOverDue(int limit) {
        Map<String, Set<String>> byTrigger = new LinkedHashMap<>();
        int due = 0;
        for (Delivery delivery : deliveries.due(clock.instant(), limit)) {
            byTrigger.computeIfAbsent(delivery.trigger(), t -> new LinkedHashSet<>()).add(delivery.id());
            due++;
        }
        if (invoker == null && !byTrigger.isEmpty()) {
            throw new IllegalStateException("This function hands due deliveries over but has no WEBHOOK_FUNCTION");
        }
        byTrigger.forEach((trigger, ids) -> invoker.send(trigger, new ArrayList<>(ids), false));
        return due;
    }
}
