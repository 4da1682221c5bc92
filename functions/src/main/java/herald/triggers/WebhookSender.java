package herald.triggers;

import herald.kernel.HeraldException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * One webhook attempt: POST the body with the Standard Webhooks headers, 10 s to answer; a 2xx is a success,
 * anything else (another status, a timeout, a refused connection, a URL no longer allowed) a failure to retry.
 *
 * <p>Thread-safe.
 */
public final class WebhookSender {

    /**
     * What one attempt did; {@code excerpt}: the first characters of the answer's body, if it had one;
     * {@code retryAfterSeconds}: what the answer's {@code Retry-After} asked for, if it had one.
     */
    public record Attempt(Instant at, boolean succeeded, int responseCode, long millis, String error, String excerpt,
            Long retryAfterSeconds) {

        /** An attempt that sent nothing (no secret, say). */
        static Attempt notMade(Instant at, String why) {
            return new Attempt(at, false, 0, 0, why, null, null);
        }
    }

    /** How much of an answer's body a delivery keeps. */
    static final int EXCERPT = 300;

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final boolean allowPrivate;
    private final Clock clock;

    public WebhookSender(boolean allowPrivate, Clock clock) {
        this.allowPrivate = allowPrivate;
        this.clock = clock;
    }

    public Attempt send(String url, String secret, String id, String body) {
        Instant at = clock.instant();
        long start = System.nanoTime();
        try {
            URI uri = WebhookUrls.requireAllowed(url, allowPrivate);
            long timestamp = at.getEpochSecond();
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                    .header("content-type", "application/json")
                    .header("user-agent", "Herald-Webhooks/1")
                    .header("webhook-id", id)
                    .header("webhook-timestamp", Long.toString(timestamp))
                    .header("webhook-signature", WebhookSigner.signature(secret, id, timestamp, body))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            int code = response.statusCode();
            String excerpt = excerpt(response.body());
            Long retryAfter = response.headers().firstValue("retry-after").map(v -> retryAfter(v, at)).orElse(null);
            return new Attempt(at, code >= 200 && code < 300, code, elapsed(start),
                    code >= 200 && code < 300 ? null : "answered " + code, excerpt, retryAfter);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(at, start, "interrupted");
        } catch (HeraldException e) {
            return failed(at, start, e.detail());
        } catch (java.net.http.HttpTimeoutException e) {
            return failed(at, start, "no answer within " + TIMEOUT.toSeconds() + " s");
        } catch (java.net.ConnectException e) {
            return failed(at, start, "the connection was refused or could not be made");
        } catch (Exception e) {
            // what the JDK says (class names, addresses) stays in the log; the delivery says what happened
            org.slf4j.LoggerFactory.getLogger(WebhookSender.class).info("Webhook attempt to {} failed", url, e);
            return failed(at, start, "the request failed before an answer came");
        }
    }

    private static Attempt failed(Instant at, long start, String why) {
        return new Attempt(at, false, 0, elapsed(start), why, null, null);
    }

    /** {@code Retry-After}: seconds, or an HTTP date; null when it is neither. */
    static Long retryAfter(String value, Instant now) {
        String text = value.trim();
        if (text.matches("\\d{1,9}")) {
            return Long.parseLong(text);
        }
        try {
            Instant when = java.time.ZonedDateTime.parse(text, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
            return Math.max(0, Duration.between(now, when).toSeconds());
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /** The first {@link #EXCERPT} characters of a body, read no further; null for an empty one. */
    private static String excerpt(java.io.InputStream body) {
        try (body) {
            byte[] head = body.readNBytes(EXCERPT * 4);
            if (head.length == 0) {
                return null;
            }
            String text = new String(head, java.nio.charset.StandardCharsets.UTF_8);
            return text.length() > EXCERPT ? text.substring(0, EXCERPT) : text;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static long elapsed(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
