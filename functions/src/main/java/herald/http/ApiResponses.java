package herald.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import herald.kernel.Json;
import java.util.Map;

/** Successful responses in the shape API Gateway's HTTP API expects from a Lambda (payload format 2.0). */
public final class ApiResponses {

    private static final Map<String, String> JSON_HEADERS = Map.of("content-type", "application/json");

    private ApiResponses() {
    }

    public static APIGatewayV2HTTPResponse json(int status, Object body) {
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(JSON_HEADERS)
                .withBody(Json.write(body))
                .withIsBase64Encoded(false)
                .build();
    }

    /** A text body that is not JSON (the API page and its assets), cached by browsers for {@code maxAgeSeconds}. */
    public static APIGatewayV2HTTPResponse text(String contentType, String body, int maxAgeSeconds) {
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(200)
                .withHeaders(Map.of("content-type", contentType, "cache-control", "public, max-age=" + maxAgeSeconds))
                .withBody(body)
                .withIsBase64Encoded(false)
                .build();
    }

    public static APIGatewayV2HTTPResponse noContent() {
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(204)
                .withHeaders(Map.of())
                .withBody("")
                .withIsBase64Encoded(false)
                .build();
    }
}
