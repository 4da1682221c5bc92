package herald.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.kernel.InvalidRequestException;
import herald.kernel.Json;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a webhook trigger's deliveries are paced, ordered and given up on, from its action (every field optional):
 * <ul>
 *   <li>{@code max_in_flight}: at most this many attempts at once, across every container (0: no limit);</li>
 *   <li>{@code rate_per_second}: at most this many attempts in each second, across every container (0: no limit);</li>
 *   <li>{@code order_by}: a dotted path in the event (e.g. {@code payload.resource.id}); the deliveries of one value
 *   are made one at a time, in the order they were recorded, and a delivery that keeps failing holds back only its
 *   own value until it is delivered or {@code failed};</li>
 *   <li>{@code disable_after}: {@code {"seconds": S, "failures": N}}: the trigger is disabled after failing for
 *   {@code S} seconds without a success (default five days, as Svix does) or after {@code N} failed attempts in a
 *   row (default: no count), and at once when the receiver answers {@code 410 Gone}.</li>
 * </ul>
 * Copied into each delivery when it starts, with the value {@code order_by} names in its event, so a delivery keeps
 * the rules it began with.
 */
public record DeliveryRules(int maxInFlight, int ratePerSecond, Duration disableAfter, int disableAfterFailures,
        String orderBy) {

    static final Duration DEFAULT_DISABLE_AFTER = Duration.ofDays(5);
    static final int MAX_IN_FLIGHT = 100;
    static final int MAX_RATE = 500;
    static final Set<String> DISABLE_FIELDS = Set.of("seconds", "failures");
    static final String PATH = "[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z0-9_]+)*";
    static final DeliveryRules NONE = new DeliveryRules(0, 0, DEFAULT_DISABLE_AFTER, 0, null);

    /** Checks a webhook action's rules as a request gave them: a 400 that names the field for anything wrong. */
    static void validate(JsonNode action) {
        whole(action, "max_in_flight", 1, MAX_IN_FLIGHT);
        whole(action, "rate_per_second", 1, MAX_RATE);
        JsonNode orderBy = action.get("order_by");
        if (orderBy != null && (!orderBy.isTextual() || !orderBy.asText().matches(PATH))) {
            throw new InvalidRequestException("action.order_by must be a dotted path in the event, e.g. "
                    + "payload.resource.id");
        }
        JsonNode disable = action.get("disable_after");
        if (disable != null) {
            if (!disable.isObject() || disable.isEmpty()) {
                throw new InvalidRequestException("action.disable_after must be an object with seconds and/or failures, "
                        + "e.g. {\"seconds\": 86400, \"failures\": 50}");
            }
            disable.fieldNames().forEachRemaining(field -> {
                if (!DISABLE_FIELDS.contains(field)) {
                    throw new InvalidRequestException("Unknown field action.disable_after." + field + "; it takes "
                            + new TreeSet<>(DISABLE_FIELDS));
                }
            });
            whole(disable, "seconds", 60, RetryPolicy.LONGEST_MAX_AGE.toSeconds() * 5, "action.disable_after.");
            whole(disable, "failures", 1, 10_000, "action.disable_after.");
        }
    }

    private static void whole(JsonNode node, String field, long min, long max) {
        whole(node, field, min, max, "action.");
    }

    private static void whole(JsonNode node, String field, long min, long max, String prefix) {
        JsonNode value = node.get(field);
        if (value != null && (!value.isIntegralNumber() || value.asLong() < min || value.asLong() > max)) {
            throw new InvalidRequestException(prefix + field + " must be a whole number from " + min + " to " + max);
        }
    }

    /** The rules of a (validated) webhook action. */
    static DeliveryRules of(JsonNode action) {
        JsonNode disable = action.path("disable_after");
        return new DeliveryRules(action.path("max_in_flight").asInt(0), action.path("rate_per_second").asInt(0),
                disable.has("seconds") ? Duration.ofSeconds(disable.get("seconds").asLong()) : DEFAULT_DISABLE_AFTER,
                disable.path("failures").asInt(0), action.path("order_by").isTextual() ? action.get("order_by").asText()
                        : null);
    }

    /** The rules as a delivery stores them, and {@link #fromJson} reads them back. */
    ObjectNode toJson() {
        ObjectNode json = Json.MAPPER.createObjectNode();
        if (maxInFlight > 0) {
            json.put("max_in_flight", maxInFlight);
        }
        if (ratePerSecond > 0) {
            json.put("rate_per_second", ratePerSecond);
        }
        if (orderBy != null) {
            json.put("order_by", orderBy);
        }
        ObjectNode disable = json.putObject("disable_after").put("seconds", disableAfter.toSeconds());
        if (disableAfterFailures > 0) {
            disable.put("failures", disableAfterFailures);
        }
        return json;
    }

    static DeliveryRules fromJson(JsonNode json) {
        return json == null ? NONE : of(json);
    }

    /** The value {@code order_by} names in the event as webhooks send it (null: none, or it is not ordered). */
    String orderKey(JsonNode event) {
        if (orderBy == null) {
            return null;
        }
        JsonNode value = event;
        for (String part : orderBy.split("\\.")) {
            value = value.path(part);
        }
        return value.isValueNode() && !value.isNull() ? value.asText() : value.isMissingNode() || value.isNull() ? null
                : value.toString();
    }
}
