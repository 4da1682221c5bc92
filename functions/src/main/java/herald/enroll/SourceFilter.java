package herald.enroll;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.events.Event;
import herald.events.EventJson;
import herald.kernel.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Ayon's {@code QueryFilter} over source events: {@code {"conditions": [...], "operator": "and"|"or"}}, where a
 * condition is {@code {"key": "payload/newValue", "value": ..., "operator": "eq"}} or a nested filter. Keys are
 * paths separated by {@code /} or {@code .}; the first element names a field of the event (camelCase or
 * snake_case), and inside {@code summary} and {@code payload} the path descends into the JSON. The 17
 * operators behave as Ayon's SQL does, nulls included: {@code ne}, {@code notin}, {@code excludes},
 * {@code excludesall} and {@code excludesany} are true for an absent value; the others are false.
 *
 * <p>Immutable and thread-safe once parsed.
 */
public final class SourceFilter {

    private static final Pattern PATH_ELEMENT = Pattern.compile("^[a-zA-Z_][a-zA-Z0-9_]*$");
    private static final List<String> OPERATORS = List.of("eq", "like", "lt", "gt", "lte", "gte", "ne", "isnull",
            "notnull", "in", "notin", "includes", "excludes", "includesall", "excludesall", "includesany", "excludesany");
    private static final Map<String, String> FIELDS = Map.ofEntries(
            Map.entry("id", "id"), Map.entry("hash", "hash"), Map.entry("topic", "topic"),
            Map.entry("sender", "sender"), Map.entry("sender_type", "senderType"), Map.entry("project", "project"),
            Map.entry("project_name", "project"), Map.entry("user", "user"), Map.entry("user_name", "user"),
            Map.entry("depends_on", "dependsOn"), Map.entry("status", "status"), Map.entry("retries", "retries"),
            Map.entry("description", "description"), Map.entry("summary", "summary"), Map.entry("payload", "payload"),
            Map.entry("created_at", "createdAt"), Map.entry("updated_at", "updatedAt"));
    private static final int MAX_CONDITIONS = 100;
    private static final int MAX_DEPTH = 8;

    private interface Node {
        boolean matches(ObjectNode event);
    }

    private record Group(boolean any, List<Node> children) implements Node {
        @Override
        public boolean matches(ObjectNode event) {
            if (children.isEmpty()) {
                return true;
            }
            for (Node child : children) {
                if (child.matches(event) == any) {
                    return any;
                }
            }
            return !any;
        }
    }

    private record Condition(List<String> path, String operator, JsonNode value) implements Node {
        @Override
        public boolean matches(ObjectNode event) {
            JsonNode actual = event;
            for (String element : path) {
                actual = actual == null || !actual.isObject() ? null : actual.get(element);
            }
            if (actual != null && actual.isNull()) {
                actual = null;
            }
            return FilterOperators.test(operator, actual, value);
        }
    }

    private final Node root;
    private final String canonical;

    private SourceFilter(Node root, String canonical) {
        this.root = root;
        this.canonical = canonical;
    }

    /** The filter that matches every event. */
    public static SourceFilter all() {
        return new SourceFilter(new Group(false, List.of()), "");
    }

    public static SourceFilter parse(JsonNode json) {
        int[] count = {0};
        return new SourceFilter(group(json, "filter", 0, count), json.toString());
    }

    public boolean matches(Event event) {
        return root.matches(EventJson.toJson(event));
    }

    /** The filter as sent, for telling queues apart. */
    public String canonical() {
        return canonical;
    }

