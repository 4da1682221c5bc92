package herald.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The template's WebSocket API on localhost, behaving as API Gateway's: every connection gets an id; the
 * {@code $connect} function sees the handshake's headers and query and a non-2xx answer refuses the connection;
 * each message goes to the route its selection expression ({@code $request.body.<field>}) picks, else to
 * {@code $default}; {@code $disconnect} runs when the connection closes. The {@code @connections} operations
 * (post, get, delete) are here for the HTTP server to expose.
 *
 * <p>Thread-safe.
 */
final class WebSocketApiServer extends WebSocketServer {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketApiServer.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Connection(String id, WebSocket socket, Instant connectedAt, String sourceIp, String userAgent) {
    }

    private final SamTemplate.WebSocketSpec spec;
    private final Map<String, LocalFunction> functions;
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();

    WebSocketApiServer(String host, int port, SamTemplate.WebSocketSpec spec, Map<String, LocalFunction> functions) {
        super(new InetSocketAddress(host, port));
        this.spec = spec;
        this.functions = functions;
        setReuseAddr(true);
    }

    String stage() {
        return spec.stage();
    }

    @Override
    public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(WebSocket socket, Draft draft,
            ClientHandshake request) throws InvalidDataException {
        ServerHandshakeBuilder response = super.onWebsocketHandshakeReceivedAsServer(socket, draft, request);
        String id = newConnectionId();
        socket.setAttachment(id);
        Map<String, String> headers = new LinkedHashMap<>();
        for (Iterator<String> names = request.iterateHttpFields(); names.hasNext(); ) {
            String name = names.next();
            headers.put(name.toLowerCase(Locale.ROOT), request.getFieldValue(name));
        }
        APIGatewayV2WebSocketEvent event = event("$connect", "CONNECT", id, null);
        event.setHeaders(headers);
        event.setQueryStringParameters(query(request.getResourceDescriptor()));
        if (spec.connectAuthorizerFunction() != null) {
            event.getRequestContext().setAuthorizer(authorize(event));
        }
        Optional<Integer> status = invoke("$connect", event);
        if (status.isPresent() && (status.get() < 200 || status.get() > 299)) {
            throw new InvalidDataException(CloseFrame.POLICY_VALIDATION,
                    "$connect answered " + status.get() + ": connection refused");
        }
        connections.put(id, new Connection(id, socket, Instant.now(),
                socket.getRemoteSocketAddress().getAddress().getHostAddress(), headers.get("user-agent")));
        return response;
    }

    @Override
    public void onOpen(WebSocket socket, ClientHandshake handshake) {
        // registered during the handshake, once $connect had accepted it
    }

    @Override
    public void onMessage(WebSocket socket, String message) {
        String id = socket.getAttachment();
        String routeKey = route(message);
        if (routeKey == null) {
            socket.send("{\"message\": \"Forbidden\", \"connectionId\":\"" + id + "\", \"requestId\":\""
                    + UUID.randomUUID() + "\"}");
            return;
        }
        invoke(routeKey, event(routeKey, "MESSAGE", id, message));
    }

    @Override
    public void onClose(WebSocket socket, int code, String reason, boolean remote) {
        String id = socket.getAttachment();
        if (id != null && connections.remove(id) != null) {
            invoke("$disconnect", event("$disconnect", "DISCONNECT", id, null));
        }
    }

    @Override
    public void onError(WebSocket socket, Exception failure) {
        LOG.debug("WebSocket error on {}: {}", socket == null ? "the server" : socket.getAttachment(), failure.toString());
    }

    @Override
    public void onStart() {
        setConnectionLostTimeout(60);
    }

    /** {@code POST @connections/{id}}: false when the connection is gone (API Gateway's 410). */
    boolean post(String connectionId, String data) {
        Connection connection = connections.get(connectionId);
        if (connection == null || !connection.socket().isOpen()) {
            return false;
        }
        connection.socket().send(data);
        return true;
    }

    /** {@code GET @connections/{id}}: what API Gateway tells about a connection, or empty when it is gone. */
    Optional<Map<String, Object>> describe(String connectionId) {
        Connection connection = connections.get(connectionId);
        if (connection == null || !connection.socket().isOpen()) {
            return Optional.empty();
        }
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("sourceIp", connection.sourceIp());
        identity.put("userAgent", connection.userAgent());
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("connectedAt", connection.connectedAt().toString());
        description.put("identity", identity);
        description.put("lastActiveAt", Instant.now().toString());
        return Optional.of(description);
    }

    /** {@code DELETE @connections/{id}}: false when the connection is gone. */
    boolean disconnect(String connectionId) {
        Connection connection = connections.get(connectionId);
        if (connection == null) {
            return false;
        }
        connection.socket().close(CloseFrame.NORMAL, "Going away");
        return true;
    }

