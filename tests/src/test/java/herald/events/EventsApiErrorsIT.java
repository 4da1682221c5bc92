package herald.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import herald.testing.HeraldClient.Response;
import herald.testing.HeraldClient;
import herald.testing.LocalHeraldExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad input gets a clear 4xx over real HTTP: JSON {@code {"code","detail"}} with the right status,
 * a detail that says what to fix, and no internals.
 */
@ExtendWith(LocalHeraldExtension.class)
class EventsApiErrorsIT {

    private static final String UNKNOWN_ID = "0123456789abcdef0123456789abcdef";
    private final HeraldClient api;

    EventsApiErrorsIT(HeraldClient api) {
        this.api = api;
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("POST", "/api/events", "{\"topic\": ", 400, "not valid JSON"),
                Arguments.of("POST", "/api/events", "", 400, "body is empty"),
                Arguments.of("POST", "/api/events", "[1,2]", 400, "must be a JSON object"),
                Arguments.of("POST", "/api/events", "{}", 400, "Field 'topic' is required"),
                Arguments.of("POST", "/api/events", "{\"topic\":42}", 400, "Field 'topic' must be a string"),
                Arguments.of("POST", "/api/events", "{\"topic\":\"ab\"}", 400, "Invalid topic 'ab'"),
                Arguments.of("POST", "/api/events", "{\"topic\":\"my topic\"}", 400, "Invalid topic"),
                Arguments.of("POST", "/api/events", "{\"topic\":\"a.b\",\"project\":\"bad project\"}", 400, "Invalid project"),
                Arguments.of("POST", "/api/events", "{\"topic\":\"a.b\",\"dependsOn\":\"xyz\"}", 400, "Field 'dependsOn' must be 32"),
                Arguments.of("POST", "/api/events", "{\"topic\":\"a.b\",\"finished\":\"no\"}", 400, "Field 'finished' must be true or false"),
                Arguments.of("POST", "/api/events", "{\"topic\":\"a.b\",\"store\":0}", 400, "Field 'store' must be true or false"),
                Arguments.of("POST", "/api/events", "{\"topic\":\"a.b\",\"summary\":\"s\"}", 400, "Field 'summary' must be a JSON object"),
                Arguments.of("POST", "/api/events", "{\"topic\":\"a.b\",\"hash\":[\"h\"]}", 400, "Field 'hash' must be a string"),
                Arguments.of("GET", "/api/events/not-an-id", null, 400, "must be 32 lower-case hex characters"),
                Arguments.of("GET", "/api/events/0123456789ABCDEF0123456789ABCDEF", null, 400, "must be 32 lower-case hex"),
                Arguments.of("PATCH", "/api/events/123", "{}", 400, "must be 32 lower-case hex characters"),
                Arguments.of("DELETE", "/api/events/123", null, 400, "must be 32 lower-case hex characters"),
                Arguments.of("GET", "/api/events/" + UNKNOWN_ID, null, 404, "Event not found"),
                Arguments.of("PATCH", "/api/events/" + UNKNOWN_ID, "{\"status\":\"failed\"}", 404, "Event not found"),
                Arguments.of("GET", "/api/nothing-here", null, 404, "No route for GET /api/nothing-here"),
                Arguments.of("PUT", "/api/events/" + UNKNOWN_ID, "{}", 404, "No route for PUT"),
                Arguments.of("POST", "/api/events", "{\"topic\":\"a.b\",\"payload\":{\"blob\":\"" + "x".repeat(420_000) + "\"}}",
                        413, "item limit of 409600 bytes (400 KB)"));
    }

    @ParameterizedTest(name = "{0} {1} -> {3}")
    @MethodSource("badRequests")
    void badInputGetsAClearError(String method, String path, String body, int status, String detail) {
        assertClearError(api.send(method, path, body), status, detail);
    }

    static Stream<Arguments> badUpdates() {
        return Stream.of(
                Arguments.of("{\"status\":\"done\"}", "Unknown status 'done'"),
                Arguments.of("{\"progress\":101}", "Field 'progress' must be between 0 and 100"),
                Arguments.of("{\"progress\":-1}", "Field 'progress' must be between 0 and 100"),
                Arguments.of("{\"progress\":\"half\"}", "Field 'progress' must be a number"),
                Arguments.of("{\"retries\":-2}", "Field 'retries' must not be negative"),
                Arguments.of("{\"retries\":1.5}", "Field 'retries' must be a whole number"),
                Arguments.of("{\"project\":\"no way\"}", "Invalid project"),
                Arguments.of("{\"summary\":[]}", "Field 'summary' must be a JSON object"),
                Arguments.of("not json", "not valid JSON"));
    }

    @ParameterizedTest(name = "PATCH {0} -> 400")
    @MethodSource("badUpdates")
    void badUpdatesAreRefusedAndChangeNothing(String body, String detail) {
        String id = api.dispatch("{\"topic\":\"it.badupdate\",\"finished\":false}");
        String before = api.get("/api/events/" + id).body();
        assertClearError(api.patch("/api/events/" + id, body), 400, detail);
        assertThat(api.get("/api/events/" + id).body()).isEqualTo(before);
    }

    @Test
    void anUpdateThatWouldOverflowTheItemIsRefusedAndChangesNothing() {
        String id = api.dispatch("{\"topic\":\"it.badupdate\",\"finished\":false}");
        String before = api.get("/api/events/" + id).body();
        String body = "{\"payload\":{\"blob\":\"" + "y".repeat(420_000) + "\"}}";
        assertClearError(api.patch("/api/events/" + id, body), 413, "400 KB");
        assertThat(api.get("/api/events/" + id).body()).isEqualTo(before);
    }

    @Test
    void everyEventsRouteNeedsAKey() {
        HeraldClient anonymous = api.withoutKey();
        List<Response> responses = new ArrayList<>();
        responses.add(anonymous.post("/api/events", "{\"topic\":\"a.b\"}"));
        responses.add(anonymous.get("/api/events/" + UNKNOWN_ID));
        responses.add(anonymous.patch("/api/events/" + UNKNOWN_ID, "{}"));
        responses.add(anonymous.delete("/api/events/" + UNKNOWN_ID));
        // Without X-Api-Key, API Gateway answers before the authorizer (the identity source of its cache is missing).
        responses.add(anonymous.get("/api/events/" + UNKNOWN_ID, "Authorization", "Bearer " + LocalHeraldExtension.API_KEY));
        for (Response response : responses) {
            assertThat(response.status()).isEqualTo(401);
            assertThat(response.body()).isEqualTo("{\"message\":\"Unauthorized\"}");
        }
        assertClearError(api.withKey("not-the-key").get("/api/events/" + UNKNOWN_ID), 401, "Invalid API key");
        assertClearError(api.withKey("not-the-key").post("/api/events", "{\"topic\":\"a.b\"}"), 401, "Invalid API key");
    }

    @Test
    void aBodyOverApiGatewaysLimitIsRefusedBeforeAnyFunction() {
        Response response = api.post("/api/events", "{\"topic\":\"a.b\",\"payload\":{\"x\":\"" + "z".repeat(10_500_000) + "\"}}");
        assertThat(response.status()).isEqualTo(413);
    }

    private static void assertClearError(Response response, int status, String detail) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.raw().headers().firstValue("content-type")).contains("application/json");
        JsonNode json = response.json();
        assertThat(json.get("code").asInt()).isEqualTo(status);
        assertThat(json.get("detail").asText()).contains(detail);
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("herald.");
    }
}
