package herald.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import herald.http.ApiRequest;
import herald.http.ApiResponses;
import herald.http.HttpEndpoint;
import herald.http.ScriptCatalogue;
import herald.kernel.JsonBody;
import herald.kernel.NotFoundException;
import herald.kernel.SoftDelete;
import herald.scripting.CacheStamps;
import herald.scripting.GitHubWebhook;
import herald.scripting.ScriptAdmin;
import herald.scripting.ScriptDryRun;
import herald.scripting.ScriptKind;
import herald.scripting.ScriptRecord;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * {@code ScriptsFunction}: the catalogue of scriptable event names ({@code GET /api/v2/system/event}), event scripts
 * and scripted services ({@code /api/v2/system/event_script}, {@code /api/v2/system/service}), the script cache
 * ({@code /api/v2/system/cache...}, also as DreamFactory's tunnelled POST) and GitHub's webhook, which clears it.
 *
 * <p>Thread-safe.
 */
public final class ScriptsFunction implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private static final String SYSTEM = "/api/v2/system/";

    private final HttpEndpoint endpoint;

    public ScriptsFunction() {
        this(System.getenv());
    }

    public ScriptsFunction(Map<String, String> environment) {
        Container container = new Container(environment);
        ScriptAdmin admin = container.scriptAdmin();
        CacheStamps stamps = container.scripts().stamps();
        GitHubWebhook webhook = container.gitHubWebhook();
        ScriptDryRun dryRun = container.scriptDryRun();
        HttpEndpoint.Builder routes = HttpEndpoint.of("ScriptsFunction")
                .on("GET " + SYSTEM + "event", request -> ApiResponses.json(200, Map.of("resource",
                        ScriptCatalogue.eventNames(admin.list(ScriptKind.SERVICE, false).stream().map(ScriptRecord::name)
                                .collect(Collectors.toCollection(TreeSet::new))))))
                .on("POST " + SYSTEM + "webhook/github", request ->
                        ApiResponses.json(200, webhook.receive(request.headers(), request.bodyBytes())))
                .on("DELETE " + SYSTEM + "cache", request -> {
                    stamps.clearAll();
                    return cleared();
                })
                .on("DELETE " + SYSTEM + "cache/{name}", request -> {
                    String name = pathName(request, "name");
                    stamps.clear(List.of(ScriptKind.SERVICE.cacheKey(name), "events-of:" + name));
                    return cleared();
                })
                .on("DELETE " + SYSTEM + "cache/_event/{event_name}", request -> {
                    stamps.clear(List.of(ScriptKind.EVENT_SCRIPT.cacheKey(pathName(request, "event_name"))));
                    return cleared();
                });
        for (ScriptKind kind : ScriptKind.values()) {
            String base = SYSTEM + kind.resource();
            routes.on("GET " + base, request -> ApiResponses.json(200, Map.of("resource",
                            admin.list(kind, request.flag(SoftDelete.INCLUDE_PARAMETER)).stream()
                                    .map(ScriptRecord::toJson).collect(Collectors.toList()))))
                    .on("POST " + base, request -> {
                        JsonBody body = request.jsonBody();
                        List<ScriptRecord> created = admin.create(kind, body, request.principal(), request.requestId());
                        // one record in, one record out; DreamFactory's {"resource": [...]} in, the same shape out
                        return body.fieldNames().contains("resource")
                                ? ApiResponses.json(201, Map.of("resource",
                                        created.stream().map(ScriptRecord::toJson).collect(Collectors.toList())))
                                : ApiResponses.json(201, created.get(0).toJson());
                    })
                    .on("GET " + base + "/{name}", request -> ApiResponses.json(200,
                            admin.get(kind, pathName(request, "name"), request.flag("refresh"),
                            request.flag(SoftDelete.INCLUDE_PARAMETER)).toJson()))
                    .on(List.of("POST " + base + "/{name}", "PUT " + base + "/{name}"), request ->
                            ApiResponses.json(200, admin.put(kind, pathName(request, "name"), request.jsonBody(),
                                    request.principal(), request.requestId()).toJson()))
                    .on("PATCH " + base + "/{name}", request -> ApiResponses.json(200, admin.patch(kind,
                            pathName(request, "name"), request.jsonBody(), request.principal(), request.requestId())
                            .toJson()))
                    .on("DELETE " + base + "/{name}", request -> ApiResponses.json(200, admin.delete(kind,
                            pathName(request, "name"), request.flag("purge"), request.principal(), request.requestId())
                            .toJson()))
                    .on("POST " + base + "/{name}/dry_run", request -> ApiResponses.json(200, dryRun.run(kind,
                            pathName(request, "name"), request.jsonBody(), request.principal())))
                    .on("POST " + base + "/{name}/restore", request -> ApiResponses.json(200, admin.restore(kind,
                            pathName(request, "name"), request.principal(), request.requestId()).toJson()));
        }
        this.endpoint = routes.build(container.scriptHooks(), container.stamps());
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return endpoint.handle(event);
    }

    private static APIGatewayV2HTTPResponse cleared() {
        return ApiResponses.json(200, Map.of("success", true));
    }

    private static String pathName(ApiRequest request, String parameter) {
        String value = request.pathParameter(parameter).orElseThrow(() -> new NotFoundException("Missing " + parameter));
        if (value.indexOf('%') < 0) {
            return value;
        }
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notEncoded) {
            return value; // a '%' that starts no escape is a character of the name
        }
    }
}
