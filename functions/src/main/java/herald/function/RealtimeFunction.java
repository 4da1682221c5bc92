package herald.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.fasterxml.jackson.databind.JsonNode;
import herald.auth.ApiKeyAuthenticator;
import herald.auth.AuthorizerContext;
import herald.auth.Principal;
import herald.kernel.HeraldException;
import herald.kernel.InvalidRequestException;
import herald.kernel.Json;
import herald.realtime.Broadcaster;
import herald.realtime.ConnectionRegistry;
import herald.realtime.EventMessages;
import herald.realtime.Resumption;
import herald.realtime.Subscriptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code RealtimeFunction}: the WebSocket API's routes. {@code $connect} comes through the authorizer, which
 * refuses a wrong key and passes a valid one's principal; a connection without a key is accepted, as Ayon's web
 * client connects. Ayon's {@code {"topic": "auth", "token", "subscribe",
 * "project"}} message authenticates and (re)sets the subscriptions; as in Ayon, nothing is answered. With
 * {@code "since"} (a cursor or an ISO time) the connection first receives what it missed ({@link Resumption}); a
 * malformed {@code since} or subscription is answered with {@code {"topic": "error", "code": 400, "detail"}} and
 * subscribes nothing. A connection that has not authenticated through the message receives nothing.
 * {@code $disconnect} forgets the connection.
 *
 * <p>Thread-safe.
 */
public final class RealtimeFunction implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {

    private static final Logger LOG = LoggerFactory.getLogger(RealtimeFunction.class);

    private final ConnectionRegistry registry;
    private final ApiKeyAuthenticator authenticator;
    private final Broadcaster broadcaster;
    private final Resumption resumption;

    public RealtimeFunction() {
        this(System.getenv());
    }

    public RealtimeFunction(Map<String, String> environment) {
        Container container = new Container(environment);
        this.registry = container.connections();
        this.authenticator = container.authenticator();
        this.broadcaster = container.broadcaster();
        this.resumption = container.resumption();
    }

    @Override
    public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
        String connectionId = event.getRequestContext().getConnectionId();
        switch (event.getRequestContext().getRouteKey()) {
            case "$connect":
                // The authorizer refused a wrong key already; without a key the connection is anonymous until
                // Ayon's auth message.
                Map<String, Object> authorizer = event.getRequestContext().getAuthorizer();
                Principal principal = authorizer != null && authorizer.containsKey("name")
                        ? AuthorizerContext.principal(authorizer) : null;
                registry.open(connectionId, principal,
                        principal == null ? null : AuthorizerContext.expiresAt(authorizer).orElse(null));
                return response(200);
            case "$disconnect":
                registry.close(connectionId);
                return response(200);
            case "auth":
                authenticate(connectionId, event.getBody());
                return response(200);
            default:
                return response(200);
        }
    }

    private void authenticate(String connectionId, String body) {
        JsonNode message;
        ApiKeyAuthenticator.Authenticated key;
        try {
            message = Json.MAPPER.readTree(body);
            key = authenticator.authenticated(message.path("token").asText(null));
        } catch (HeraldException | java.io.IOException e) {
            // as in Ayon: a wrong key is not answered, and the connection receives nothing
            LOG.info("Ignored an auth message on {}: {}", connectionId, e.getMessage());
            return;
        }
        Subscriptions subscriptions;
        String since;
        try {
            List<String> subscribe = new ArrayList<>();
            message.path("subscribe").forEach(topic -> subscribe.add(topic.asText()));
            subscriptions = Subscriptions.of(subscribe);
            since = message.hasNonNull("since") ? Resumption.since(message.get("since").asText()) : null;
        } catch (InvalidRequestException e) {
            broadcaster.sendInOrder(connectionId, List.of(EventMessages.error(e.status(), e.detail())));
            return;
        }
        String project = message.hasNonNull("project") ? message.get("project").asText() : null;
        registry.subscribe(connectionId, key.principal(), key.expiresAt(), subscriptions, project, since != null);
        if (since != null) {
            resumption.resume(connectionId, key.principal(), subscriptions, project, since);
        }
    }

    private static APIGatewayV2WebSocketResponse response(int status) {
        APIGatewayV2WebSocketResponse response = new APIGatewayV2WebSocketResponse();
        response.setStatusCode(status);
        return response;
    }
}
