package herald.scripting;

import com.fasterxml.jackson.databind.JsonNode;
import herald.kernel.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads a file through GitHub's contents API, {@code GET {api}/repos/{owner}/{repo}/contents/{path}?ref={ref}},
 * asking for the raw file ({@code application/vnd.github.raw+json}), which serves files up to 100 MB, and also
 * accepting the JSON form with base64 {@code content}. The API base URL is configurable (GitHub Enterprise:
 * {@code https://github.example.com/api/v3}); the token, when set, is sent as a Bearer token.
 *
 * <p>Thread-safe.
 */
public final class GitHubContents {

    static final int MAX_BYTES = 1024 * 1024;

    private final URI api;
    private final String token;
    private final HttpClient http;
    private final AtomicLong fetches = new AtomicLong();

    public GitHubContents(String apiUrl, String token) {
        this.api = URI.create(apiUrl.endsWith("/") ? apiUrl : apiUrl + "/");
        this.token = token == null || token.isBlank() ? null : token;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    }

    public String read(String repository, String reference, String path) {
        StringBuilder url = new StringBuilder(api.toString()).append("repos/").append(repository).append("/contents");
        for (String segment : StoragePaths.require(path).split("/")) {
            url.append('/').append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        if (reference != null) {
            url.append("?ref=").append(URLEncoder.encode(reference, StandardCharsets.UTF_8));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.toString()))
                .timeout(Duration.ofSeconds(5))
                .header("Accept", "application/vnd.github.raw+json")
                .header("X-GitHub-Api-Version", "2022-11-28")
                .header("User-Agent", "Herald");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        String where = repository + "@" + (reference == null ? "(default branch)" : reference) + ":" + path;
        HttpResponse<byte[]> response;
        try {
            fetches.incrementAndGet();
            response = http.send(request.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new ScriptLoadException("GitHub could not be reached for " + where + ": " + e.getMessage(), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScriptLoadException("Interrupted while reading " + where + " from GitHub", false);
        }
        if (response.statusCode() == 404) {
            throw new ScriptLoadException("GitHub has no file " + where, true);
        }
        if (response.statusCode() != 200) {
            throw new ScriptLoadException("GitHub answered " + response.statusCode() + " for " + where
                    + (response.statusCode() == 401 || response.statusCode() == 403 ? " (check the GitHubToken parameter)" : ""),
                    false);
        }
        if (response.body().length > MAX_BYTES) {
            throw new ScriptLoadException(where + " is larger than 1 MB; scripts must be smaller", false);
        }
        String contentType = response.headers().firstValue("content-type").orElse("");
        if (contentType.startsWith("application/json")) {
            JsonNode file;
            try {
                file = Json.MAPPER.readTree(response.body());
            } catch (IOException e) {
                throw new ScriptLoadException("GitHub sent invalid JSON for " + where, false);
            }
            if (!"file".equals(file.path("type").asText()) || !"base64".equals(file.path("encoding").asText())) {
                throw new ScriptLoadException(where + " is not a file GitHub can send (type '" + file.path("type").asText()
                        + "')", false);
            }
            return new String(Base64.getMimeDecoder().decode(file.path("content").asText()), StandardCharsets.UTF_8);
        }
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    /** How many requests this client has made: tests count them to see the cache hold. */
    public long fetches() {
        return fetches.get();
    }
}
