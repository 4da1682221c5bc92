package herald.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A plain HTTP client for Herald's API, as any caller would use it: real requests, real status codes. Every exchange
 * is checked against the OpenAPI document ({@link Contract}) unless the client was made {@link #withoutContract()}.
 */
public final class HeraldClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI baseUrl;
    private final String apiKey;
    private final Checked contract;

    /** What of an exchange is checked against the contract. */
    private enum Checked { EXCHANGE, ANSWER, NOTHING }

    public HeraldClient(URI baseUrl, String apiKey) {
        this(baseUrl, apiKey, Checked.EXCHANGE);
    }

    private HeraldClient(URI baseUrl, String apiKey, Checked contract) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.contract = contract;
    }

    public URI baseUrl() {
        return baseUrl;
    }

    /** A request with the API key already set; {@code headers} are name, value pairs. */
    public Response send(String method, String path, String body, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (apiKey != null) {
            builder.header("X-Api-Key", apiKey);
        }
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        try {
            HttpRequest request = builder.build();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (contract != Checked.NOTHING) {
                Contract.check(method, path, contract == Checked.EXCHANGE ? body : null, request.headers().map(),
                        contract == Checked.EXCHANGE, response.statusCode(), response.body(),
                        response.headers().firstValue("content-type").orElse(null));
            }
            return new Response(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Response post(String path, String body, String... headers) {
        return send("POST", path, body, headers);
    }

    public Response put(String path, String body, String... headers) {
        return send("PUT", path, body, headers);
    }

    public Response get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    public Response patch(String path, String body, String... headers) {
        return send("PATCH", path, body, headers);
    }

    public Response delete(String path, String... headers) {
        return send("DELETE", path, null, headers);
    }

    /** Dispatches an event that must be accepted, and returns its id. */
    public String dispatch(String body) {
        Response response = post("/api/events", body);
        if (response.status() != 200) {
            throw new AssertionError("Dispatch failed: " + response.status() + " " + response.body());
        }
        return response.json().get("id").asText();
    }

    public HeraldClient withoutKey() {
        return new HeraldClient(baseUrl, null, contract);
    }

    public HeraldClient withKey(String key) {
        return new HeraldClient(baseUrl, key, contract);
    }

    /**
     * The same client, its exchanges unchecked: for calls whose answers a test's own script rewrites, or that send
     * what no client would (raw bytes, unknown routes), where the contract does not apply.
     */
    public HeraldClient withoutContract() {
        return new HeraldClient(baseUrl, apiKey, Checked.NOTHING);
    }

    /**
     * The same client, only its answers checked: for requests made bad on purpose that Herald may still accept,
     * because it ignores what it does not read (the fuzz suite's headers and parameters).
     */
    public HeraldClient withContractOnAnswers() {
        return new HeraldClient(baseUrl, apiKey, Checked.ANSWER);
    }

    /** A response: status, body text, and the body as JSON on demand. */
    public record Response(int status, String body, HttpResponse<String> raw) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("Not JSON (" + status + "): " + body, e);
            }
        }
    }
}
