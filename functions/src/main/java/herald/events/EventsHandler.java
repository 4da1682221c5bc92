package herald.events;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import herald.auth.ApiKeyAuthenticator;
import herald.http.ApiRequest;
import herald.http.ApiResponses;
import herald.http.NotFoundException;
import herald.http.RequestGuard;
import herald.runtime.AwsClients;
import herald.runtime.Environment;
import java.time.Clock;
import java.util.Map;

/**
 * {@code EventsFunction}: the events API of the Ayon contract ({@code POST /api/events},
 * {@code GET|PATCH|DELETE /api/events/{id}}). It authenticates, parses, calls {@link EventService} and maps the
 * result; nothing else.
 *
 * <p>Thread-safe, so one instance may serve concurrent requests (the local runtime does).
 */
public final class EventsHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final EventService events;
    private final ApiKeyAuthenticator authenticator;

    /** The constructor Lambda calls: settings from the process environment. */
    public EventsHandler() {
        this(System.getenv());
    }

    /** The constructor the local runtime calls, with the environment template.yaml gives the function. */
    public EventsHandler(Map<String, String> environment) {
        this(new Environment(environment));
    }

    private EventsHandler(Environment environment) {
        this(new EventService(
                        DynamoDbEventStore.fromEnvironment(environment, AwsClients.dynamoDb(environment)),
                        RetentionPolicy.fromEnvironment(environment),
                        Clock.systemUTC()),
                new ApiKeyAuthenticator(environment.required("HERALD_API_KEY")));
    }

    public EventsHandler(EventService events, ApiKeyAuthenticator authenticator) {
        this.events = events;
        this.authenticator = authenticator;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        ApiRequest request = ApiRequest.of(event);
        return RequestGuard.respond(request, () -> {
            Caller caller = Caller.of(request, authenticator.authenticate(request));
            switch (request.routeKey()) {
                case "POST /api/events":
                    String id = events.dispatch(DispatchRequest.from(request.jsonBody()), caller);
                    return ApiResponses.json(200, Map.of("id", id));
                case "GET /api/events/{id}":
                    return ApiResponses.json(200, EventJson.toJson(events.get(eventId(request))));
                case "PATCH /api/events/{id}":
                    String target = eventId(request);
                    events.update(target, EventUpdate.from(request.jsonBody()), caller);
                    return ApiResponses.noContent();
                case "DELETE /api/events/{id}":
                    events.delete(eventId(request));
                    return ApiResponses.noContent();
                default:
                    throw new NotFoundException("EventsFunction has no route " + request.routeKey());
            }
        });
    }

    private static String eventId(ApiRequest request) {
        return EventIds.require("The event id in the path", request.pathParameter("id").orElse(""));
    }
}
