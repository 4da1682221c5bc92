package herald.triggers;

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

    /** What one attempt did. */
    public record Attempt(Instant at, boolean succeeded, int responseCode, long millis, String error) {
    }

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
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            int code = response.statusCode();
            return new Attempt(at, code >= 200 && code < 300, code, elapsed(start),
                    code >= 200 && code < 300 ? null : "answered " + code);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt(at, false, 0, elapsed(start), "interrupted");
        } catch (Exception e) {
            return new Attempt(at, false, 0, elapsed(start), e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    private static long elapsed(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
