package herald.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import herald.http.ApiResponses;
import herald.http.HttpEndpoint;
import herald.http.ScriptHooks;
import herald.kernel.SoftDelete;
import herald.keys.ApiKeyAdmin;
import java.util.Map;

/**
 * {@code ApiKeysFunction}: {@code /api/v2/system/api_key[/{name}]}, for admins. Key management runs no event
 * scripts: its answers carry keys, which no script may see.
 *
 * <p>Thread-safe.
 */
public final class ApiKeysFunction implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private static final String KEYS = "/api/v2/system/api_key";

    private final HttpEndpoint endpoint;

    public ApiKeysFunction() {
        this(System.getenv());
    }

    public ApiKeysFunction(Map<String, String> environment) {
        Container container = new Container(environment);
        ApiKeyAdmin admin = container.apiKeyAdmin();
        this.endpoint = HttpEndpoint.of("ApiKeysFunction")
                .on("GET " + KEYS, request -> ApiResponses.json(200, Map.of("resource",
                        admin.list(request.flag(SoftDelete.INCLUDE_PARAMETER)))))
                .on("POST " + KEYS, request -> ApiResponses.json(201,
                        admin.create(request.jsonBody(), request.principal(), request.requestId())))
                .on("GET " + KEYS + "/{name}", request -> ApiResponses.json(200,
                        admin.get(name(request), request.flag(SoftDelete.INCLUDE_PARAMETER))))
                .on("PATCH " + KEYS + "/{name}", request -> ApiResponses.json(200,
                        admin.update(name(request), request.jsonBody(), request.principal(), request.requestId())))
                .on("DELETE " + KEYS + "/{name}", request -> {
                    admin.delete(name(request), request.flag("purge"), request.principal(), request.requestId());
                    return ApiResponses.noContent();
                })
                .on("POST " + KEYS + "/{name}/restore", request -> ApiResponses.json(200,
                        admin.restore(name(request), request.principal(), request.requestId())))
                .build(ScriptHooks.NONE, container.stamps());
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return endpoint.handle(event);
    }

    private static String name(herald.http.ApiRequest request) {
        return request.pathParameter("name").orElse(null);
    }
}