    private String route(String message) {
        String routeKey = null;
        String prefix = "$request.body.";
        if (spec.routeSelectionExpression().startsWith(prefix)) {
            try {
                JsonNode body = LocalJson.MAPPER.readTree(message);
                JsonNode selected = body == null ? null : body.at("/" + spec.routeSelectionExpression()
                        .substring(prefix.length()).replace('.', '/'));
                if (selected != null && selected.isValueNode() && spec.routeFunctions().containsKey(selected.asText())) {
                    routeKey = selected.asText();
                }
            } catch (Exception notJson) {
                routeKey = null;
            }
        }
        if (routeKey == null && spec.routeFunctions().containsKey("$default")) {
            routeKey = "$default";
        }
        return routeKey;
    }

    private APIGatewayV2WebSocketEvent event(String routeKey, String type, String connectionId, String body) {
        APIGatewayV2WebSocketEvent.RequestContext context = new APIGatewayV2WebSocketEvent.RequestContext();
        context.setRouteKey(routeKey);
        context.setEventType(type);
        context.setConnectionId(connectionId);
        context.setMessageId(type.equals("MESSAGE") ? UUID.randomUUID().toString() : null);
        context.setMessageDirection("IN");
        context.setStage(spec.stage());
        context.setApiId("local");
        context.setAccountId(Intrinsics.ACCOUNT);
        context.setDomainName("127.0.0.1:" + getPort());
        context.setRequestId(UUID.randomUUID().toString());
        context.setExtendedRequestId(context.getRequestId());
        context.setRequestTimeEpoch(System.currentTimeMillis());
        Connection connection = connections.get(connectionId);
        context.setConnectedAt(connection == null ? System.currentTimeMillis() : connection.connectedAt().toEpochMilli());
        APIGatewayV2WebSocketEvent event = new APIGatewayV2WebSocketEvent();
        event.setRequestContext(context);
        event.setBody(body);
        event.setIsBase64Encoded(false);
        return event;
    }

    /**
     * Runs the {@code $connect} authorizer as API Gateway does for a WebSocket API: the REQUEST payload with the
     * handshake's headers and query and a {@code methodArn}; an IAM policy that does not allow
     * {@code execute-api:Invoke} refuses the handshake (403), a failing authorizer too (500). What it returns in
     * {@code context}, with its {@code principalId}, becomes {@code requestContext.authorizer}.
     */
    private Map<String, Object> authorize(APIGatewayV2WebSocketEvent connect) throws InvalidDataException {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("type", "REQUEST");
        request.put("methodArn", "arn:aws:execute-api:" + Intrinsics.REGION + ":" + Intrinsics.ACCOUNT + ":local/"
                + spec.stage() + "/$connect");
        request.put("headers", connect.getHeaders());
        request.put("queryStringParameters", connect.getQueryStringParameters());
        request.put("stageVariables", Map.of());
        request.put("requestContext", LocalJson.MAPPER.convertValue(connect.getRequestContext(), Map.class));
        Object result;
        try {
            result = functions.get(spec.connectAuthorizerFunction()).invoke(request);
        } catch (Throwable failure) {
            LOG.error("The $connect authorizer failed", failure);
            throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "500: the authorizer failed");
        }
        JsonNode response = LocalJson.MAPPER.valueToTree(result);
        boolean allowed = false;
        for (JsonNode statement : response.path("policyDocument").path("Statement")) {
            if (statement.path("Effect").asText().equals("Deny")) {
                allowed = false;
                break;
            }
            if (statement.path("Effect").asText().equals("Allow")) {
                allowed = true;
            }
        }
        if (!allowed) {
            throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "403: the authorizer refused the connection");
        }
        Map<String, Object> authorizer = new LinkedHashMap<>();
        response.path("context").fields().forEachRemaining(field -> authorizer.put(field.getKey(),
                field.getValue().isValueNode() ? field.getValue().asText() : field.getValue().toString()));
        authorizer.put("principalId", response.path("principalId").asText());
        return authorizer;
    }

    /** Invokes the route's function; its status code, or empty when the route has no function. */
    private Optional<Integer> invoke(String routeKey, APIGatewayV2WebSocketEvent event) {
        String function = spec.routeFunctions().get(routeKey);
        if (function == null) {
            return Optional.empty();
        }
        try {
            Object result = functions.get(function).invoke(event);
            return Optional.of(result instanceof APIGatewayV2WebSocketResponse
                    ? ((APIGatewayV2WebSocketResponse) result).getStatusCode() : 200);
        } catch (Throwable failure) {
            LOG.error("{} failed on the WebSocket route {}", function, routeKey, failure);
            return Optional.of(500);
        }
    }

    private static Map<String, String> query(String resource) {
        int question = resource.indexOf('?');
        if (question < 0) {
            return null;
        }
        Map<String, String> parameters = new HashMap<>();
        for (String pair : resource.substring(question + 1).split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            parameters.merge(name, value, (a, b) -> a + "," + b);
        }
        return parameters;
    }

    /** Ids shaped as API Gateway's: 12 characters of base64 ending in '='. */
    private static String newConnectionId() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes).substring(0, 11) + "=";
    }

    URI endpoint() {
        return URI.create("ws://127.0.0.1:" + getPort());
    }
}
