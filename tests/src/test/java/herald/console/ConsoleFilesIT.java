package herald.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import herald.kernel.Json;
import herald.local.LocalHerald;
import herald.testing.LocalHeraldExtension;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What ConsoleFunction serves, over HTTP: the page without a key and with its security headers, every file the page
 * and its modules name (so none is missing from the package), ETags and 304s, gzip for a client that asks, the
 * deployment's settings, and a JSON 404 for any other name.
 */
@ExtendWith(LocalHeraldExtension.class)
class ConsoleFilesIT {

    private static final Pattern IMPORT = Pattern.compile("(?:from |import\\(|href=\"|src=\"|`\\$\\{root}console/)"
            + "['\"]?(?:\\./|console/)?([a-z-]+\\.(?:js|css))\\?v=([0-9a-f]{12})");

    private final LocalHerald herald;
    private final HttpClient http = HttpClient.newHttpClient();

    ConsoleFilesIT(LocalHerald herald) {
        this.herald = herald;
    }

    private HttpResponse<byte[]> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(herald.baseUrl() + path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    @Test
    void thePageAndEveryFileItNamesAreServedWithoutAKey() throws Exception {
        HttpResponse<byte[]> page = get("/console");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("content-security-policy").orElse("")).contains("default-src 'self'",
                "frame-ancestors 'none'");
        assertThat(page.headers().firstValue("cache-control")).hasValue("public, max-age=60");
        assertThat(text(page)).contains("<title>Herald Console</title>").doesNotContain("{{version}}");

        Set<String> seen = new HashSet<>();
        Deque<String> pending = new ArrayDeque<>();
        Set<String> stamps = new HashSet<>();
        collect(text(page), pending, stamps);
        while (!pending.isEmpty()) {
            String file = pending.pop();
            if (!seen.add(file)) {
                continue;
            }
            HttpResponse<byte[]> asset = get("/console/" + file);
            assertThat(asset.statusCode()).as(file).isEqualTo(200);
            assertThat(asset.headers().firstValue("cache-control")).as(file).hasValue("public, max-age=86400");
            assertThat(text(asset)).as(file).doesNotContain("{{version}}");
            if (file.endsWith(".js")) {
                collect(text(asset), pending, stamps);
            }
        }
        assertThat(seen).contains("app.js", "api.js", "dom.js", "live.js", "events.js", "jobs.js", "scripts.js",
                "triggers.js", "keys.js", "overview.js", "console.css", "codemirror.js", "codemirror.css",
                "codemirror-javascript.js");
        assertThat(stamps).as("one stamp for every file of one build").hasSize(1);
    }

    private static void collect(String text, Deque<String> pending, Set<String> stamps) {
        Matcher matcher = IMPORT.matcher(text);
        while (matcher.find()) {
            pending.push(matcher.group(1));
            stamps.add(matcher.group(2));
        }
    }

    @Test
    void anUnchangedFileIsA304AndAZippedOneUnzipsToTheSame() throws Exception {
        HttpResponse<byte[]> plain = get("/console/app.js");
        String etag = plain.headers().firstValue("etag").orElseThrow();
        assertThat(get("/console/app.js", "If-None-Match", etag).statusCode()).isEqualTo(304);
        assertThat(get("/console/app.js", "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);

        HttpResponse<byte[]> zipped = get("/console/app.js", "Accept-Encoding", "gzip");
        assertThat(zipped.headers().firstValue("content-encoding")).hasValue("gzip");
        assertThat(zipped.body().length).isLessThan(plain.body().length);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.body()))) {
            assertThat(in.readAllBytes()).isEqualTo(plain.body());
        }
    }

    @Test
    void theSettingsNameTheLocalWebSocketApi() throws Exception {
        JsonNode config = Json.MAPPER.readTree(get("/console/config.json").body());
        assertThat(config.get("webSocketUrl").asText()).isEqualTo(herald.webSocketUrl().orElseThrow().toString());
        assertThat(config.get("jobLeaseMinutes").asText())
                .isEqualTo(herald.functionEnvironment("ConsoleFunction").get("JOB_LEASE_MINUTES"));
    }

    @Test
    void anyOtherNameIsAJson404() throws Exception {
        for (String name : new String[] {"missing.js", "index.html", "..%2Fopenapi.json", "app.js.map"}) {
            HttpResponse<byte[]> missing = get("/console/" + name);
            assertThat(missing.statusCode()).as(name).isEqualTo(404);
            JsonNode error = Json.MAPPER.readTree(missing.body());
            assertThat(error.get("code").asInt()).isEqualTo(404);
            assertThat(error.get("detail").asText()).contains("console");
        }
    }
}
