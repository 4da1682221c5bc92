package herald.triggers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.auth.Principal;
import herald.auth.Role;
import herald.events.ResourceEvents;
import herald.kernel.Json;
import herald.kernel.Metrics;
import herald.kernel.Timestamps;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Disables a trigger whose endpoint keeps failing: after its {@code disable_after} (failing for that long without a
 * success, or that many failed attempts in a row) and at once when the receiver answers {@code 410 Gone}. Disabling
 * turns the trigger off ({@code is_active: false}), fails its deliveries still waiting as they come up, and emits
 * {@code resource.ResourceUpdated} with {@code payload.reason} and {@code herald.trigger.disabled}, which other
 * triggers (a notify action to admins, say) can react to. One sender disables (a conditional write), so each is
 * emitted once.
 *
 * <p>Thread-safe.
 */
public final class EndpointHealth {

    public static final String DISABLED_TOPIC = "herald.trigger.disabled";
    /** Who Herald's own changes are made by. */
    static final Principal HERALD = new Principal("herald", Role.SERVICE, null);

    private final TriggerStore triggers;
    private final EndpointStore endpoints;
    private final ResourceEvents events;
    private final Metrics metrics;
    private final Clock clock;

    public EndpointHealth(TriggerStore triggers, EndpointStore endpoints, ResourceEvents events, Metrics metrics,
            Clock clock) {
        this.triggers = triggers;
        this.endpoints = endpoints;
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Records a failed attempt of a delivery; true when it disabled the trigger. */
    boolean failed(Delivery delivery, WebhookSender.Attempt attempt) {
        Instant now = clock.instant();
        EndpointStore.Endpoint endpoint = endpoints.failed(delivery.trigger(), now);
        DeliveryRules rules = delivery.rules();
        Duration failing = Duration.between(endpoint.failingSince(), now);
        String reason = attempt.responseCode() == RetryPolicy.GONE
                ? "the receiver answered 410 Gone: it asked to be sent nothing more"
                : rules.disableAfterFailures() > 0 && endpoint.failures() >= rules.disableAfterFailures()
                        ? endpoint.failures() + " attempts in a row failed (disable_after.failures is "
                                + rules.disableAfterFailures() + ")"
                : failing.compareTo(rules.disableAfter()) >= 0
                        ? "every attempt has failed since " + Timestamps.format(endpoint.failingSince()) + " ("
                                + failing.toSeconds() + " s; disable_after.seconds is " + rules.disableAfter().toSeconds()
                                + ")"
                : null;
        if (reason == null || !endpoints.disable(delivery.trigger(), now)) {
            return false;
        }
        var before = triggers.get(delivery.trigger());
        boolean turnedOff = triggers.disable(delivery.trigger(), now, HERALD.name());
        // what disable wrote (nothing, if an admin had turned it off already), without reading it back
        var after = !turnedOff ? before : before.map(t -> new Trigger(t.name(), t.filter(), t.pattern(), t.on(), false,
                t.action(), t.createdAt(), now, HERALD.name(), t.deletedAt()));
        metrics.count("WebhookEndpointsDisabled");
        ObjectNode details = Json.MAPPER.createObjectNode().put("reason", "disabled: " + reason).put("is_active", false);
        events.emit(ResourceEvents.Change.UPDATED, TriggerAdmin.TYPE, delivery.trigger(), HERALD, null,
                before.map(TriggerAdmin::image).orElse(null), after.map(TriggerAdmin::image).orElse(null), details);
        ObjectNode payload = Json.MAPPER.createObjectNode();
        payload.put("trigger", delivery.trigger());
        // the host, not the URL: every key that reads events reads this, and a webhook's URL may carry a token
        payload.put("host", java.net.URI.create(delivery.url()).getHost());
        payload.put("reason", reason);
        payload.put("failures", endpoint.failures());
        payload.put("failing_since", Timestamps.format(endpoint.failingSince()));
        payload.put("last_delivery", delivery.id());
        if (attempt.responseCode() > 0) {
            payload.put("last_response_code", attempt.responseCode());
        }
        events.announce(DISABLED_TOPIC, "Trigger " + delivery.trigger() + " disabled: " + reason, payload, HERALD);
        return true;
    }

    /** Records a successful attempt: an endpoint that was failing is healthy again. */
    void succeeded(Delivery delivery, EndpointStore.Endpoint before) {
        if (before.failingSince() != null || before.failures() > 0) {
            endpoints.succeeded(delivery.trigger());
        }
    }
}
