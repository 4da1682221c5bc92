package herald.server;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import herald.http.ApiRequest;
import herald.http.ApiResponses;
import herald.http.NotFoundException;
import herald.http.RequestGuard;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code ServerFunction}: what belongs to the server rather than to one capability. {@code GET /} and
 * {@code GET /api/info} answer without a key (Ayon's clients call them before they authenticate), and the
 * HTTP API's {@code $default} route lands here so that a request for a route that does not exist gets
 * Herald's JSON 404 instead of API Gateway's.
 *
 * <p>Thread-safe.
 */
public final class ServerHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    /** The Ayon server API level Herald implements; Ayon's Python client reads it to pick request shapes. */
    public static final String AYON_API_VERSION = "1.16.0";

    public ServerHandler() {
    }

    public ServerHandler(Map<String, String> environment) {
        this();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        ApiRequest request = ApiRequest.of(event);
        return RequestGuard.respond(request, () -> {
            switch (request.routeKey()) {
                case "GET /":
                    return ApiResponses.json(200, Map.of("name", "Herald", "info", "/api/info"));
                case "GET /api/info":
                    Map<String, Object> info = new LinkedHashMap<>();
                    info.put("version", AYON_API_VERSION);
                    info.put("heraldVersion", HeraldVersion.current());
                    return ApiResponses.json(200, info);
                default:
                    throw new NotFoundException("No route for " + request.method() + " " + request.path()
                            + "; the README lists Herald's routes");
            }
        });
    }
}
