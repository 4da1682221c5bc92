package herald.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.kernel.Backoff;
import herald.kernel.InvalidRequestException;
import herald.kernel.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a webhook trigger retries, its action's {@code retry} (every field optional): exponential backoff with full
 * jitter from {@code base_seconds} (default: the template's {@code WebhookRetryBaseSeconds}) doubling up to
 * {@code cap_seconds} (default an hour); a receiver's {@code Retry-After} is honoured up to the cap; no attempt after
 * {@code max_age_seconds} from the event (default a day, as EventBridge keeps trying) or past the action's
 * {@code max_attempts}. An answer without a status (a timeout, a refused connection) and a 5xx are retried; a 4xx only
 * when it is in {@code retry_statuses} (default 408, 409, 425 and 429); {@code 410 Gone} never, since the receiver asked
 * to stop. Copied into each delivery when it starts, so a delivery keeps the rules it began with.
 */
public record RetryPolicy(Duration base, Duration cap, Duration maxAge, Set<Integer> retryStatuses) {

    static final Set<String> FIELDS = Set.of("base_seconds", "cap_seconds", "max_age_seconds", "retry_statuses");
    static final Set<Integer> DEFAULT_RETRY_STATUSES = Set.of(408, 409, 425, 429);
    static final Duration DEFAULT_CAP = Duration.ofHours(1);
    static final Duration DEFAULT_MAX_AGE = Duration.ofDays(1);
    /** Deliveries are kept 30 days; a week of retrying is the most that makes sense. */
    static final Duration LONGEST_MAX_AGE = Duration.ofDays(7);
    static final int GONE = 410;

    public RetryPolicy {
        retryStatuses = Set.copyOf(retryStatuses);
    }

    /** Checks an action's {@code retry} as a request gave it: a 400 that names the field for anything wrong. */
    static void validate(JsonNode retry) {
        if (!retry.isObject()) {
            throw new InvalidRequestException("action.retry must be an object, e.g. {\"base_seconds\": 10, "
                    + "\"cap_seconds\": 600, \"max_age_seconds\": 86400}");
        }
        retry.fieldNames().forEachRemaining(field -> {
            if (!FIELDS.contains(field)) {
                throw new InvalidRequestException("Unknown field action.retry." + field + "; it takes "
                        + new TreeSet<>(FIELDS));
            }
        });
        long base = seconds(retry, "base_seconds", 1, 3600, 1);
        seconds(retry, "cap_seconds", Math.max(base, 1), 86_400, base);
        seconds(retry, "max_age_seconds", 60, LONGEST_MAX_AGE.toSeconds(), 60);
        JsonNode statuses = retry.get("retry_statuses");
        if (statuses != null) {
            boolean valid = statuses.isArray();
            for (JsonNode status : statuses) {
                valid &= status.canConvertToInt() && status.isIntegralNumber() && status.asInt() >= 400
                        && status.asInt() <= 499 && status.asInt() != GONE;
            }
            if (!valid) {
                throw new InvalidRequestException("action.retry.retry_statuses must be a list of 4xx statuses to retry "
                        + "(410 Gone never is), e.g. [408, 409, 425, 429]");
            }
        }
    }

    private static long seconds(JsonNode retry, String field, long min, long max, long orElse) {
        JsonNode value = retry.get(field);
        if (value == null) {
            return orElse;
        }
        if (!value.isIntegralNumber() || value.asLong() < min || value.asLong() > max) {
            throw new InvalidRequestException("action.retry." + field + " must be a whole number of seconds from " + min
                    + " to " + max + (field.equals("cap_seconds") ? " (at least base_seconds)" : ""));
        }
        return value.asLong();
    }

    /** The policy of a (validated) action's {@code retry}, or the defaults, with {@code defaultBase}. */
    static RetryPolicy of(JsonNode retry, Duration defaultBase) {
        Duration base = retry.has("base_seconds") ? Duration.ofSeconds(retry.get("base_seconds").asLong()) : defaultBase;
        Duration cap = retry.has("cap_seconds") ? Duration.ofSeconds(retry.get("cap_seconds").asLong()) : DEFAULT_CAP;
        if (cap.compareTo(base) < 0) {
            cap = base;
        }
        Duration maxAge = retry.has("max_age_seconds") ? Duration.ofSeconds(retry.get("max_age_seconds").asLong())
                : DEFAULT_MAX_AGE;
        Set<Integer> statuses = new TreeSet<>(DEFAULT_RETRY_STATUSES);
        if (retry.has("retry_statuses")) {
            statuses.clear();
            retry.get("retry_statuses").forEach(status -> statuses.add(status.asInt()));
        }
        return new RetryPolicy(base, cap, maxAge, statuses);
    }

    /** Whether an attempt answered {@code code} (0: no answer) may be tried again. */
    public boolean retries(int code) {
        return code != GONE && (code == 0 || code >= 500 || retryStatuses.contains(code) || code < 400);
    }

    /**
     * When the next attempt is due after {@code attempts} failed ones, the last at {@code now}: full jitter up to
     * {@code min(cap, base × 2^(attempts-1))}, or the receiver's {@code Retry-After} up to the cap.
     */
    public Instant next(int attempts, Long retryAfterSeconds, Instant now) {
        Duration wait = retryAfterSeconds != null
                ? Duration.ofSeconds(Math.max(0, Math.min(retryAfterSeconds, cap.toSeconds())))
                : Backoff.of(base, cap).delay(attempts - 1);
        return now.plus(wait);
    }

    public ObjectNode toJson() {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("base_seconds", base.toSeconds());
        json.put("cap_seconds", cap.toSeconds());
        json.put("max_age_seconds", maxAge.toSeconds());
        retryStatuses.stream().sorted().forEach(json.putArray("retry_statuses")::add);
        return json;
    }
}
