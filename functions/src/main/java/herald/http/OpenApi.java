package herald.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.kernel.HeraldVersion;
import herald.kernel.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Herald's OpenAPI 3.1 document, built from the one route table ({@link Routes}, held equal to template.yaml) and
 * the contract each capability keeps beside the code that reads and writes its bodies
 * ({@code herald/<package>/openapi.json}: its schemas, and an operation per route key). A route without its
 * operation, or an operation without its route, fails the build of the document, so no route exists without a
 * contract. What every route shares is added here: path parameters, the {@code X-Api-Key} scheme, the role it needs
 * ({@code x-herald-role}), and the {@code {"code", "detail"}} errors.
 *
 * <p>Immutable once built and thread-safe.
 */
public final class OpenApi {

    /** The packages whose {@code openapi.json} holds part of the contract. */
    static final List<String> PARTS = List.of("http", "events", "enroll", "query", "scripting", "keys", "triggers",
            "projects");
    private static final List<String> ANY_METHODS = List.of("get", "post", "put", "patch", "delete");
    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([A-Za-z_]+)\\+?}");
    private static final Map<String, String> ERRORS = Map.of(
            "400", "Bad input: the detail says what to fix",
            "401", "No valid key (missing, unknown, expired or revoked)",
            "403", "The key lacks the right the detail names",
            "404", "Not found, or not visible to this key",
            "405", "A tunnelled method is missing",
            "409", "A conflict with what is stored: the detail says which",
            "413", "The body is larger than the route takes");

    private OpenApi() {
    }

    /** Built on first use, once per container (the JVM's lazy, thread-safe class initialisation). */
    private static final class Built {
        static final ObjectNode DOCUMENT = build();
    }

    /** The document; callers must not change it. */
    public static ObjectNode document() {
        return Built.DOCUMENT;
    }

    static ObjectNode build() {
        ObjectNode schemas = Json.MAPPER.createObjectNode();
        Map<String, ObjectNode> operations = new LinkedHashMap<>();
        for (String part : PARTS) {
            JsonNode contract = read("/herald/" + part + "/openapi.json");
            contract.path("schemas").fields().forEachRemaining(schema -> {
                if (schemas.has(schema.getKey())) {
                    throw new IllegalStateException("Schema " + schema.getKey() + " is declared twice (" + part + ")");
                }
                schemas.set(schema.getKey(), schema.getValue());
            });
            contract.path("operations").fields().forEachRemaining(operation -> {
                if (operations.put(operation.getKey(), (ObjectNode) operation.getValue()) != null) {
                    throw new IllegalStateException("Operation " + operation.getKey() + " is declared twice");
                }
            });
        }
        ObjectNode paths = Json.MAPPER.createObjectNode();
        for (Route route : Routes.all()) {
            if (route.isDefault()) {
                continue;
            }
            ObjectNode contract = operations.remove(route.key());
            if (contract == null) {
                throw new IllegalStateException("Route " + route.key() + " has no operation in any "
                        + "herald/<package>/openapi.json: give it its contract");
            }
            ObjectNode item = paths.has(openApiPath(route.path())) ? (ObjectNode) paths.get(openApiPath(route.path()))
                    : paths.putObject(openApiPath(route.path()));
            List<String> methods = route.anyMethod() ? ANY_METHODS : List.of(route.method().toLowerCase(Locale.ROOT));
            for (String method : methods) {
                ObjectNode operation = operation(route, contract);
                if (route.anyMethod()) {
                    operation.put("operationId", contract.path("operationId").asText()
                            + Character.toUpperCase(method.charAt(0)) + method.substring(1));
                    if (method.equals("get") || method.equals("delete")) {
                        operation.remove("requestBody");
                    }
                }
                item.set(method, operation);
            }
        }
        if (!operations.isEmpty()) {
            throw new IllegalStateException("Operations without a route in herald.http.Routes: " + operations.keySet());
        }
        ObjectNode doc = Json.MAPPER.createObjectNode();
        doc.put("openapi", "3.1.0");
        ObjectNode info = doc.putObject("info");
        info.put("title", "Herald");
        info.put("version", HeraldVersion.current());
        info.put("summary", "A serverless event system: Ayon's events API, realtime delivery, event scripting and "
                + "triggers");
        info.put("description", "Every error is {\"code\", \"detail\"}. Keys go in the X-Api-Key header; "
                + "x-herald-role says which role a route needs (public, signature, user, service, admin). "
                + "The WebSocket API and the script events are described at /asyncapi.json.");
        doc.set("paths", paths);
        ObjectNode components = doc.putObject("components");
        components.set("schemas", schemas);
        ObjectNode responses = components.putObject("responses");
        ERRORS.keySet().stream().sorted().forEach(status -> responses.set("Error" + status, error(ERRORS.get(status))));
        // without the X-Api-Key header, or with a body over its limit, API Gateway answers itself, with its own body
        for (String status : List.of("Error401", "Error413")) {
            ((ObjectNode) responses.get(status).get("content").get("application/json")).putObject("schema")
                    .putArray("anyOf").add(schemaRef("Error")).add(schemaRef("GatewayMessage"));
        }
        components.putObject("securitySchemes").putObject("ApiKey").put("type", "apiKey").put("in", "header")
                .put("name", "X-Api-Key").put("description", "A Herald API key (hk_...), or the deployment's admin key");
        return doc;
    }

    /** API Gateway's greedy {@code {proxy+}} is OpenAPI's {@code {proxy}}. */
    static String openApiPath(String path) {
        return path.replace("+}", "}");
    }

    private static ObjectNode operation(Route route, ObjectNode contract) {
        ObjectNode operation = contract.deepCopy();
        JsonNode extraErrors = operation.remove("errors");
        ArrayNode parameters = Json.MAPPER.createArrayNode();
        List<String> pathParameters = new ArrayList<>();
        Matcher matcher = PATH_PARAMETER.matcher(route.path());
        while (matcher.find()) {
            pathParameters.add(matcher.group(1));
            parameters.addObject().put("name", matcher.group(1)).put("in", "path").put("required", true)
                    .putObject("schema").put("type", "string");
        }
        if (operation.has("parameters")) {
            operation.get("parameters").forEach(parameters::add);
        }
        if (!parameters.isEmpty()) {
            operation.set("parameters", parameters);
        }
        boolean keyed = route.access() != Access.PUBLIC && route.access() != Access.SIGNED;
        if (keyed) {
            operation.putArray("security").addObject().putArray("ApiKey");
        } else {
            operation.putArray("security");
        }
        operation.put("x-herald-role", role(route.access()));
        operation.put("x-herald-function", route.function());
        operation.put("x-herald-scriptable", route.scriptable());
        ObjectNode responses = (ObjectNode) operation.get("responses");
        List<String> errors = new ArrayList<>(List.of("400"));
        if (keyed) {
            errors.addAll(List.of("401", "403"));
        }
        if (!pathParameters.isEmpty() || route.access() == Access.SIGNED) {
            errors.add("404");
        }
        if (operation.has("requestBody")) {
            errors.add("413");
        }
        if (extraErrors != null) {
            extraErrors.forEach(status -> errors.add(status.asText()));
        }
        for (String status : errors) {
            responses.putObject(status).put("$ref", "#/components/responses/Error" + status);
        }
        if (!responses.has("default")) {
            responses.set("default", error("Any other error"));
        }
        return operation;
    }

    private static ObjectNode schemaRef(String name) {
        ObjectNode ref = Json.MAPPER.createObjectNode();
        ref.put("$ref", "#/components/schemas/" + name);
        return ref;
    }

    private static ObjectNode error(String description) {
        ObjectNode response = Json.MAPPER.createObjectNode();
        response.put("description", description);
        response.putObject("content").putObject("application/json").putObject("schema")
                .put("$ref", "#/components/schemas/Error");
        return response;
    }

    private static String role(Access access) {
        return switch (access) {
            case PUBLIC -> "public";
            case SIGNED -> "signature";
            case ANY_KEY -> "user";
            case SERVICE -> "service";
            case ADMIN -> "admin";
        };
    }

    private static JsonNode read(String resource) {
        try (InputStream in = OpenApi.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("No contract at " + resource);
            }
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
