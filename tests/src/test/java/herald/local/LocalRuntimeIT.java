package herald.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import herald.kernel.Json;
import herald.testing.HeraldClient.Response;
import herald.testing.HeraldClient;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The local runtime on a template that uses what Herald's own does not yet: a named stage, ANY and greedy routes,
 * a bucket, provisioned billing and a local index. It proves that the runtime builds itself from any template.
 */
class LocalRuntimeIT {

    private static LocalHerald runtime;
    private static HeraldClient http;

    @BeforeAll
    static void start() throws Exception {
        runtime = LocalHerald.start(fixture(), "127.0.0.1", 0, Map.of("Secret", "s3cr3t-value"));
        // a template of its own, not Herald's: Herald's contract does not apply
        http = new HeraldClient(URI.create("http://127.0.0.1:" + runtime.baseUrl().getPort()), null).withoutContract();
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    static Path fixture() throws URISyntaxException {
        return Path.of(LocalRuntimeIT.class.getResource("/templates/fixture.yaml").toURI());
    }

    @Test
    void servesTheNamedStageUnderItsPrefixOnly() {
        assertThat(runtime.baseUrl().getPath()).isEqualTo("/v2");
        JsonNode echo = http.get("/v2/items/abc").json();
        assertThat(echo.get("routeKey").asText()).isEqualTo("GET /items/{id}");
        assertThat(echo.get("stage").asText()).isEqualTo("v2");
        assertThat(echo.get("rawPath").asText()).isEqualTo("/v2/items/abc");
        assertThat(echo.get("pathParameters").get("id").asText()).isEqualTo("abc");
        Response outside = http.get("/items/abc");
        assertThat(outside.status()).isEqualTo(404);
        assertThat(outside.body()).isEqualTo("{\"message\":\"Not Found\"}");
    }

    @Test
    void choosesTheMostSpecificRouteAsApiGatewayDoes() {
        assertThat(http.get("/v2/items/special").json().get("routeKey").asText()).isEqualTo("GET /items/special");
        assertThat(http.post("/v2/items/abc", "{}").json().get("routeKey").asText()).isEqualTo("ANY /items/{id}");
        JsonNode greedy = http.get("/v2/files/a/b%20c.txt").json();
        assertThat(greedy.get("routeKey").asText()).isEqualTo("ANY /files/{path+}");
        assertThat(greedy.get("pathParameters").get("path").asText()).isEqualTo("a/b c.txt");
        assertThat(http.get("/v2/files").json().get("routeKey").asText()).isEqualTo("$default");
        assertThat(http.send("DELETE", "/v2/somewhere/else", null).json().get("routeKey").asText()).isEqualTo("$default");
    }

    @Test
    void buildsTheEventApiGatewayBuilds() {
        Response response = http.send("PUT", "/v2/items/x?a=1&a=2&b=x%20y", "{\"k\":1}",
                "Cookie", "c1=v1; c2=v2", "X-Custom", "one", "Content-Type", "application/json");
        assertThat(response.status()).isEqualTo(201);
        assertThat(response.raw().headers().firstValue("x-echo")).contains("yes");
        assertThat(response.raw().headers().allValues("set-cookie")).containsExactly("session=abc; Path=/");
        JsonNode echo = response.json();
        assertThat(echo.get("method").asText()).isEqualTo("PUT");
        assertThat(echo.get("rawQueryString").asText()).isEqualTo("a=1&a=2&b=x%20y");
        assertThat(echo.get("queryStringParameters").get("a").asText()).isEqualTo("1,2");
        assertThat(echo.get("queryStringParameters").get("b").asText()).isEqualTo("x y");
        assertThat(echo.get("headers").get("x-custom").asText()).isEqualTo("one");
        assertThat(echo.get("headers").has("cookie")).isFalse();
        assertThat(echo.get("cookies").toString()).isEqualTo("[\"c1=v1\",\"c2=v2\"]");
        assertThat(echo.get("body").asText()).isEqualTo("{\"k\":1}");
        assertThat(echo.get("isBase64Encoded").asBoolean()).isFalse();
        assertThat(echo.get("functionName").asText()).isEqualTo("Echo");
        assertThat(echo.get("remainingMillis").asInt()).isBetween(1, 5_000);
    }

    @Test
    void encodesBinaryBodiesInBase64() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(http.baseUrl() + "/v2/items/bin"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {0, 1, 2, (byte) 255}))
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode echo = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
        assertThat(echo.get("isBase64Encoded").asBoolean()).isTrue();
        assertThat(echo.get("body").asText()).isEqualTo("AAEC/w==");
    }

    @Test
    void givesEachFunctionTheEnvironmentTheTemplateDeclares() {
        JsonNode environment = http.get("/v2/items/env").json().get("environment");
        assertThat(environment.get("GLOBAL_VAR").asText()).isEqualTo("us-east-1-v2");
        assertThat(environment.get("TABLE").asText()).isEqualTo("Things");
        assertThat(environment.get("TABLE_ARN").asText()).isEqualTo("arn:aws:dynamodb:us-east-1:000000000000:table/Things");
        assertThat(environment.get("STREAM_ARN").asText()).startsWith("arn:aws:dynamodb:us-east-1:000000000000:table/Things/stream/");
        assertThat(environment.get("BUCKET").asText()).isEqualTo("files");
        assertThat(environment.get("JOINED").asText()).isEqualTo("a/v2/5");
        assertThat(environment.get("SUBBED").asText()).isEqualTo("v2-Things");
        assertThat(environment.get("AWS_ENDPOINT_URL_DYNAMODB").asText()).startsWith("http://127.0.0.1:");
        assertThat(environment.get("AWS_ENDPOINT_URL_S3").asText()).startsWith("http://127.0.0.1:");
        assertThat(environment.get("AWS_REGION").asText()).isEqualTo("us-east-1");
    }

    @Test
    void aFailingFunctionIsApiGatewaysInternalServerError() {
        Response response = http.get("/v2/items/boom");
        assertThat(response.status()).isEqualTo(500);
        assertThat(response.body()).isEqualTo("{\"message\":\"Internal Server Error\"}");
    }

    /**
     * Requests that never reach a route, because the request line, URI or headers cannot be read, still get
     * {@code {"code","detail"}} and nothing of the server's own: sent over a raw socket, as no HTTP client sends them.
     */
    @Test
    void aRequestThatCannotBeReadGetsACodeAndADetail() throws Exception {
        Map<String, Integer> requests = new LinkedHashMap<>();
        requests.put("GET /v2/items/%zz HTTP/1.1", 400);
        requests.put("GET /v2/items/x?a=%zz HTTP/1.1", 400);
        requests.put("GET /v2/items/x?a=% HTTP/1.1", 400);
        requests.put("GET /v2/items/%C0%AF%e2%82 HTTP/1.1", 400);
        requests.put("GET /v2/items/x%2 HTTP/1.1", 400);
        requests.put("GET /v2/items x HTTP/1.1", 400);
        requests.put("GET /v2/items/\u0001 HTTP/1.1", 400);
        requests.put("GET /v2/items/x HTTP/1.1\r\nX-Long: " + "a".repeat(12_000), 431);
        for (Map.Entry<String, Integer> request : requests.entrySet()) {
            String answer = rawRequest(request.getKey());
            String description = request.getKey().substring(0, Math.min(60, request.getKey().length()));
            assertThat(answer).as(description).startsWith("HTTP/1.1 " + request.getValue() + " ");
            String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
            JsonNode error = Json.MAPPER.readTree(body);
            assertThat(error.get("code").asInt()).as(description).isEqualTo(request.getValue());
            assertThat(error.get("detail").asText()).as(description).isNotBlank();
            assertThat(answer).as(description).doesNotContainIgnoringCase("exception").doesNotContainIgnoringCase("jetty")
                    .doesNotContain("<").contains("application/json");
        }
    }

    private static String rawRequest(String requestLineAndHeaders) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", runtime.baseUrl().getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write((requestLineAndHeaders + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void createsTablesExactlyAsDeclared() {
        TableDescription table = runtime.dynamoDb().describeTable(r -> r.tableName("Things")).table();
        assertThat(table.keySchema()).hasSize(2);
        assertThat(table.provisionedThroughput().readCapacityUnits()).isEqualTo(3);
        assertThat(table.provisionedThroughput().writeCapacityUnits()).isEqualTo(4);
        assertThat(table.localSecondaryIndexes()).singleElement().satisfies(index -> {
            assertThat(index.indexName()).isEqualTo("byOther");
            assertThat(index.projection().projectionTypeAsString()).isEqualTo("INCLUDE");
            assertThat(index.projection().nonKeyAttributes()).containsExactly("name");
        });
        assertThat(table.streamSpecification().streamViewTypeAsString()).isEqualTo("KEYS_ONLY");
        assertThat(runtime.dynamoDb().describeTimeToLive(r -> r.tableName("Things")).timeToLiveDescription()
                .attributeName()).isEqualTo("ttl");
    }

    @Test
    void servesEveryBucketOnTheS3Server() {
        try (S3Client s3 = runtime.s3().orElseThrow().client()) {
            s3.putObject(r -> r.bucket("files").key("a/b.txt"), RequestBody.fromString("hello"));
            assertThat(s3.getObjectAsBytes(r -> r.bucket("files").key("a/b.txt")).asUtf8String()).isEqualTo("hello");
        }
    }
}
