package herald.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API on localhost: each request is matched to a route of the template, turned into the event API
 * Gateway would send, passed through the route's Lambda authorizer ({@link LambdaAuthorizers}), handed to the
 * route's function, and its response written back. Failures that API Gateway
 * itself answers (no route, a body over 10 MB, a function that throws) get API Gateway's own answers.
 */
final class HttpApiServer implements AutoCloseable {

    /** API Gateway HTTP APIs accept request bodies up to 10 MB. */
    static final int MAX_BODY_BYTES = 10 * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(HttpApiServer.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpRoutes routes;
    private final String stage;
    private final WebSocketApiServer webSocket;
    private final LambdaAuthorizers authorizers;

    HttpApiServer(String host, int port, HttpRoutes routes, String stage, WebSocketApiServer webSocket,
            LambdaAuthorizers authorizers) throws IOException {
        this.routes = routes;
        this.authorizers = authorizers;
        this.stage = stage;
        this.webSocket = webSocket;
        this.server = HttpServer.create(new InetSocketAddress(host, port), 128);
        this.executor = Executors.newFixedThreadPool(64);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (webSocket != null && path.startsWith("/" + webSocket.stage() + "/@connections/")) {
                manageConnection(exchange, path.substring(("/" + webSocket.stage() + "/@connections/").length()));
                return;
            }
            String routedPath = path;
            if (!stage.equals("$default")) {
                String prefix = "/" + stage;
                if (!path.equals(prefix) && !path.startsWith(prefix + "/")) {
                    send(exchange, 404, "{\"message\":\"Not Found\"}");
                    return;
                }
                routedPath = path.substring(prefix.length());
            }
            byte[] body = readBody(exchange.getRequestBody());
            if (body == null) {
                send(exchange, 413, "{\"message\":\"Request Entity Too Large\"}");
                return;
            }
            String method = exchange.getRequestMethod().toUpperCase(java.util.Locale.ROOT);
            Optional<HttpRoutes.Match> match = routes.match(method, routedPath.isEmpty() ? "/" : routedPath);
            if (match.isEmpty()) {
                send(exchange, 404, "{\"message\":\"Not Found\"}");
                return;
            }
            APIGatewayV2HTTPEvent event;
            try {
                event = HttpApiEvents.build(exchange, match.get(), stage, body);
            } catch (IllegalArgumentException malformed) {
                // a bad percent-encoding in the path or query: API Gateway refuses it before any function runs
                send(exchange, 400, "{\"message\":\"Bad Request\"}");
                return;
            }
            String authorizer = match.get().route().authorizer();
            if (authorizer != null) {
                LambdaAuthorizers.Decision decision = authorizers.authorize(authorizer, event);
                if (!decision.allowed()) {
                    send(exchange, decision.status(), decision.body());
                    return;
                }
                APIGatewayV2HTTPEvent.RequestContext.Authorizer context = new APIGatewayV2HTTPEvent.RequestContext.Authorizer();
                context.setLambda(decision.context());
                event.getRequestContext().setAuthorizer(context);
            }
            Object result;
            try {
                result = match.get().function().invoke(event);
            } catch (Throwable failure) {
                LOG.error("{} failed on {} {}", match.get().function().name(), method, path, failure);
                send(exchange, 500, "{\"message\":\"Internal Server Error\"}");
                return;
            }
            write(exchange, (APIGatewayV2HTTPResponse) result);
        } catch (IOException | RuntimeException e) {
            // the path only: a query string may hold an API key
            LOG.warn("Could not answer {} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    e.toString());
        }
    }

    /**
     * The API Gateway Management API: {@code POST} sends the body to the connection, {@code GET} describes it,
     * {@code DELETE} closes it. A connection that is gone is a 410 typed {@code GoneException}, so the AWS SDK
     * raises the exception it raises in AWS.
     */
    private void manageConnection(HttpExchange exchange, String encodedId) throws IOException {
        String id = java.net.URLDecoder.decode(encodedId.replace("+", "%2B"), StandardCharsets.UTF_8);
        String method = exchange.getRequestMethod().toUpperCase(java.util.Locale.ROOT);
        boolean found;
        switch (method) {
            case "POST":
                byte[] data = readBody(exchange.getRequestBody());
                if (data == null) {
                    exchange.getResponseHeaders().add("x-amzn-ErrorType", "PayloadTooLargeException");
                    send(exchange, 413, "{\"message\":\"Payload too large\"}");
                    return;
                }
                found = webSocket.post(id, new String(data, StandardCharsets.UTF_8));
                if (found) {
                    exchange.sendResponseHeaders(200, -1);
                    return;
                }
                break;
            case "GET":
                var description = webSocket.describe(id);
                if (description.isPresent()) {
                    send(exchange, 200, LocalJson.write(description.get()));
                    return;
                }
                found = false;
                break;
            case "DELETE":
                found = webSocket.disconnect(id);
                if (found) {
                    exchange.sendResponseHeaders(204, -1);
                    return;
                }
                break;
            default:
                send(exchange, 404, "{\"message\":\"Not Found\"}");
                return;
        }
        exchange.getResponseHeaders().add("x-amzn-ErrorType", "GoneException");
        send(exchange, 410, "{\"message\":\"Gone\"}");
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
        return body.length > MAX_BODY_BYTES ? null : body;
    }

    private static void write(HttpExchange exchange, APIGatewayV2HTTPResponse response) throws IOException {
        if (response.getHeaders() != null) {
            response.getHeaders().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        }
        if (response.getMultiValueHeaders() != null) {
            response.getMultiValueHeaders().forEach((name, values) -> values.forEach(
                    value -> exchange.getResponseHeaders().add(name, value)));
        }
        List<String> cookies = response.getCookies();
        if (cookies != null) {
            cookies.forEach(cookie -> exchange.getResponseHeaders().add("set-cookie", cookie));
        }
        String body = response.getBody();
        byte[] bytes = body == null ? new byte[0]
                : response.getIsBase64Encoded() ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
        int status = response.getStatusCode() == 0 ? 200 : response.getStatusCode();
        boolean noBody = status == 204 || status == 304 || bytes.length == 0;
        exchange.sendResponseHeaders(status, noBody ? -1 : bytes.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("content-type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
