package herald.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import herald.kernel.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/** A test function that answers with what it was given: the event, its environment and its context. */
public final class EchoHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final Map<String, String> environment;

    public EchoHandler(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        if (event.getPathParameters() != null && "boom".equals(event.getPathParameters().get("id"))) {
            throw new IllegalStateException("boom");
        }
        Map<String, Object> echo = new LinkedHashMap<>();
        echo.put("routeKey", event.getRouteKey());
        echo.put("rawPath", event.getRawPath());
        echo.put("rawQueryString", event.getRawQueryString());
        echo.put("stage", event.getRequestContext().getStage());
        echo.put("method", event.getRequestContext().getHttp().getMethod());
        echo.put("pathParameters", event.getPathParameters());
        echo.put("queryStringParameters", event.getQueryStringParameters());
        echo.put("headers", event.getHeaders());
        echo.put("cookies", event.getCookies());
        echo.put("body", event.getBody());
        echo.put("isBase64Encoded", event.getIsBase64Encoded());
        echo.put("environment", environment);
        echo.put("functionName", context.getFunctionName());
        echo.put("remainingMillis", context.getRemainingTimeInMillis());
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(201)
                .withHeaders(Map.of("content-type", "application/json", "x-echo", "yes"))
                .withCookies(java.util.List.of("session=abc; Path=/"))
                .withBody(Json.write(echo))
                .build();
    }
}
