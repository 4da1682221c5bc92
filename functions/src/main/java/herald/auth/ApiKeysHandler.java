package herald.auth;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import herald.events.EventService;
import herald.events.ResourceEvents;
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

    static final String TYPE = "herald.ApiKey";

    private final ApiKeyAdmin admin;
    private final ResourceEvents resources;

    public ApiKeysHandler() {
        this(System.getenv());
    }

    public ApiKeysHandler(Map<String, String> environment) {
        this(new Environment(environment));
    }

    private ApiKeysHandler(Environment environment) {
        this(new ApiKeyAdmin(new ApiKeyStore(AwsClients.dynamoDb(environment), environment.required("API_KEYS_TABLE")),
                Clock.systemUTC()), new ResourceEvents(
                EventService.fromEnvironment(environment, AwsClients.dynamoDb(environment))));
    }

    public ApiKeysHandler(ApiKeyAdmin admin, ResourceEvents resources) {
        this.admin = admin;
        this.resources = resources;
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
                    var created = admin.create(request.jsonBody(), caller);
                    resources.emit(ResourceEvents.Change.CREATED, TYPE, created.get("name").asText(), caller,
                            request.requestId());
                    return ApiResponses.json(201, created);
                case "GET /api/v2/system/api_key/{name}":
                    return ApiResponses.json(200, admin.get(name));
                case "PATCH /api/v2/system/api_key/{name}":
                    var updated = admin.update(name, request.jsonBody());
                    resources.emit(ResourceEvents.Change.UPDATED, TYPE, name, caller, request.requestId());
                    return ApiResponses.json(200, updated);
                case "DELETE /api/v2/system/api_key/{name}":
                    boolean purge = request.flag("purge");
                    ApiKeyAdmin.Deletion deletion = admin.delete(name, purge);
                    if (deletion.softDeleted()) {
                        resources.emit(ResourceEvents.Change.SOFT_DELETED, TYPE, name, caller, request.requestId());
                    }
                    if (deletion.purged()) {
                        resources.emit(ResourceEvents.Change.HARD_DELETED, TYPE, name, caller, request.requestId());
                    }
                    return ApiResponses.noContent();
                case "POST /api/v2/system/api_key/{name}/restore":
                    var restored = admin.restore(name);
                    resources.emit(ResourceEvents.Change.RESTORED, TYPE, name, caller, request.requestId());
                    return ApiResponses.json(200, restored);
                default:
                    throw new NotFoundException("ApiKeysFunction has no route " + request.routeKey());
            }
        });
    }
}
