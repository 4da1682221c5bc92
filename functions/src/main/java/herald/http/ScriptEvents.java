package herald.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.kernel.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The {@code event} object a script receives, in the shape of DreamFactory's AsyncAPI payload, and the way back:
 * {@code request} ({@code method}, {@code uri}, {@code headers} by lower-case name, {@code parameters},
 * {@code payload}, {@code content}), {@code response} ({@code status_code}, {@code headers}, {@code content}),
 * {@code resource} and {@code event_name}. The caller's credentials (the API key header, {@code Authorization},
 * the {@code api_key} parameter) never reach a script; they are put back when a changed request goes on.
 *
 * <p>Stateless and thread-safe.
 */
public final class ScriptEvents {

    static final Set<String> SECRET_HEADERS = Set.of("x-api-key", "authorization", "cookie", "x-hub-signature",
            "x-hub-signature-256");
    static final Set<String> SECRET_PARAMETERS = Set.of("api_key", "token");

    private ScriptEvents() {
    }

    /** {@code event.resource}: the values of the path parameters that the name leaves out, joined by {@code /}. */
    public static String resource(ApiRequest request) {
        java.util.List<String> values = new java.util.ArrayList<>();
        for (String segment : request.routePath().split("/")) {
            if (segment.startsWith("{") && !segment.equals("{service}")) {
                String name = segment.substring(1, segment.length() - 1).replace("+", "");
                String value = request.pathParameters().get(name);
                if (value != null && !value.isEmpty()) {
                    values.add(value);
                }
            }
        }
        return String.join("/", values);
    }

    public static ObjectNode of(ApiRequest request, String method, String eventName, String resource) {
        ObjectNode event = Json.MAPPER.createObjectNode();
        event.put("event_name", eventName);
        event.put("resource", resource);
        ObjectNode req = event.putObject("request");
        req.put("method", method);
        req.put("uri", request.path());
        ObjectNode headers = req.putObject("headers");
        request.headers().forEach((name, value) -> {
            if (!SECRET_HEADERS.contains(name)) {
                headers.put(name, value);
            }
        });
        ObjectNode parameters = req.putObject("parameters");
        request.queryParameters().forEach((name, value) -> {
            if (!SECRET_PARAMETERS.contains(name)) {
                parameters.put(name, value);
            }
        });
        String body = request.body();
        JsonNode payload = parse(body);
        req.set("payload", payload);
        req.put("content", payload == null && !body.isEmpty() ? body : null);
        return event;
    }

    /** The response as a post_process script sees it. */
    public static ObjectNode response(APIGatewayV2HTTPResponse response) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("status_code", response.getStatusCode());
        ObjectNode headers = json.putObject("headers");
        if (response.getHeaders() != null) {
            response.getHeaders().forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), value));
        }
        String body = response.getBody() == null ? "" : response.getBody();
        JsonNode content = parse(body);
        if (content != null) {
            json.set("content", content);
        } else {
            json.put("content", body.isEmpty() ? null : body);
        }
        return json;
    }

    /**
     * The request a pre_process script changed, as the API Gateway event the handler reads: its headers, parameters
     * and payload (or content), with the caller's credentials put back. Path, route and method stay as routed.
     */
    public static APIGatewayV2HTTPEvent withRequest(APIGatewayV2HTTPEvent original, JsonNode request) {
        APIGatewayV2HTTPEvent changed = APIGatewayV2HTTPEvent.builder()
                .withVersion(original.getVersion())
                .withRouteKey(original.getRouteKey())
                .withRawPath(original.getRawPath())
                .withCookies(original.getCookies())
                .withPathParameters(original.getPathParameters())
                .withStageVariables(original.getStageVariables())
                .withRequestContext(original.getRequestContext())
                .build();
        Map<String, String> headers = new HashMap<>(strings(request.path("headers")));
        ApiRequest originalRequest = ApiRequest.of(original);
        originalRequest.headers().forEach((name, value) -> {
            if (SECRET_HEADERS.contains(name)) {
                headers.put(name, value);
            }
        });
        Map<String, String> parameters = new LinkedHashMap<>(strings(request.path("parameters")));
        originalRequest.queryParameters().forEach((name, value) -> {
            if (SECRET_PARAMETERS.contains(name)) {
                parameters.put(name, value);
            }
        });
        changed.setHeaders(headers);
        changed.setQueryStringParameters(parameters.isEmpty() ? null : parameters);
        changed.setRawQueryString(queryString(parameters));
        JsonNode payload = request.get("payload");
        JsonNode content = request.get("content");
        if (payload != null && !payload.isNull()) {
            changed.setBody(Json.write(payload));
        } else if (content != null && content.isTextual()) {
            changed.setBody(content.textValue());
        } else {
            changed.setBody(null);
        }
        changed.setIsBase64Encoded(false);
        return changed;
    }

    /** A response from what a script set: {@code status_code} (default 200), {@code headers}, {@code content}. */
    public static APIGatewayV2HTTPResponse toResponse(JsonNode response) {
        int status = response.path("status_code").canConvertToInt() ? response.path("status_code").asInt(200) : 200;
        if (status < 100 || status > 599) {
            status = 500;
        }
        Map<String, String> headers = new HashMap<>(strings(response.path("headers")));
        JsonNode content = response.get("content");
        String body;
        if (content == null || content.isNull()) {
            body = "";
        } else if (content.isTextual() && !isJson(headers)) {
            body = content.textValue();
        } else {
            body = Json.write(content);
            headers.putIfAbsent("content-type", "application/json");
        }
        return APIGatewayV2HTTPResponse.builder().withStatusCode(status).withHeaders(headers).withBody(body)
                .withIsBase64Encoded(false).build();
    }

    /** A script's return value as a response body: JSON, status 200. */
    public static APIGatewayV2HTTPResponse resultResponse(JsonNode result) {
        if (result != null && result.isObject() && (result.has("content") || result.has("status_code"))) {
            return toResponse(result);
        }
        return APIGatewayV2HTTPResponse.builder().withStatusCode(200)
                .withHeaders(Map.of("content-type", "application/json"))
                .withBody(Json.write(result == null ? Json.MAPPER.nullNode() : result)).withIsBase64Encoded(false).build();
    }

    private static boolean isJson(Map<String, String> headers) {
        for (var entry : headers.entrySet()) {
            if (entry.getKey().equalsIgnoreCase("content-type")) {
                return entry.getValue().toLowerCase(Locale.ROOT).contains("json");
            }
        }
        return false;
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> values = new LinkedHashMap<>();
        if (object != null && object.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                var field = fields.next();
                if (!field.getValue().isNull()) {
                    values.put(field.getKey().toLowerCase(Locale.ROOT),
                            field.getValue().isTextual() ? field.getValue().textValue() : field.getValue().toString());
                }
            }
        }
        return values;
    }

    private static String queryString(Map<String, String> parameters) {
        StringJoiner query = new StringJoiner("&");
        parameters.forEach((name, value) -> query.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return query.toString();
    }
}
