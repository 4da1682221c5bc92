package herald.events;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import herald.auth.AuthorizerContext;
import herald.auth.Permissions;
import herald.http.ApiRequest;
import herald.http.ApiResponses;
import herald.http.NotFoundException;
import herald.http.RequestGuard;
import herald.runtime.AwsClients;
import herald.scripting.ScriptHooks;
import herald.scripting.Scripting;
import herald.runtime.Environment;
import herald.realtime.Broadcaster;
import herald.realtime.EventMessages;
import herald.realtime.Realtime;
import java.util.Map;
import java.util.Set;
import org.slf4j.LoggerFactory;

/**
 * {@code EventsFunction}: the events API of the Ayon contract ({@code POST /api/events},
 * {@code GET|PATCH|DELETE /api/events/{id}}). It authenticates, parses, calls {@link EventService} and maps the
 * result; nothing else.
 *
 * <p>Thread-safe, so one instance may serve concurrent requests (the local runtime does).
 */
public final class EventsHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final EventService events;
    private final Broadcaster broadcaster;
    private final ScriptHooks scripts;

    /** The constructor Lambda calls: settings from the process environment. */
    public EventsHandler() {
        this(System.getenv());
    }

    /** The constructor the local runtime calls, with the environment template.yaml gives the function. */
    public EventsHandler(Map<String, String> environment) {
        this(new Environment(environment));
    }

    private EventsHandler(Environment environment) {
        this(EventService.fromEnvironment(environment, AwsClients.dynamoDb(environment)),
                environment.optional("SUBSCRIPTIONS_TABLE").isPresent()
                        ? Realtime.broadcaster(environment, AwsClients.dynamoDb(environment)) : null,
                Scripting.hooks(environment, AwsClients.dynamoDb(environment)));
    }

    /** Without a broadcaster, fire-and-forget events and progress go nowhere (stored events still stream out). */
    public EventsHandler(EventService events) {
        this(events, null);
    }

    public EventsHandler(EventService events, Broadcaster broadcaster) {
        this(events, broadcaster, ScriptHooks.NONE);
    }

    public EventsHandler(EventService events, Broadcaster broadcaster,
            ScriptHooks scripts) {
        this.events = events;
        this.broadcaster = broadcaster;
        this.scripts = scripts;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return scripts.around(event, this::handle);
    }

    private APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event) {
        ApiRequest request = ApiRequest.of(event);
        return RequestGuard.respond(request, () -> {
            Caller caller = Caller.of(request, AuthorizerContext.principal(request));
            switch (request.routeKey()) {
                case "POST /api/events":
                    Permissions.requireManager(caller.principal(), "dispatch events");
                    DispatchRequest dispatch = DispatchRequest.from(request.jsonBody());
                    if (dispatch.project() != null) {
                        Permissions.requireProject(caller.principal(), dispatch.project(), "dispatch events");
                    }
                    Event dispatched = events.dispatch(dispatch, caller);
                    if (!dispatch.store()) {
                        broadcast(dispatched, EventMessages.dispatched(dispatched, false));
                    }
                    return ApiResponses.json(200, Map.of("id", dispatched.id()));
                case "GET /api/events/{id}":
                    Event found = events.get(eventId(request));
                    Permissions.requireProject(caller.principal(), found.project(), "read events");
                    return ApiResponses.json(200, EventJson.toJson(found));
                case "PATCH /api/events/{id}":
                    EventUpdate update = EventUpdate.from(request.jsonBody());
                    Event updated = events.update(eventId(request), update, caller);
                    if (update.progress() != null) {
                        broadcast(updated, EventMessages.updated(updated, update.progress()));
                    }
                    return ApiResponses.noContent();
                case "DELETE /api/events/{id}":
                    Permissions.requireManager(caller.principal(), "delete events");
                    String id = eventId(request);
                    events.find(id).ifPresent(doomed -> Permissions.requireProject(caller.principal(), doomed.project(),
                            "delete events"));
                    events.delete(id);
                    return ApiResponses.noContent();
                default:
                    throw new NotFoundException("EventsFunction has no route " + request.routeKey());
            }
        });
    }

    /**
     * Fire-and-forget events and progress are never stored, so they go to subscribers from here rather than from
     * the stream. Best effort: a failed post does not fail the request that was already carried out.
     */
    private void broadcast(Event event, String message) {
        if (broadcaster == null) {
            return;
        }
        try {
            broadcaster.send(event.topic(), event.project(), message, Set.of());
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(EventsHandler.class).warn("Broadcasting event {} failed", event.id(), e);
        }
    }

    private static String eventId(ApiRequest request) {
        return EventIds.require("The event id in the path", request.pathParameter("id").orElse(""));
    }
}
