package herald.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import herald.http.ApiPage;
import herald.http.ApiRequest;
import herald.http.ApiResponses;
import herald.http.AsyncApi;
import herald.http.HttpEndpoint;
import herald.http.OpenApi;
import herald.kernel.HeraldVersion;
import herald.kernel.NotFoundException;
import herald.keys.Users;
import herald.projects.ProjectListing;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ServerFunction}: what Ayon's clients read when they connect ({@code GET /}, {@code /api/info},
 * {@code /api/users/me}, {@code /api/attributes}), Herald's users ({@code /api/users}, {@code /api/users/{name}}: its
 * API keys, see {@link Users}) and projects ({@code /api/projects[/{name}]}, see
 * {@link herald.projects.Projects}), the contracts ({@code /openapi.json}, {@code /asyncapi.json} and the API page
 * at {@code /docs}), and the HTTP API's {@code $default} route, which answers every unknown route with Herald's JSON
 * 404.
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
                .on("GET /openapi.json", request -> ApiResponses.json(200, OpenApi.document()))
                .on("GET /asyncapi.json", request -> ApiResponses.json(200, AsyncApi.document()))
                .on("GET /docs", request -> ApiPage.page())
                .on("GET /docs/{asset}", request -> ApiPage.asset(request.pathParameter("asset").orElse("")))
                .on("GET /api/users/me", request -> ApiResponses.json(200,
                        Users.describe(request.principal(), true, null, null)))
                .on("GET /api/users", request -> ApiResponses.json(200, container.users().list(request.principal())))
                .on("GET /api/users/{name}", request -> ApiResponses.json(200,
                        container.users().get(request.pathParameter("name").orElse(""), request.principal())))
                .on("GET /api/attributes", request -> ApiResponses.json(200, Map.of("attributes", List.of())))
                .on("GET /api/projects", request -> ApiResponses.json(200, container.projectsApi().list(
                        new ProjectListing(request.optionalFlag("active").orElse(null),
                                request.optionalFlag("library").orElse(null),
                                request.queryParameter("name").orElse(null),
                                request.integerParameter("page").orElse(1),
                                request.integerParameter("length").orElse(null),
                                request.queryParameter("order").filter(o -> !o.isEmpty()).orElse(null),
                                request.flag("desc")), request.principal())))
                .on("POST /api/projects", request -> ApiResponses.json(201, container.projectsApi().declare(
                        request.jsonBody(), request.principal(), request.requestId())))
                .on("GET /api/projects/{name}", request -> ApiResponses.json(200,
                        container.projectsApi().get(projectName(request), request.principal())))
                .on("PATCH /api/projects/{name}", request -> {
                    container.projectsApi().update(projectName(request), request.jsonBody(), request.principal(),
                            request.requestId());
                    return ApiResponses.noContent();
                })
                .on("DELETE /api/projects/{name}", request -> container.projectsApi()
                        .forget(projectName(request), request.principal(), request.requestId())
                        .map(deactivated -> ApiResponses.json(200, deactivated))
                        .orElseGet(ApiResponses::noContent))
                .on("$default", request -> {
                    throw new NotFoundException("No route for " + request.method() + " " + request.path()
                            + "; docs/api.md lists Herald's routes");
                })
                .build(container.scriptHooks(), container.stamps());
    }

    private static String projectName(ApiRequest request) {
        return request.pathParameter("name").orElse("");
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return endpoint.handle(event);
    }
}
