package herald.triggers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import herald.auth.AuthorizerContext;
import herald.auth.Permissions;
import herald.auth.Principal;
import herald.events.EventService;
import herald.events.ResourceEvents;
import herald.http.ApiRequest;
import herald.http.ApiResponses;
import herald.http.InvalidRequestException;
import herald.http.NotFoundException;
import herald.http.RequestGuard;
import herald.runtime.AwsClients;
import herald.runtime.Environment;
import herald.scripting.ScriptHooks;
import herald.scripting.Scripting;
import java.time.Clock;
import java.util.Map;

/**
 * {@code TriggersFunction}: {@code /api/v2/system/trigger[/{name}]}, a trigger's deliveries and their retry, and
 * restoring a deleted trigger. For admins.
 *
 * <p>Thread-safe.
 */
public final class TriggersHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final TriggerAdmin admin;
    private final ScriptHooks scripts;

    public TriggersHandler() {
        this(System.getenv());
    }

    public TriggersHandler(Map<String, String> environment) {
        this(new Environment(environment));
    }

    private TriggersHandler(Environment environment) {
        this(new TriggerAdmin(Triggers.of(environment),
                new ResourceEvents(EventService.fromEnvironment(environment, AwsClients.dynamoDb(environment))), Clock.systemUTC()),
                Scripting.hooks(environment, AwsClients.dynamoDb(environment)));
    }

    public TriggersHandler(TriggerAdmin admin, ScriptHooks scripts) {
        this.admin = admin;
        this.scripts = scripts;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return scripts.around(event, this::handle);
    }

    private APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event) {
        ApiRequest request = ApiRequest.of(event);
        return RequestGuard.respond(request, () -> {
            Principal caller = AuthorizerContext.principal(request);
            Permissions.requireAdmin(caller, "read or change triggers");
            String name = request.pathParameter("name").orElse(null);
            String requestId = request.requestId();
            switch (request.routeKey()) {
                case "GET /api/v2/system/trigger":
                    return ApiResponses.json(200, Map.of("resource",
                            admin.list(request.flag("include_deleted"))));
                case "POST /api/v2/system/trigger":
                    return ApiResponses.json(201, admin.create(request.jsonBody(), caller, requestId));
                case "GET /api/v2/system/trigger/{name}":
                    return ApiResponses.json(200, admin.get(name));
                case "PATCH /api/v2/system/trigger/{name}":
                    return ApiResponses.json(200, admin.update(name, request.jsonBody(), caller, requestId));
                case "DELETE /api/v2/system/trigger/{name}":
                    admin.delete(name, request.flag("purge"), caller, requestId);
                    return ApiResponses.noContent();
                case "POST /api/v2/system/trigger/{name}/restore":
                    return ApiResponses.json(200, admin.restore(name, caller, requestId));
                case "GET /api/v2/system/trigger/{name}/deliveries":
                    int limit = request.queryParameter("limit").map(TriggersHandler::limit).orElse(50);
                    return ApiResponses.json(200, Map.of("resource", admin.deliveries(name, limit)));
                case "POST /api/v2/system/trigger/{name}/deliveries/{id}/retry":
                    return ApiResponses.json(200, admin.retry(name, request.pathParameter("id").orElse("")));
                default:
                    throw new NotFoundException("TriggersFunction has no route " + request.routeKey());
            }
        });
    }


    private static int limit(String value) {
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= 500) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new InvalidRequestException("Query parameter 'limit' must be a whole number from 1 to 500");
    }
}
