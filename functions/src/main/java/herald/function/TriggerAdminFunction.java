package herald.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import herald.http.ApiRequest;
import herald.http.ApiResponses;
import herald.http.HttpEndpoint;
import herald.kernel.InvalidRequestException;
import herald.kernel.SoftDelete;
import herald.triggers.TriggerAdmin;
import java.util.Map;

/**
 * {@code TriggerAdminFunction}: {@code /api/v2/system/trigger[/{name}]}, a trigger's deliveries (retry, cancel,
 * recover), its replays (start, list, read, cancel) and the deliveries of a state across triggers
 * ({@code /api/v2/system/deliveries}), for admins.
 *
 * <p>Thread-safe.
 */
public final class TriggerAdminFunction implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private static final String TRIGGERS = "/api/v2/system/trigger";

    private final HttpEndpoint endpoint;

    public TriggerAdminFunction() {
        this(System.getenv());
    }

    public TriggerAdminFunction(Map<String, String> environment) {
        Container container = new Container(environment);
        TriggerAdmin admin = container.triggerAdmin();
        this.endpoint = HttpEndpoint.of("TriggerAdminFunction")
                .on("GET " + TRIGGERS, request -> ApiResponses.json(200, Map.of("resource",
                        admin.list(request.flag(SoftDelete.INCLUDE_PARAMETER)))))
                .on("POST " + TRIGGERS, request -> ApiResponses.json(201,
                        admin.create(request.jsonBody(), request.principal(), request.requestId())))
                .on("POST " + TRIGGERS + "/_test", request -> ApiResponses.json(200,
                        admin.test(request.jsonBody(), request.principal())))
                .on("GET " + TRIGGERS + "/{name}", request -> ApiResponses.json(200,
                        admin.get(name(request), request.flag(SoftDelete.INCLUDE_PARAMETER))))
                .on("PATCH " + TRIGGERS + "/{name}", request -> ApiResponses.json(200,
                        admin.update(name(request), request.jsonBody(), request.principal(), request.requestId())))
                .on("DELETE " + TRIGGERS + "/{name}", request -> {
                    admin.delete(name(request), request.flag("purge"), request.principal(), request.requestId());
                    return ApiResponses.noContent();
                })
                .on("POST " + TRIGGERS + "/{name}/restore", request -> ApiResponses.json(200,
                        admin.restore(name(request), request.principal(), request.requestId())))
                .on("GET " + TRIGGERS + "/{name}/deliveries", request -> ApiResponses.json(200, Map.of("resource",
                        admin.deliveries(name(request), request.queryParameter("status").orElse(null), limit(request)))))
                .on("POST " + TRIGGERS + "/{name}/deliveries/{id}/retry", request -> ApiResponses.json(200,
                        admin.retry(name(request), request.pathParameter("id").orElse(""), request.principal())))
                .on("POST " + TRIGGERS + "/{name}/deliveries/{id}/cancel", request -> ApiResponses.json(200,
                        admin.cancel(name(request), request.pathParameter("id").orElse(""), request.principal())))
                .on("POST " + TRIGGERS + "/{name}/recover", request -> ApiResponses.json(200,
                        admin.recover(name(request), request.jsonBody(), request.principal())))
                .on("POST " + TRIGGERS + "/{name}/replay", request -> ApiResponses.json(202,
                        admin.replay(name(request), request.jsonBody(), request.principal())))
                .on("GET " + TRIGGERS + "/{name}/replay", request -> ApiResponses.json(200, Map.of("resource",
                        admin.replays(name(request)))))
                .on("GET " + TRIGGERS + "/{name}/replay/{id}", request -> ApiResponses.json(200,
                        admin.replay(name(request), request.pathParameter("id").orElse(""))))
                .on("POST " + TRIGGERS + "/{name}/replay/{id}/cancel", request -> ApiResponses.json(200,
                        admin.cancelReplay(name(request), request.pathParameter("id").orElse(""), request.principal())))
                .on("GET /api/v2/system/deliveries", request -> ApiResponses.json(200, Map.of("resource",
                        admin.deliveriesInState(request.queryParameter("status").orElse(null),
                                request.queryParameter("since").orElse(null), limit(request)))))
                .build(container.scriptHooks(), container.stamps());
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return endpoint.handle(event);
    }

    private static String name(ApiRequest request) {
        return request.pathParameter("name").orElse(null);
    }

    private static int limit(ApiRequest request) {
        return request.queryParameter("limit").map(TriggerAdminFunction::limit).orElse(50);
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
