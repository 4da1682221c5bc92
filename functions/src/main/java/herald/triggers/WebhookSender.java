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

    /** What one attempt did; {@code excerpt}: the first characters of the answer's body, if it had one. */
    public record Attempt(Instant at, boolean succeeded, int responseCode, long millis, String error, String excerpt) {
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
            return new Attempt(at, code >= 200 && code < 300, code, elapsed(start),
                    code >= 200 && code < 300 ? null : "answered " + code, excerpt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt(at, false, 0, elapsed(start), "interrupted", null);
        } catch (HeraldException e) {
            return new Attempt(at, false, 0, elapsed(start), e.detail(), null);
        } catch (java.net.http.HttpTimeoutException e) {
            return new Attempt(at, false, 0, elapsed(start), "no answer within " + TIMEOUT.toSeconds() + " s", null);
        } catch (java.net.ConnectException e) {
            return new Attempt(at, false, 0, elapsed(start), "the connection was refused or could not be made", null);
        } catch (Exception e) {
            // what the JDK says (class names, addresses) stays in the log; the delivery says what happened
            org.slf4j.LoggerFactory.getLogger(WebhookSender.class).info("Webhook attempt to {} failed", url, e);
            return new Attempt(at, false, 0, elapsed(start), "the request failed before an answer came", null);
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
