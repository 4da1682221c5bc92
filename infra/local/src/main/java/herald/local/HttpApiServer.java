package herald.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API on localhost: each request is matched to a route of the template, turned into the event API
 * Gateway would send, passed through the route's Lambda authorizer ({@link LambdaAuthorizers}), handed to the
 * route's function, and its response written back. Failures that API Gateway itself answers (no route, a body
 * over 10 MB, a function that throws) get API Gateway's own answers; a request that cannot be read at all (a
 * malformed request line, URI or header) gets Herald's {@code {"code","detail"}}, from Jetty's error handler.
 */
final class HttpApiServer implements AutoCloseable {

    /** API Gateway HTTP APIs accept request bodies up to 10 MB. */
    static final int MAX_BODY_BYTES = 10 * 1024 * 1024;

    /** API Gateway HTTP APIs accept a request line and headers of up to 10 KB together. */
    private static final int MAX_HEADER_BYTES = 10 * 1024;

    private static final String ESCAPES = "every '%' must start an escape of two hexadecimal digits (write a literal "
            + "'%' as %25), and the escaped bytes must be UTF-8";
    private static final String BAD_ENCODING = "The request's path or query is not valid percent-encoding: " + ESCAPES
            + ".";

    private static final Logger LOG = LoggerFactory.getLogger(HttpApiServer.class);

    private final Server server;
    private final ServerConnector connector;
    private final HttpRoutes routes;
    private final String stage;
    private final WebSocketApiServer webSocket;
    private final LambdaAuthorizers authorizers;
    private final LambdaInvocations invocations;

