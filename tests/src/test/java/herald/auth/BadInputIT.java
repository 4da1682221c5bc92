package herald.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import herald.kernel.Json;
import herald.local.LocalHerald;
import herald.local.SamTemplate;
import herald.testing.HeraldClient.Response;
import herald.testing.HeraldClient;
import herald.testing.LocalHeraldExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bad input on every route that takes a body: malformed and deeply nested JSON, JSON that is not an object, bytes
 * that are not UTF-8, bodies over API Gateway's limit, wrong types, path traversal in script storage paths, filter
 * keys that try to leave their field. Each is a 4xx with a {@code detail} that says what is wrong, never a 500, and
 * nothing is written.
 */
@ExtendWith(LocalHeraldExtension.class)
class BadInputIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Routes that read a JSON body and must refuse a bad one with 400 (others may ignore the body). */
    private static final List<String> JSON_ROUTES = List.of("POST /api/events", "PATCH /api/events/{id}",
            "POST /api/enroll", "POST /graphql", "POST /api/v2/system/event_script",
            "POST /api/v2/system/event_script/{name}", "PUT /api/v2/system/event_script/{name}",
            "PATCH /api/v2/system/event_script/{name}", "POST /api/v2/system/service",
            "POST /api/v2/system/service/{name}", "PUT /api/v2/system/service/{name}",
            "PATCH /api/v2/system/service/{name}", "POST /api/v2/system/api_key",
            "PATCH /api/v2/system/api_key/{name}");

    private final LocalHerald herald;
    private final HeraldClient admin;

    BadInputIT(LocalHerald herald, HeraldClient admin) {
        this.herald = herald;
        this.admin = admin;
    }

    @Test
    void everyRouteRefusesMalformedBodiesClearlyAndWritesNothing() throws Exception {
        String event = admin.dispatch("{\"topic\":\"it.badinput\"}");
        Map<String, Long> before = itemCounts();
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        bodies.put("malformed JSON", "{\"topic\": \"a.b\",".getBytes(StandardCharsets.UTF_8));
        bodies.put("deeply nested JSON", ("{\"a\":".repeat(5000) + "1" + "}".repeat(5000)).getBytes(StandardCharsets.UTF_8));
        bodies.put("a JSON array", "[{\"topic\":\"a.b\"}]".getBytes(StandardCharsets.UTF_8));
        bodies.put("a JSON string", "\"a.b\"".getBytes(StandardCharsets.UTF_8));
        byte[] notUtf8 = "{\"topic\":\"a.b\",\"name\":\"x\",\"description\":\"??\"}".getBytes(StandardCharsets.UTF_8);
        notUtf8[notUtf8.length - 4] = (byte) 0xC3;
        notUtf8[notUtf8.length - 3] = (byte) 0x28;
        bodies.put("invalid UTF-8", notUtf8);

        List<String> wrong = new ArrayList<>();
        for (SamTemplate.RouteSpec route : routes()) {
            if (route.isDefault() || route.method().equals("GET") || route.method().equals("DELETE")) {
                continue;
            }
            String method = route.method().equals("ANY") ? "POST" : route.method();
            String path = route.path().replace("{id}", event).replace("{name}", "badinput")
                    .replace("{event_name}", "events.post.pre_process").replace("{service}", "badinput")
                    .replace("{proxy+}", "a/b");
            for (var body : bodies.entrySet()) {
                Response response = send(method, path, body.getValue());
                String problem = problem(response, JSON_ROUTES.contains(route.routeKey()));
                if (problem != null) {
                    wrong.add(route.routeKey() + " with " + body.getKey() + ": " + problem);
                }
            }
            Response huge = send(method, path, ("{\"x\":\"" + "z".repeat(10 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8));
            if (huge.status() != 413) {
                wrong.add(route.routeKey() + " with an 11 MB body: " + huge.status());
            }
        }
        if (!wrong.isEmpty()) {
            fail("Bad input answered wrongly:\n" + String.join("\n", wrong));
        }
        assertThat(itemCounts()).isEqualTo(before);
    }

    @Test
    void wrongTypesTraversalsAndEscapingFiltersAreRefused() {
        String event = admin.dispatch("{\"topic\":\"it.badinput\"}");
        Map<String, Long> before = itemCounts();
        assertBad(admin.post("/api/events", "{\"topic\":5}"), "topic");
        assertBad(admin.post("/api/events", "{\"topic\":\"a.b\",\"payload\":\"text\"}"), "payload");
        assertBad(admin.patch("/api/events/" + event, "{\"progress\":\"half\"}"), "progress");
        assertBad(admin.patch("/api/events/" + event, "{\"status\":\"done-ish\"}"), "status");
        assertBad(admin.post("/api/enroll", "{\"sourceTopic\":7,\"targetTopic\":\"x.y\"}"), "sourceTopic");
        assertBad(admin.post("/graphql", "{\"query\":5}"), "query");
        assertBad(admin.post("/api/v2/system/api_key", "{\"name\":5,\"role\":\"user\"}"), "name");
        assertBad(admin.post("/api/v2/system/event_script", "{\"name\":\"events.post.pre_process\",\"content\":5}"), "content");
        for (String traversal : List.of("../secrets.js", "a/../../b.js", "/etc/passwd", "a\\\\..\\\\b.js")) {
            assertBad(admin.post("/api/v2/system/event_script", "{\"name\":\"events.post.pre_process\",\"storage_service\":\"s3\","
                    + "\"storage_path\":\"" + traversal + "\"}"), "storage_path");
        }
        for (String key : List.of("../hash", "payload/../../id", "payload/a b", "$where")) {
            assertBad(admin.post("/api/enroll", "{\"sourceTopic\":\"a.b\",\"targetTopic\":\"x.y\",\"filter\":"
                    + "{\"conditions\":[{\"key\":\"" + key + "\",\"value\":\"v\"}]}}"), "filter");
        }
        assertThat(itemCounts()).isEqualTo(before);
    }

    private static void assertBad(Response response, String mentioned) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        JsonNode json = response.json();
        assertThat(json.get("code").asInt()).isEqualTo(400);
        assertThat(json.get("detail").asText()).containsIgnoringCase(mentioned);
    }

    /** Null if the answer is right: a clear 4xx (400 on JSON routes), never a 5xx or a leak. */
    private static String problem(Response response, boolean jsonRoute) {
        if (response.status() >= 500) {
            return response.status() + " " + response.body();
        }
        if (jsonRoute && response.status() != 400) {
            return "expected 400, got " + response.status() + " " + response.body();
        }
        if (response.status() >= 400 && response.status() != 413) {
            try {
                JsonNode json = Json.MAPPER.readTree(response.body());
                if (json.path("detail").asText().isBlank() || json.path("code").asInt() != response.status()) {
                    return "no clear detail: " + response.body();
                }
            } catch (IOException e) {
                return "not JSON: " + response.body();
            }
        }
        if (response.body().contains("Exception") || response.body().contains("\tat ")) {
            return "leaks internals: " + response.body();
        }
        return null;
    }

    private Response send(String method, String path, byte[] body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(admin.baseUrl() + path))
                .header("X-Api-Key", LocalHeraldExtension.API_KEY)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body(), response);
    }

    private List<SamTemplate.RouteSpec> routes() {
        List<SamTemplate.RouteSpec> routes = new ArrayList<>();
        herald.template().functions().forEach(f -> routes.addAll(f.routes()));
        return routes;
    }

    /** Items per table that requests write to (events without the logs that scripts of other tests may leave). */
    private Map<String, Long> itemCounts() {
        Map<String, Long> counts = new TreeMap<>();
        for (SamTemplate.TableSpec table : herald.template().tables()) {
            if (List.of("ConnectionsTable", "SubscriptionsTable", "ScriptCacheTable").contains(table.name())) {
                continue;
            }
            long count = herald.dynamoDb().scanPaginator(r -> r.tableName(table.name())).items().stream()
                    .filter(item -> !item.containsKey("topic") || !item.get("topic").s().startsWith("log.")
                            && !item.get("topic").s().startsWith("script."))
                    .count();
            counts.put(table.name(), count);
        }
        return counts;
    }
}