    private static Group group(JsonNode json, String where, int depth, int[] count) {
        if (!json.isObject()) {
            throw invalid(where + " must be an object with 'conditions' and 'operator'");
        }
        if (depth > MAX_DEPTH) {
            throw invalid("the filter nests deeper than " + MAX_DEPTH + " levels");
        }
        String operator = json.hasNonNull("operator") ? json.get("operator").asText().toLowerCase(Locale.ROOT) : "and";
        if (!operator.equals("and") && !operator.equals("or")) {
            throw invalid(where + ".operator must be 'and' or 'or', not '" + json.get("operator").asText() + "'");
        }
        JsonNode conditions = json.get("conditions");
        List<Node> children = new ArrayList<>();
        if (conditions != null && !conditions.isNull()) {
            if (!conditions.isArray()) {
                throw invalid(where + ".conditions must be a list");
            }
            for (int i = 0; i < conditions.size(); i++) {
                JsonNode item = conditions.get(i);
                String itemWhere = where + ".conditions[" + i + "]";
                if (++count[0] > MAX_CONDITIONS) {
                    throw invalid("the filter has more than " + MAX_CONDITIONS + " conditions");
                }
                if (item.isObject() && item.has("conditions")) {
                    children.add(group(item, itemWhere, depth + 1, count));
                } else {
                    Node condition = condition(item, itemWhere);
                    if (condition != null) {
                        children.add(condition);
                    }
                }
            }
        }
        return new Group(operator.equals("or"), List.copyOf(children));
    }

    /** A condition, or null for one Ayon skips (an empty list with an array operator). */
    private static Node condition(JsonNode json, String where) {
        if (!json.isObject() || !json.hasNonNull("key") || !json.get("key").isTextual()) {
            throw invalid(where + " needs a 'key' string, e.g. {\"key\": \"payload/newValue\", \"value\": \"x\"}");
        }
        String key = json.get("key").asText();
        String operator = json.hasNonNull("operator")
                ? json.get("operator").asText().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "") : "eq";
        if (!OPERATORS.contains(operator)) {
            throw invalid("unknown operator '" + json.get("operator").asText() + "' in " + where + " (key '" + key
                    + "'); use one of " + String.join(", ", OPERATORS));
        }
        JsonNode value = json.hasNonNull("value") ? json.get("value") : null;
        if (value == null && !operator.equals("isnull") && !operator.equals("notnull")) {
            throw invalid(where + " (key '" + key + "') needs a value for operator '" + operator + "'");
        }
        if ((operator.equals("in") || operator.equals("notin")) && (value == null || !value.isArray())) {
            throw invalid(where + " (key '" + key + "'): operator '" + operator + "' needs a list value");
        }
        if (value != null && !validValue(value)) {
            throw invalid(where + " (key '" + key + "'): a value is a string, number, boolean, or a list of strings "
                    + "or of numbers");
        }
        if (value instanceof ArrayNode && value.isEmpty()
                && !List.of("eq", "ne", "in", "notin").contains(operator)) {
            return null;
        }
        return new Condition(path(key, where), operator, value);
    }

    private static List<String> path(String key, String where) {
        String[] elements = key.replace('/', '.').split("\\.", -1);
        List<String> path = new ArrayList<>();
        for (String element : elements) {
            if (!PATH_ELEMENT.matcher(element.trim()).matches()) {
                throw invalid(where + ": key '" + key + "' has an invalid element '" + element
                        + "'; use names of letters, digits and '_' separated by '/' or '.'");
            }
            path.add(element.trim());
        }
        String field = FIELDS.get(snakeCase(path.get(0)));
        if (field == null) {
            throw invalid(where + ": key '" + key + "' does not start with an event field; use one of id, hash, "
                    + "topic, sender, senderType, project, user, dependsOn, status, retries, description, summary, "
                    + "payload, createdAt, updatedAt");
        }
        if (path.size() > 1 && !field.equals("summary") && !field.equals("payload")) {
            throw invalid(where + ": key '" + key + "' descends into '" + path.get(0)
                    + "', which is not a JSON field (only summary and payload are)");
        }
        path.set(0, field);
        return List.copyOf(path);
    }

    private static boolean validValue(JsonNode value) {
        if (value.isTextual() || value.isNumber() || value.isBoolean()) {
            return true;
        }
        if (!value.isArray()) {
            return false;
        }
        boolean strings = true;
        boolean numbers = true;
        for (JsonNode item : value) {
            strings &= item.isTextual();
            numbers &= item.isNumber();
        }
        return strings || numbers;
    }

    private static String snakeCase(String name) {
        return name.replaceAll("(?<!^)(?=[A-Z])", "_").toLowerCase(Locale.ROOT);
    }

    private static InvalidRequestException invalid(String problem) {
        return new InvalidRequestException("Invalid filter: " + problem);
    }
}