    HttpApiServer(String host, int port, HttpRoutes routes, String stage, WebSocketApiServer webSocket,
            LambdaAuthorizers authorizers, LambdaInvocations invocations) throws IOException {
        this.routes = routes;
        this.invocations = invocations;
        this.authorizers = authorizers;
        this.stage = stage;
        this.webSocket = webSocket;
        QueuedThreadPool threads = new QueuedThreadPool(64);
        threads.setName("local-http");
        this.server = new Server(threads);
        HttpConfiguration configuration = new HttpConfiguration();
        configuration.setSendServerVersion(false);
        configuration.setRequestHeaderSize(MAX_HEADER_BYTES);
        // Paths reach the router as sent (an encoded slash stays inside its segment), as API Gateway routes them;
        // what cannot be decoded is refused below, with a detail.
        configuration.setUriCompliance(UriCompliance.UNSAFE);
        this.connector = new ServerConnector(server, new HttpConnectionFactory(configuration));
        connector.setHost(host);
        connector.setPort(port);
        connector.setAcceptQueueSize(128);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                HttpApiServer.this.handle(request, response, callback);
                return true;
            }
        });
        server.setErrorHandler(HttpApiServer::unreadable);
        try {
            server.start();
        } catch (Exception e) {
            throw new IOException("Could not start the HTTP API on " + host + ":" + port, e);
        }
    }

    int port() {
        return connector.getLocalPort();
    }

    private void handle(Request request, Response response, Callback callback) {
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        String path = request.getHttpURI().getPath();
        try {
            if (webSocket != null && path.startsWith("/" + webSocket.stage() + "/@connections/")) {
                manageConnection(request, response, callback, method,
                        path.substring(("/" + webSocket.stage() + "/@connections/").length()));
                return;
            }
            if (path.startsWith(LambdaInvocations.PATH) && path.endsWith("/invocations") && method.equals("POST")) {
                invoke(request, response, callback, path.substring(LambdaInvocations.PATH.length(),
                        path.length() - "/invocations".length()));
                return;
            }
            String routedPath = path;
            if (!stage.equals("$default")) {
                String prefix = "/" + stage;
                if (!path.equals(prefix) && !path.startsWith(prefix + "/")) {
                    send(response, callback, 404, "{\"message\":\"Not Found\"}");
                    return;
                }
                routedPath = path.substring(prefix.length());
            }
            byte[] body = readBody(request);
            if (body == null) {
                send(response, callback, 413, "{\"message\":\"Request Entity Too Large\"}");
                return;
            }
            Optional<HttpRoutes.Match> match;
            APIGatewayV2HTTPEvent event;
            try {
                match = routes.match(method, routedPath.isEmpty() ? "/" : routedPath);
                if (match.isEmpty()) {
                    send(response, callback, 404, "{\"message\":\"Not Found\"}");
                    return;
                }
                event = HttpApiEvents.build(received(request, method), match.get(), stage, body);
            } catch (IllegalArgumentException malformed) {
                send(response, callback, 400, error(400, BAD_ENCODING));
                return;
            }
            String authorizer = match.get().route().authorizer();
            if (authorizer != null) {
                LambdaAuthorizers.Decision decision = authorizers.authorize(authorizer, event);
                if (!decision.allowed()) {
                    send(response, callback, decision.status(), decision.body());
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
                send(response, callback, 500, "{\"message\":\"Internal Server Error\"}");
                return;
            }
            write(response, callback, (APIGatewayV2HTTPResponse) result);
        } catch (IOException | RuntimeException e) {
            // the path only: a query string may hold an API key
            LOG.warn("Could not answer {} {}: {}", method, path, e.toString());
            callback.failed(e);
        }
    }

    /**
     * Jetty's error handler, for what never reaches a route: a request line, URI or header that cannot be parsed,
     * headers over API Gateway's limit. The detail is Herald's own; Jetty's reason is logged, not sent.
     */
    private static boolean unreadable(Request request, Response response, Callback callback) {
        Object status = request.getAttribute(org.eclipse.jetty.server.handler.ErrorHandler.ERROR_STATUS);
        int code = status instanceof Integer given ? given : response.getStatus();
        if (code < 400 || code > 599) {
            code = 400;
        }
        LOG.debug("Refused an unreadable request: {} {}", code,
                request.getAttribute(org.eclipse.jetty.server.handler.ErrorHandler.ERROR_MESSAGE));
        String detail = switch (code) {
            case 414, 431 -> "The request's URI or headers are longer than the " + MAX_HEADER_BYTES
                    + " bytes API Gateway accepts: send long values in the body.";
            case 400 -> "The request could not be read: its request line, URI or a header is malformed (in the path and "
                    + "query, " + ESCAPES + ").";
            default -> code < 500 ? "The request could not be read." : "The local runtime failed to read the request.";
        };
        // Jetty does not keep a connection whose request it could not read: say so, or a client reuses it
        response.getHeaders().put("connection", "close");
        send(response, callback, code, error(code, detail));
        return true;
    }

    private static String error(int code, String detail) {
        return LocalJson.write(Map.of("code", code, "detail", detail));
    }

    private static HttpApiEvents.Received received(Request request, String method) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (HttpField field : request.getHeaders()) {
            headers.add(Map.entry(field.getName(), field.getValue()));
        }
        return new HttpApiEvents.Received(method, request.getHttpURI().getPath(), request.getHttpURI().getQuery(),
                headers, request.getConnectionMetaData().getProtocol(), Request.getRemoteAddr(request));
    }

    /**
     * The API Gateway Management API: {@code POST} sends the body to the connection, {@code GET} describes it,
     * {@code DELETE} closes it. A connection that is gone is a 410 typed {@code GoneException}, so the AWS SDK
     * raises the exception it raises in AWS.
     */
    private void manageConnection(Request request, Response response, Callback callback, String method,
            String encodedId) throws IOException {
        String id = URLDecoder.decode(encodedId.replace("+", "%2B"), StandardCharsets.UTF_8);
        boolean found;
        switch (method) {
            case "POST":
                byte[] data = readBody(request);
                if (data == null) {
                    response.getHeaders().add("x-amzn-ErrorType", "PayloadTooLargeException");
                    send(response, callback, 413, "{\"message\":\"Payload too large\"}");
                    return;
                }
                found = webSocket.post(id, new String(data, StandardCharsets.UTF_8));
                if (found) {
                    response.setStatus(200);
                    callback.succeeded();
                    return;
                }
                break;
            case "GET":
                var description = webSocket.describe(id);
                if (description.isPresent()) {
                    send(response, callback, 200, LocalJson.write(description.get()));
                    return;
                }
                found = false;
                break;
            case "DELETE":
                found = webSocket.disconnect(id);
                if (found) {
                    response.setStatus(204);
                    callback.succeeded();
                    return;
                }
                break;
            default:
                send(response, callback, 404, "{\"message\":\"Not Found\"}");
                return;
        }
        response.getHeaders().add("x-amzn-ErrorType", "GoneException");
        send(response, callback, 410, "{\"message\":\"Gone\"}");
    }

    /** Lambda's Invoke API, which the functions' SDK reaches at {@code AWS_ENDPOINT_URL_LAMBDA}. */
    private void invoke(Request request, Response response, Callback callback, String encodedName) throws IOException {
        byte[] payload = readBody(request);
        if (payload == null) {
            response.getHeaders().add("x-amzn-ErrorType", "RequestTooLargeException");
            send(response, callback, 413, "{\"message\":\"Request must be smaller than the invocation payload limit\"}");
            return;
        }
        LambdaInvocations.Result result = invocations.invoke(URLDecoder.decode(encodedName, StandardCharsets.UTF_8),
                request.getHeaders().get("X-Amz-Invocation-Type"), new String(payload, StandardCharsets.UTF_8));
        if (result.functionError()) {
            response.getHeaders().add("X-Amz-Function-Error", "Unhandled");
        }
        if (result.status() == 404) {
            response.getHeaders().add("x-amzn-ErrorType", "ResourceNotFoundException");
        }
        if (result.body().isEmpty()) {
            response.setStatus(result.status());
            callback.succeeded();
        } else {
            send(response, callback, result.status(), result.body());
        }
    }

    private static byte[] readBody(Request request) throws IOException {
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            return body.length > MAX_BODY_BYTES ? null : body;
        }
    }

    private static void write(Response response, Callback callback, APIGatewayV2HTTPResponse result) {
        if (result.getHeaders() != null) {
            result.getHeaders().forEach((name, value) -> response.getHeaders().add(name, value));
        }
        if (result.getMultiValueHeaders() != null) {
            result.getMultiValueHeaders().forEach((name, values) -> values.forEach(
                    value -> response.getHeaders().add(name, value)));
        }
        List<String> cookies = result.getCookies();
        if (cookies != null) {
            cookies.forEach(cookie -> response.getHeaders().add("set-cookie", cookie));
        }
        String body = result.getBody();
        byte[] bytes = body == null ? new byte[0]
                : result.getIsBase64Encoded() ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
        int status = result.getStatusCode() == 0 ? 200 : result.getStatusCode();
        response.setStatus(status);
        boolean noBody = status == 204 || status == 304 || bytes.length == 0;
        if (noBody) {
            callback.succeeded();
        } else {
            response.getHeaders().put("content-length", bytes.length);
            response.write(true, ByteBuffer.wrap(bytes), callback);
        }
    }

    private static void send(Response response, Callback callback, int status, String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put("content-type", "application/json");
        response.getHeaders().put("content-length", bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("Could not stop the HTTP API: {}", e.toString());
        }
    }
}
