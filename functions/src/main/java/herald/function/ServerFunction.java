package herald.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import herald.auth.Principal;
import herald.http.ApiResponses;
import herald.http.HttpEndpoint;
import herald.kernel.HeraldVersion;
import herald.kernel.NotFoundException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ServerFunction}: what Ayon's clients read when they connect ({@code GET /}, {@code /api/info},
 * {@code /api/users/me}, {@code /api/attributes}), and the HTTP API's {@code $default} route, which answers every
 * unknown route with Herald's JSON 404.
 *
 * <p>Thread-safe.
 */
public final class ServerFunction implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    /** The Ayon API level Herald's events API follows, reported by {@code /api/info}. */
    public static final String AYON_API_VERSION = "1.16.0";

    private final HttpEndpoint endpoint;

    public ServerFunction() {
        this(System.getenv());
    }

    public ServerFunction(Map<String, String> environment) {
        Container container = new Container(environment);
        this.endpoint = HttpEndpoint.of("ServerFunction")
                .on("GET /", request -> ApiResponses.json(200, Map.of("name", "Herald", "info", "/api/info")))
                .on("GET /api/info", request -> {
                    Map<String, Object> info = new LinkedHashMap<>();
                    info.put("version", AYON_API_VERSION);
                    info.put("heraldVersion", HeraldVersion.current());
                    return ApiResponses.json(200, info);
                })
                .on("GET /api/users/me", request -> ApiResponses.json(200, user(request.principal())))
                .on("GET /api/attributes", request -> ApiResponses.json(200, Map.of("attributes", List.of())))
                .on("$default", request -> {
                    throw new NotFoundException("No route for " + request.method() + " " + request.path()
                            + "; docs/api.md lists Herald's routes");
                })
                .build(container.scriptHooks(), container.stamps());
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return endpoint.handle(event);
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
