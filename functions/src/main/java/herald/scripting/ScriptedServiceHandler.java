package herald.scripting;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.auth.AuthorizerContext;
import herald.auth.Principal;
import herald.events.EventService;
import herald.http.ApiRequest;
import herald.http.ErrorResponses;
import herald.http.NotFoundException;
import herald.http.RequestGuard;
import herald.runtime.AwsClients;
import herald.runtime.Environment;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ScriptedServiceFunction}: {@code /api/v2/{service}[/...]} answered by the scripted service of that name,
 * as DreamFactory's scripting services are. The script gets {@code event} (with {@code resource} the rest of the
 * path) and its response is {@code event.response} if it set one, else its return value as JSON with status 200.
 * Like every route, the call also fires {@code {service}.{verb}.pre_process}, {@code post_process} and
 * {@code queued}.
 *
 * <p>Thread-safe.
 */
public final class ScriptedServiceHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final ScriptLibrary library;
    private final ScriptRunner runner;
    private final ScriptHooks scripts;

    public ScriptedServiceHandler() {
        this(System.getenv());
    }

    public ScriptedServiceHandler(Map<String, String> environment) {
        this(new Environment(environment));
    }

    private ScriptedServiceHandler(Environment environment) {
        this(environment, Scripting.library(environment, AwsClients.dynamoDb(environment)));
    }

    private ScriptedServiceHandler(Environment environment, ScriptLibrary library) {
        this(library, Scripting.runner(library, EventService.fromEnvironment(environment, AwsClients.dynamoDb(environment))),
                Scripting.hooks(environment, AwsClients.dynamoDb(environment), library));
    }

    public ScriptedServiceHandler(ScriptLibrary library, ScriptRunner runner,
            ScriptHooks scripts) {
        this.library = library;
        this.runner = runner;
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
            String name = request.pathParameter("service").orElse("").toLowerCase(Locale.ROOT);
            if (name.equals("system")) {
                throw new NotFoundException("No route for " + request.method() + " " + request.path()
                        + "; the README lists the /api/v2/system routes");
            }
            Optional<LoadedScript> service = library.begin().service(name);
            if (service.isEmpty()) {
                throw new NotFoundException("No scripted service named '" + name + "'; create one with POST "
                        + "/api/v2/system/service");
            }
            String method = request.effectiveMethod();
            ObjectNode scriptEvent = ScriptEvents.of(request, method, name + "." + method.toLowerCase(Locale.ROOT),
                    EventNames.resource(request));
            ScriptRun run = runner.run(service.get(), scriptEvent, caller);
            runner.keepLog(service.get(), name, caller, run, List.of());
            if (run.failed()) {
                return ErrorResponses.error(run.failure().httpStatus(), run.failure().detail());
            }
            JsonNode response = run.event().get("response");
            if (response != null && response.isObject()) {
                return ScriptEvents.toResponse(response);
            }
            return ScriptEvents.resultResponse(run.result());
        });
    }
}
