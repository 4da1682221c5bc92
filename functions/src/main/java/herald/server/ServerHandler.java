package herald.server;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import herald.auth.AuthorizerContext;
import herald.auth.Principal;
import herald.http.ApiRequest;
import herald.http.ApiResponses;
import herald.http.NotFoundException;
import herald.http.RequestGuard;
import herald.scripting.ScriptHooks;
import herald.scripting.Scripting;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code ServerFunction}: what belongs to the server rather than to one capability. {@code GET /} and
 * {@code GET /api/info} answer without a key (Ayon's clients call them before they authenticate);
 * {@code GET /api/users/me} and {@code GET /api/attributes} answer what Ayon's client reads on connect; and the
 * HTTP API's {@code $default} route lands here so that a request for a route that does not exist gets
 * Herald's JSON 404 instead of API Gateway's.
 *
 * <p>Thread-safe.
 */
public final class ServerHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    /** The Ayon server API level Herald implements; Ayon's Python client reads it to pick request shapes. */
    public static final String AYON_API_VERSION = "1.16.0";

    private final ScriptHooks scripts;

    public ServerHandler() {
        this(System.getenv());
    }

    public ServerHandler(Map<String, String> environment) {
        this(new herald.runtime.Environment(environment));
    }

    private ServerHandler(herald.runtime.Environment environment) {
        this(Scripting.enabled(environment)
                        ? Scripting.hooks(environment, herald.runtime.AwsClients.dynamoDb(environment)) : ScriptHooks.NONE);
    }

    public ServerHandler(ScriptHooks scripts) {
        this.scripts = scripts;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return scripts.around(event, this::handle);
    }

    private APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event) {
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
                case "GET /api/users/me":
                    return ApiResponses.json(200, user(AuthorizerContext.principal(request)));
                case "GET /api/attributes":
                    AuthorizerContext.principal(request);
                    return ApiResponses.json(200, Map.of("attributes", java.util.List.of()));
                default:
                    throw new NotFoundException("No route for " + request.method() + " " + request.path()
                            + "; the README lists Herald's routes");
            }
        });
    }

    /**
     * The caller as Ayon's {@code /api/users/me} describes a user: its name, no attributes, and its role flags.
     * A key holder is an admin and a service user, which makes Ayon's client send {@code X-Api-Key} from then on.
     */
    static Map<String, Object> user(Principal principal) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("isAdmin", principal.isAdmin());
        // Ayon's API keys belong to service users; here the admin and service roles answer as one
        data.put("isService", principal.role().isManager());
        data.put("isManager", principal.role().isManager());
        data.put("isGuest", false);
        data.put("role", principal.role().wireName());
        if (principal.projects() != null) {
            data.put("accessGroups", principal.projects().stream().sorted().toList());
        }
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("name", principal.name());
        user.put("active", true);
        user.put("attrib", Map.of());
        user.put("data", data);
        user.putAll(data);
        return user;
    }
}
