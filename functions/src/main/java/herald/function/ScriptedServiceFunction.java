package herald.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.auth.Principal;
import herald.http.ApiRequest;
import herald.http.ErrorResponses;
import herald.http.HttpEndpoint;
import herald.http.ScriptEvents;
import herald.kernel.Names;
import herald.kernel.NotFoundException;
import herald.scripting.LoadedScript;
import herald.scripting.ScriptLibrary;
import herald.scripting.ScriptRun;
import herald.scripting.ScriptRunner;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ScriptedServiceFunction}: {@code /api/v2/{service}[/{path}]} with any method runs the scripted service of
 * that name, as the caller, and answers what it returns (or the {@code event.response} it set). The service's own
 * event scripts run around it, named {@code {service}.{verb}.{phase}}.
 *
 * <p>Thread-safe.
 */
public final class ScriptedServiceFunction implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final ScriptLibrary library;
    private final ScriptRunner runner;
    private final HttpEndpoint endpoint;

    public ScriptedServiceFunction() {
        this(System.getenv());
    }

    public ScriptedServiceFunction(Map<String, String> environment) {
        Container container = new Container(environment);
        this.library = container.scripts();
        this.runner = container.scriptRunner();
        this.endpoint = HttpEndpoint.of("ScriptedServiceFunction")
                .on(List.of("ANY /api/v2/{service}", "ANY /api/v2/{service}/{proxy+}"), this::run)
                .build(container.scriptHooks(), container.stamps());
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return endpoint.handle(event);
    }

    private APIGatewayV2HTTPResponse run(ApiRequest request) {
        Principal caller = request.principal();
        String name = request.pathParameter("service").orElse("").toLowerCase(Locale.ROOT);
        if (name.equals("system")) {
            throw new NotFoundException("No route for " + request.method() + " " + request.path()
                    + "; docs/api.md lists the /api/v2/system routes");
        }
        // the call's stamp, read already for its key check
        ScriptLibrary.Lookup lookup = request.stamp().map(library::begin).orElseGet(library::begin);
        Optional<LoadedScript> service = lookup.service(name);
        if (service.isEmpty()) {
            throw new NotFoundException("No scripted service named '" + Names.abbreviate(name) + "'; create one with POST "
                    + "/api/v2/system/service");
        }
        String method = request.method().toUpperCase(Locale.ROOT);
        ObjectNode scriptEvent = ScriptEvents.of(request, method, name + "." + method.toLowerCase(Locale.ROOT),
                ScriptEvents.resource(request));
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
    }
}
