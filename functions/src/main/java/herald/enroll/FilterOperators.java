package herald.enroll;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.regex.Pattern;

/** The 17 comparison operators of Ayon's QueryFilter, on JSON values, with its SQL null semantics. */
final class FilterOperators {

    private FilterOperators() {
    }

    /** {@code actual} is null when the field is absent or null. */
    static boolean test(String operator, JsonNode actual, JsonNode value) {
        switch (operator) {
            case "isnull": return actual == null;
            case "notnull": return actual != null;
            case "eq":
                if (value.isArray() && value.isEmpty()) {
                    return actual == null || (actual.isArray() && actual.isEmpty());
                }
                if (value.isBoolean()) {
                    return value.booleanValue() == (actual != null && actual.isBoolean() && actual.booleanValue());
                }
                return actual != null && same(actual, value);
            case "ne":
                if (value.isArray() && value.isEmpty()) {
                    return actual != null && actual.isArray() && !actual.isEmpty();
                }
                return actual == null || !same(actual, value);
            case "like": return actual != null && !actual.isContainerNode() && like(actual.asText(), value.asText());
            case "lt": return compare(actual, value) < 0 && comparable(actual, value);
            case "gt": return compare(actual, value) > 0 && comparable(actual, value);
            case "lte": return comparable(actual, value) && compare(actual, value) <= 0;
            case "gte": return comparable(actual, value) && compare(actual, value) >= 0;
            case "in": return actual != null && contains(value, actual);
            case "notin": return actual == null || !contains(value, actual);
            case "includes": return actual != null && actual.isArray() && contains(actual, value);
            case "excludes": return actual == null || !actual.isArray() || !contains(actual, value);
            case "includesall": return actual != null && actual.isArray() && containsAll(actual, list(value));
            case "excludesall": return actual == null || !actual.isArray() || !containsAll(actual, list(value));
            case "includesany": return actual != null && actual.isArray() && containsAny(actual, list(value));
            case "excludesany": return actual == null || !actual.isArray() || !containsAny(actual, list(value));
            default: throw new IllegalArgumentException("Unknown operator " + operator);
        }
    }

    private static boolean same(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }

    private static boolean comparable(JsonNode actual, JsonNode value) {
        return actual != null && ((actual.isNumber() && value.isNumber()) || (actual.isTextual() && value.isTextual()));
    }

    private static int compare(JsonNode actual, JsonNode value) {
        if (!comparable(actual, value)) {
            return 0;
        }
        return actual.isNumber() ? actual.decimalValue().compareTo(value.decimalValue())
                : actual.textValue().compareTo(value.textValue());
    }

    private static boolean contains(JsonNode array, JsonNode item) {
        for (JsonNode element : array) {
            if (same(element, item)) {
                return true;
            }
        }
        return false;
    }

    private static boolean containsAll(JsonNode array, JsonNode items) {
        for (JsonNode item : items) {
            if (!contains(array, item)) {
                return false;
            }
        }
        return true;
    }

    private static boolean containsAny(JsonNode array, JsonNode items) {
        for (JsonNode item : items) {
            if (contains(array, item)) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode list(JsonNode value) {
        return value.isArray() ? value : herald.kernel.Json.MAPPER.createArrayNode().add(value);
    }

    /** SQL ILIKE: {@code %} is any run of characters, {@code _} any one, case-insensitive. */
    private static boolean like(String text, String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == '%') {
                regex.append(".*");
            } else if (c == '_') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL)
                .matcher(text.toLowerCase(Locale.ROOT)).matches();
    }
}
