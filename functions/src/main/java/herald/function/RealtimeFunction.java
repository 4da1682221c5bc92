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
import herald.kernel.Json;
import herald.realtime.ConnectionRegistry;
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
 * "project"}} message authenticates and (re)sets the subscriptions; as in Ayon, nothing is answered. A connection
 * that has not authenticated through the message receives nothing. {@code $disconnect} forgets the connection.
 *
 * <p>Thread-safe.
 */
public final class RealtimeFunction implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {

    private static final Logger LOG = LoggerFactory.getLogger(RealtimeFunction.class);

    private final ConnectionRegistry registry;
    private final ApiKeyAuthenticator authenticator;

    public RealtimeFunction() {
        this(System.getenv());
    }

    public RealtimeFunction(Map<String, String> environment) {
        Container container = new Container(environment);
        this.registry = container.connections();
        this.authenticator = container.authenticator();
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
        try {
            JsonNode message = Json.MAPPER.readTree(body);
            ApiKeyAuthenticator.Authenticated key = authenticator.authenticated(message.path("token").asText(null));
            List<String> subscribe = new ArrayList<>();
            message.path("subscribe").forEach(topic -> subscribe.add(topic.asText()));
            String project = message.hasNonNull("project") ? message.get("project").asText() : null;
            registry.subscribe(connectionId, key.principal(), key.expiresAt(), Subscriptions.of(subscribe), project);
        } catch (HeraldException | java.io.IOException e) {
            LOG.info("Ignored an auth message on {}: {}", connectionId, e.getMessage());
        }
    }


    private static APIGatewayV2WebSocketResponse response(int status) {
        APIGatewayV2WebSocketResponse response = new APIGatewayV2WebSocketResponse();
        response.setStatusCode(status);
        return response;
    }
}
