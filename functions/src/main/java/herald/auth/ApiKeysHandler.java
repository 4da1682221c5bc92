package herald.auth;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import herald.http.ApiRequest;
import herald.http.ApiResponses;
import herald.http.NotFoundException;
import herald.http.RequestGuard;
import herald.runtime.AwsClients;
import herald.runtime.Environment;
import java.time.Clock;
import java.util.Map;

/**
 * {@code ApiKeysFunction}: {@code /api/v2/system/api_key[/{name}]}, for admins. Key management runs no event
 * scripts: its answers carry keys, which no script may see.
 *
 * <p>Thread-safe.
 */
public final class ApiKeysHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final ApiKeyAdmin admin;

    public ApiKeysHandler() {
        this(System.getenv());
    }

    public ApiKeysHandler(Map<String, String> environment) {
        this(new Environment(environment));
    }

    private ApiKeysHandler(Environment environment) {
        this(new ApiKeyAdmin(new ApiKeyStore(AwsClients.dynamoDb(environment), environment.required("API_KEYS_TABLE")),
                Clock.systemUTC()));
    }

    public ApiKeysHandler(ApiKeyAdmin admin) {
        this.admin = admin;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        ApiRequest request = ApiRequest.of(event);
        return RequestGuard.respond(request, () -> {
            Principal caller = AuthorizerContext.principal(request);
            Permissions.requireAdmin(caller, "manage API keys");
            String name = request.pathParameter("name").orElse(null);
            switch (request.routeKey()) {
                case "GET /api/v2/system/api_key":
                    return ApiResponses.json(200, Map.of("resource", admin.list()));
                case "POST /api/v2/system/api_key":
                    return ApiResponses.json(201, admin.create(request.jsonBody(), caller));
                case "GET /api/v2/system/api_key/{name}":
                    return ApiResponses.json(200, admin.get(name));
                case "PATCH /api/v2/system/api_key/{name}":
                    return ApiResponses.json(200, admin.update(name, request.jsonBody()));
                case "DELETE /api/v2/system/api_key/{name}":
                    admin.delete(name);
                    return ApiResponses.noContent();
                default:
                    throw new NotFoundException("ApiKeysFunction has no route " + request.routeKey());
            }
        });
    }
}
