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
import herald.keys.Users;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ServerFunction}: what Ayon's clients read when they connect ({@code GET /}, {@code /api/info},
 * {@code /api/users/me}, {@code /api/attributes}), Herald's users ({@code /api/users}, {@code /api/users/{name}}: its
 * API keys, see {@link Users}), and the HTTP API's {@code $default} route, which answers every
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
                .on("GET /api/users/me", request -> ApiResponses.json(200,
                        Users.describe(request.principal(), true, null, null)))
                .on("GET /api/users", request -> ApiResponses.json(200, container.users().list(request.principal())))
                .on("GET /api/users/{name}", request -> ApiResponses.json(200,
                        container.users().get(request.pathParameter("name").orElse(""), request.principal())))
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
}
