package herald.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import herald.events.DispatchRequest;
import herald.events.Event;
import herald.events.EventIds;
import herald.events.EventJson;
import herald.events.EventService;
import herald.events.EventUpdate;
import herald.http.ApiRequest;
import herald.http.ApiResponses;
import herald.http.HttpEndpoint;
import java.util.Map;

/**
 * {@code EventsFunction}: the events API of the Ayon contract ({@code POST /api/events},
 * {@code GET|PATCH|DELETE /api/events/{id}}). Each route parses its request, calls {@link EventService}, which
 * authorises, stores and announces, and shapes the answer.
 *
 * <p>Thread-safe, so one instance may serve concurrent requests (the local runtime does).
 */
public final class EventsFunction implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final HttpEndpoint endpoint;

    /** The constructor Lambda calls: settings from the process environment. */
    public EventsFunction() {
        this(System.getenv());
    }

    /** The constructor the local runtime calls, with the environment template.yaml gives the function. */
    public EventsFunction(Map<String, String> environment) {
        Container container = new Container(environment);
        EventService events = container.events();
        this.endpoint = HttpEndpoint.of("EventsFunction")
                .on("POST /api/events", request -> {
                    Event dispatched = events.dispatch(DispatchRequest.from(request.jsonBody()), request.caller());
                    return ApiResponses.json(200, Map.of("id", dispatched.id()));
                })
                .on("GET /api/events/{id}", request ->
                        ApiResponses.json(200, EventJson.toJson(events.get(eventId(request), request.caller()))))
                .on("PATCH /api/events/{id}", request -> {
                    events.update(eventId(request), EventUpdate.from(request.jsonBody()), request.caller());
                    return ApiResponses.noContent();
                })
                .on("DELETE /api/events/{id}", request -> {
                    events.delete(eventId(request), request.caller());
                    return ApiResponses.noContent();
                })
                .build(container.scriptHooks(), container.stamps());
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return endpoint.handle(event);
    }

    private static String eventId(ApiRequest request) {
        return EventIds.require("The event id in the path", request.pathParameter("id").orElse(""));
    }
}
