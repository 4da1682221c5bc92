package herald.testing;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import herald.http.OpenApi;
import herald.kernel.Json;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Every HTTP exchange of the tests against Herald's OpenAPI document ({@link OpenApi}, the one served at
 * {@code /openapi.json}). Atlassian's swagger-request-validator checks what it reads well in an OpenAPI 3.1
 * document: the path, the operation, the parameters, the documented statuses and content types. The bodies are
 * checked against their schemas by a JSON Schema 2020-12 validator (networknt), the dialect OpenAPI 3.1 schemas are
 * written in, which Atlassian's draft-4 validator misreads (type lists, {@code oneOf}). A response the document does
 * not describe fails the test that received it, and so does a request Herald accepted (2xx) although the document
 * says it should not have; requests Herald refused are bad input on purpose, so only their response is checked.
 * Herald ignores query parameters it does not know, and API Gateway's greedy {@code {proxy+}} paths cannot be written
 * in OpenAPI, so neither is reported.
 */
public final class Contract {

    private static volatile OpenApiInteractionValidator validator;
    private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();

    private Contract() {
    }

    private static OpenApiInteractionValidator validator() {
        OpenApiInteractionValidator built = validator;
        if (built == null) {
            built = OpenApiInteractionValidator.createForInlineApiSpecification(Json.write(OpenApi.document()))
                    .withLevelResolver(LevelResolver.create()
                            // the security scheme is Herald's to enforce, and the tests check that it does
                            .withLevel("validation.request.security", ValidationReport.Level.IGNORE)
                            .withLevel("validation.request.parameter.query.unexpected", ValidationReport.Level.IGNORE)
                            // bodies are read as JSON whatever their Content-Type says
                            .withLevel("validation.request.contentType", ValidationReport.Level.IGNORE)
                            .withLevel("validation.request.path.missing", ValidationReport.Level.IGNORE)
                            .withLevel("validation.response.path.missing", ValidationReport.Level.IGNORE)
                            // a method a path does not have is the $default route's 404, which tests check
                            .withLevel("validation.request.operation.notAllowed", ValidationReport.Level.IGNORE)
                            .withLevel("validation.response.operation.notAllowed", ValidationReport.Level.IGNORE)
                            // bodies: checked below, with JSON Schema 2020-12
                            .withLevel("validation.request.body.schema", ValidationReport.Level.IGNORE)
                            .withLevel("validation.response.body.schema", ValidationReport.Level.IGNORE)
                            .build())
                    .build();
            validator = built;
        }
        return built;
    }

    /** Checks one exchange; throws an AssertionError that lists what does not match the contract. */
    public static void check(String method, String pathAndQuery, String requestBody, Map<String, List<String>> headers,
            boolean checkRequest, int status, String responseBody, String contentType) {
        String path = pathAndQuery;
        String query = null;
        int mark = pathAndQuery.indexOf('?');
        if (mark >= 0) {
            path = pathAndQuery.substring(0, mark);
            query = pathAndQuery.substring(mark + 1);
        }
        Request.Method verb = Request.Method.valueOf(method.toUpperCase(Locale.ROOT));
        SimpleRequest.Builder request = new SimpleRequest.Builder(verb, path);
        if (requestBody != null) {
            request.withBody(requestBody).withContentType("application/json");
        }
        headers.forEach(request::withHeader);
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                int equals = pair.indexOf('=');
                request.withQueryParam(decode(equals < 0 ? pair : pair.substring(0, equals)),
                        equals < 0 ? "" : decode(pair.substring(equals + 1)));
            }
        }
        SimpleResponse.Builder response = SimpleResponse.Builder.status(status);
        if (responseBody != null && !responseBody.isEmpty()) {
            response.withBody(responseBody);
        }
        if (contentType != null) {
            response.withContentType(contentType);
        }
        boolean accepted = checkRequest && status < 300;
        ValidationReport report = accepted ? validator().validate(request.build(), response.build())
                : validator().validateResponse(path, verb, response.build());
        List<String> problems = new ArrayList<>();
        report.getMessages().stream().filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .forEach(m -> problems.add(m.getKey() + ": " + m.getMessage()));
        operation(method, path).ifPresent(operation -> {
            if (accepted && requestBody != null && !requestBody.isBlank()) {
                problems.addAll(body(operation.pointer() + "/requestBody/content/application~1json/schema",
                        requestBody, "request"));
            }
            if (responseBody != null && !responseBody.isEmpty() && contentType != null
                    && contentType.startsWith("application/json")) {
                JsonNode responses = operation.node().path("responses");
                String key = responses.has(Integer.toString(status)) ? Integer.toString(status) : "default";
                JsonNode documented = resolve(responses.path(key));
                if (documented.path("content").path("application/json").has("schema")) {
                    String pointer = responses.path(key).has("$ref")
                            ? responses.path(key).get("$ref").asText().substring(1)
                            : operation.pointer() + "/responses/" + key;
                    problems.addAll(body(pointer + "/content/application~1json/schema", responseBody, "response"));
                }
            }
        });
        if (!problems.isEmpty()) {
            throw new AssertionError("The exchange breaks the OpenAPI contract (/openapi.json): " + method + " "
                    + pathAndQuery + " -> " + status + "\n  " + String.join("\n  ", problems)
                    + "\n  response: " + (responseBody == null || responseBody.length() < 600 ? responseBody
                            : responseBody.substring(0, 600) + "..."));
        }
    }

    /** An operation of the document and its JSON pointer. */
    private record Operation(JsonNode node, String pointer) {
    }

    /** The operation for a request: the matching path with the fewest parameters, as OpenAPI matches. */
    private static Optional<Operation> operation(String method, String path) {
        JsonNode paths = OpenApi.document().get("paths");
        List<String> candidates = new ArrayList<>();
        paths.fieldNames().forEachRemaining(template -> {
            String regex = "^" + Pattern.quote(template).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q") + "$";
            if (path.matches(regex) && paths.get(template).has(method.toLowerCase(Locale.ROOT))) {
                candidates.add(template);
            }
        });
        return candidates.stream().min(Comparator.comparingInt(t -> t.split("\\{", -1).length))
                .map(template -> new Operation(paths.get(template).get(method.toLowerCase(Locale.ROOT)),
                        "/paths/" + template.replace("~", "~0").replace("/", "~1") + "/"
                                + method.toLowerCase(Locale.ROOT)));
    }

    private static JsonNode resolve(JsonNode node) {
        if (node.has("$ref")) {
            return OpenApi.document().at(node.get("$ref").asText().substring(1));
        }
        return node;
    }

    private static List<String> body(String schemaPointer, String body, String what) {
        if (OpenApi.document().at(schemaPointer).isMissingNode()) {
            return List.of();
        }
        Schema schema = SCHEMAS.computeIfAbsent(schemaPointer, pointer -> {
            ObjectNode root = Json.MAPPER.createObjectNode();
            root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
            // a JSON pointer in a URI fragment: the braces of path templates are percent-encoded
            root.put("$ref", "#" + pointer.replace("{", "%7B").replace("}", "%7D"));
            root.set("paths", OpenApi.document().get("paths"));
            root.set("components", OpenApi.document().get("components"));
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                    .getSchema(Json.write(root), InputFormat.JSON);
        });
        List<String> problems = new ArrayList<>();
        try {
            for (Error error : schema.validate(body, InputFormat.JSON)) {
                problems.add(what + " body: " + error);
            }
        } catch (RuntimeException notJson) {
            problems.add(what + " body is not JSON");
        }
        return problems;
    }

    private static String decode(String value) {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return value;
        }
    }
}
