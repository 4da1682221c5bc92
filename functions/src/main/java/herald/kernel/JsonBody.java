package herald.kernel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A JSON object request body, read field by field with the contract's rules: a field may be sent in camelCase
 * or snake_case ({@code dependsOn} or {@code depends_on}), {@code null} means absent, unknown fields are
 * ignored, and a value of the wrong type is a 400 that names the field and the type it needs.
 */
public final class JsonBody {

    private final ObjectNode object;

    private JsonBody(ObjectNode object) {
        this.object = object;
    }

    public static JsonBody parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidRequestException("The request body is empty; send a JSON object");
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            String reason = reason(e);
            var where = e.getLocation();
            throw new InvalidRequestException("The request body is not valid JSON: " + reason
                    + (where == null ? "" : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")"));
        }
        if (!(node instanceof ObjectNode)) {
            throw new InvalidRequestException("The request body must be a JSON object, not " + describe(node));
        }
        return new JsonBody((ObjectNode) node);
    }

    /**
     * What is wrong with a body, in the caller's terms: the parser's own words without its class and option names
     * (Jackson names the Java type it binds to and the feature that refused a token).
     */
    static String reason(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (e instanceof StreamConstraintsException) {
            return message.contains("depth") ? "it is nested more than " + Json.MAX_NESTING + " levels deep"
                    : "a number, string or name in it is longer than Herald reads";
        }
        if (e instanceof JsonEOFException) {
            return "it ends before its JSON value does";
        }
        if (message.startsWith("Trailing token")) {
            return "there is more after its JSON value; send exactly one JSON object";
        }
        return message.split("\n")[0]
                .replaceAll("\\s*\\(start marker at \\[[^]]*]\\)", "")
                .replaceAll("\\s*\\(for [^)]*\\)", "")
                .replaceAll("`[^`]*`", "")
                .replaceAll("\\s+", " ").trim();
    }

    /** A body already parsed, e.g. one record of a {@code {"resource": [...]}} list. */
    public static JsonBody of(ObjectNode object) {
        return new JsonBody(object);
    }

    /**
     * Refuses a body that names a field outside {@code known} (the routes that configure Herald, where a misspelt
     * setting would otherwise silently not apply): a 400 {@code "Unknown field 'x'; <what>"}, {@code what} saying
     * which fields there are.
     */
    public void requireKnownFields(java.util.Set<String> known, String what) {
        for (String field : fieldNames()) {
            if (!known.contains(field)) {
                throw new InvalidRequestException("Unknown field '" + Names.abbreviate(field) + "'; " + what);
            }
        }
    }

    /** The field names as sent. */
    public java.util.Set<String> fieldNames() {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    public Optional<String> string(String field) {
        return value(field).map(v -> {
            if (!v.isTextual()) {
                throw wrongType(field, "a string", v);
            }
            return v.textValue();
        });
    }

    public Optional<Boolean> bool(String field) {
        return value(field).map(v -> {
            if (!v.isBoolean()) {
                throw wrongType(field, "true or false", v);
            }
            return v.booleanValue();
        });
    }

    public Optional<Integer> integer(String field) {
        return value(field).map(v -> {
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw wrongType(field, "a whole number", v);
            }
            return v.intValue();
        });
    }

    public Optional<Double> number(String field) {
        return value(field).map(v -> {
            if (!v.isNumber()) {
                throw wrongType(field, "a number", v);
            }
            return v.doubleValue();
        });
    }

    public Optional<ObjectNode> object(String field) {
        return value(field).map(v -> {
            if (!v.isObject()) {
                throw wrongType(field, "a JSON object", v);
            }
            return (ObjectNode) v;
        });
    }

    public Optional<List<String>> strings(String field) {
        return value(field).map(v -> {
            if (!v.isArray()) {
                throw wrongType(field, "a list of strings", v);
            }
            List<String> values = new ArrayList<>();
            for (JsonNode item : v) {
                if (!item.isTextual()) {
                    throw wrongType(field, "a list of strings", v);
                }
                values.add(item.textValue());
            }
            return values;
        });
    }

    /** The raw value of a field, under its camelCase name or its snake_case alias; JSON null counts as absent. */
    public Optional<JsonNode> value(String camelCaseField) {
        JsonNode value = object.get(camelCaseField);
        if (value == null) {
            value = object.get(snakeCase(camelCaseField));
        }
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
    }

    static String snakeCase(String camelCase) {
        StringBuilder snake = new StringBuilder(camelCase.length() + 4);
        for (char c : camelCase.toCharArray()) {
            if (Character.isUpperCase(c)) {
                snake.append('_').append(Character.toLowerCase(c));
            } else {
                snake.append(c);
            }
        }
        return snake.toString();
    }

    private static InvalidRequestException wrongType(String field, String expected, JsonNode actual) {
        return new InvalidRequestException("Field '" + field + "' must be " + expected + ", not " + describe(actual));
    }

    private static String describe(JsonNode node) {
        switch (node.getNodeType()) {
            case STRING: return "a string";
            case NUMBER: return "a number";
            case BOOLEAN: return "a boolean";
            case ARRAY: return "a list";
            case OBJECT: return "an object";
            case NULL: return "null";
            default: return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
