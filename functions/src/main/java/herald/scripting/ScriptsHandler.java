package herald.scripting;

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
import herald.http.NotFoundException;
import herald.http.RequestGuard;
import herald.http.StatusException;
import herald.runtime.AwsClients;
import herald.runtime.Environment;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * {@code ScriptsFunction}: the scripting admin API. {@code /api/v2/system/event} lists the scriptable event names;
 * {@code /api/v2/system/event_script} and {@code /api/v2/system/service} manage scripts; {@code /api/v2/system/cache}
 * clears the script cache (DreamFactory's routes, including {@code POST ...?method=DELETE} for webhooks);
 * {@code /api/v2/system/webhook/github} takes GitHub's signed webhook.
 *
 * <p>Thread-safe.
 */
public final class ScriptsHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private static final String SYSTEM = "/api/v2/system/";

    private final ScriptAdmin admin;
    private final ScriptLibrary library;
    private final GitHubWebhook webhook;
    private final ScriptHooks scripts;
    private final ResourceEvents resources;

    public ScriptsHandler() {
        this(System.getenv());
    }

    public ScriptsHandler(Map<String, String> environment) {
        this(new Environment(environment));
    }

    private ScriptsHandler(Environment environment) {
        this(environment, Scripting.library(environment, AwsClients.dynamoDb(environment)));
    }

    private ScriptsHandler(Environment environment, ScriptLibrary library) {
        this(library, environment.optional("GITHUB_WEBHOOK_SECRET").orElse(null),
                Scripting.hooks(environment, AwsClients.dynamoDb(environment), library),
                new ResourceEvents(EventService.fromEnvironment(environment, AwsClients.dynamoDb(environment))));
    }

    public ScriptsHandler(ScriptLibrary library, String webhookSecret, ScriptHooks scripts, ResourceEvents resources) {
        this.resources = resources;
        this.library = library;
        this.admin = new ScriptAdmin(library, Clock.systemUTC());
        this.webhook = new GitHubWebhook(webhookSecret, library.store(), library.stamps(), Clock.systemUTC());
        this.scripts = scripts;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return scripts.around(event, this::handle);
    }

    private APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event) {
        ApiRequest request = ApiRequest.of(event);
        return RequestGuard.respond(request, () -> {
            String route = request.routePath();
            if (route.equals(SYSTEM + "webhook/github")) {
                return ApiResponses.json(200, webhook.receive(request));
            }
            Principal caller = AuthorizerContext.principal(request);
            Permissions.requireAdmin(caller, route.startsWith(SYSTEM + "cache") ? "clear the script cache"
                    : "read or change event scripts and scripted services");
            String method = request.effectiveMethod();
            if (route.equals(SYSTEM + "event")) {
                return ApiResponses.json(200, Map.of("resource", ScriptableRoutes.eventNames(admin.list(ScriptKind.SERVICE)
                        .stream().map(ScriptRecord::name).collect(Collectors.toCollection(TreeSet::new)))));
            }
            if (route.startsWith(SYSTEM + "cache")) {
                return cache(request, route, method);
            }
            ScriptKind kind = route.startsWith(SYSTEM + "service") ? ScriptKind.SERVICE : ScriptKind.EVENT_SCRIPT;
            if (route.endsWith("/restore")) {
                ScriptRecord restored = admin.restore(kind, pathName(request, "name"));
                resources.emit(ResourceEvents.Change.RESTORED, kind.resourceType(), restored.name(), caller,
                        request.requestId());
                return ApiResponses.json(200, restored.toJson());
            }
            if (!route.endsWith("{name}")) {
                switch (method) {
                    case "GET":
                        return ApiResponses.json(200, Map.of("resource",
                                admin.list(kind).stream().map(ScriptRecord::toJson).collect(Collectors.toList())));
                    case "POST":
                        List<ScriptRecord> created = admin.create(kind, request.jsonBody(), caller.name());
                        created.forEach(r -> resources.emit(ResourceEvents.Change.CREATED, kind.resourceType(), r.name(),
                                caller, request.requestId()));
                        return created.size() == 1 && !request.body().contains("\"resource\"")
                                ? ApiResponses.json(201, created.get(0).toJson())
                                : ApiResponses.json(201, Map.of("resource",
                                        created.stream().map(ScriptRecord::toJson).collect(Collectors.toList())));
                    default:
                        throw notAllowed(method, route, "GET, POST");
                }
            }
            String name = pathName(request, "name");
            switch (method) {
                case "GET":
                    boolean refresh = request.queryParameter("refresh").map(v -> v.equals("true") || v.equals("1"))
                            .orElse(false);
                    return ApiResponses.json(200, admin.get(kind, name, refresh).toJson());
                case "POST":
                case "PUT":
                    boolean existed = admin.exists(kind, name);
                    ScriptRecord put = admin.put(kind, name, request.jsonBody(), caller.name());
                    resources.emit(existed ? ResourceEvents.Change.UPDATED : ResourceEvents.Change.CREATED,
                            kind.resourceType(), name, caller, request.requestId());
                    return ApiResponses.json(200, put.toJson());
                case "PATCH":
                    ScriptRecord patched = admin.patch(kind, name, request.jsonBody(), caller.name());
                    resources.emit(ResourceEvents.Change.UPDATED, kind.resourceType(), name, caller, request.requestId());
                    return ApiResponses.json(200, patched.toJson());
                case "DELETE":
                    boolean purge = request.flag("purge");
                    ScriptAdmin.Deletion deletion = admin.delete(kind, name, purge);
                    if (deletion.softDeleted()) {
                        resources.emit(ResourceEvents.Change.SOFT_DELETED, kind.resourceType(), name, caller,
                                request.requestId());
                    }
                    if (deletion.purged()) {
                        resources.emit(ResourceEvents.Change.HARD_DELETED, kind.resourceType(), name, caller,
                                request.requestId());
                    }
                    return ApiResponses.json(200, deletion.record().toJson());
                default:
                    throw notAllowed(method, route, "GET, POST, PUT, PATCH, DELETE");
            }
        });
    }

    private APIGatewayV2HTTPResponse cache(ApiRequest request, String route, String method) {
        if (!method.equals("DELETE")) {
            throw notAllowed(method, route, "DELETE (or POST with ?method=DELETE)");
        }
        if (route.endsWith("{event_name}")) {
            library.stamps().clear(List.of(ScriptKind.EVENT_SCRIPT.cacheKey(pathName(request, "event_name"))));
        } else if (route.endsWith("{name}")) {
            String name = pathName(request, "name");
            library.stamps().clear(List.of(ScriptKind.SERVICE.cacheKey(name), "events-of:" + name));
        } else {
            library.stamps().clearAll();
        }
        return ApiResponses.json(200, Map.of("success", true));
    }

    private static String pathName(ApiRequest request, String parameter) {
        String value = request.pathParameter(parameter).orElseThrow(() -> new NotFoundException("Missing " + parameter));
        return value.indexOf('%') >= 0 ? URLDecoder.decode(value, StandardCharsets.UTF_8) : value;
    }

    private static StatusException notAllowed(String method, String route, String allowed) {
        return new StatusException(405, method + " is not a method of " + route + "; it takes " + allowed);
    }
}
