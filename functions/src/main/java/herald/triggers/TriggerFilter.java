package herald.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.kernel.InvalidRequestException;
import herald.kernel.Json;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import software.amazon.event.ruler.Machine;

/**
 * A trigger's filter, turned into an event-ruler pattern over the event as Herald shows it (the 15 keys of the
 * Ayon event). Two forms are accepted, and may be mixed:
 *
 * <ul>
 *   <li>the seed's: {@code {"event": "resource.ResourceCreated", "resource.type": "itemsvc.*"}}, dotted paths to
 *   plain values, {@code *} a wildcard, every condition ANDed;</li>
 *   <li>EventBridge's: a value that is a list or an object is an event pattern as EventBridge writes it
 *   ({@code prefix}, {@code suffix}, {@code wildcard}, {@code anything-but}, {@code numeric}, {@code exists},
 *   {@code equals-ignore-case}, {@code $or}).</li>
 * </ul>
 *
 * In both, {@code event} is an alias of {@code topic}, and a path whose first part is not a top-level field of an
 * event is read in {@code payload}: {@code resource.type} means {@code payload.resource.type}. A trigger on updates
 * may also read the change: {@code new.<field>} (the event after it), {@code old.<field>} (before it) and
 * {@code changed} (the top-level fields that differ), e.g. {@code {"new.status": "finished", "old.status":
 * [{"anything-but": "finished"}]}}. A pattern event-ruler
 * refuses is a 400 with its reason.
 */
public final class TriggerFilter {

    static final Set<String> TOP_LEVEL = Set.of("topic", "project", "user", "sender", "senderType", "status",
            "dependsOn", "summary", "payload", "id", "hash", "description", "retries", "createdAt", "updatedAt",
            "old", "new", "changed");
    /** The fields of an event's transition; {@code old} and {@code changed} exist only after a change. */
    static final Set<String> TRANSITION = Set.of("old", "new", "changed");
    static final Set<String> AFTER_A_CHANGE = Set.of("old", "changed");
    private static final int MAX_CONDITIONS = 100;

    private TriggerFilter() {
    }

    /** The event-ruler pattern for a filter, checked by event-ruler itself. */
    public static String toPattern(JsonNode filter) {
        if (filter == null || !filter.isObject() || filter.isEmpty()) {
            throw new InvalidRequestException("Field 'filter' must be a non-empty object, e.g. "
                    + "{\"event\": \"resource.ResourceCreated\", \"resource.type\": \"itemsvc.*\"}");
        }
        ObjectNode pattern = Json.MAPPER.createObjectNode();
        int[] count = {0};
        translate((ObjectNode) filter, pattern, true, count);
        String json = pattern.toString();
        try {
            new Machine().addRule("check", json);
        } catch (Exception | Error e) {
            throw new InvalidRequestException("Invalid filter: " + e.getMessage());
        }
        return json;
    }

    /** Whether a filter reads the event's transition: a top-level path under {@code old}, {@code new} or {@code changed}. */
    static boolean readsTransition(JsonNode filter) {
        return reads(filter, TRANSITION);
    }

    /** Whether a filter reads what only a change has: {@code old} or {@code changed}. */
    static boolean readsPrevious(JsonNode filter) {
        return reads(filter, AFTER_A_CHANGE);
    }

    private static boolean reads(JsonNode filter, Set<String> fields) {
        if (filter == null || !filter.isObject()) {
            return false;
        }
        for (Iterator<Map.Entry<String, JsonNode>> entries = filter.fields(); entries.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = entries.next();
            if (entry.getKey().equals("$or")) {
                for (JsonNode alternative : entry.getValue()) {
                    if (reads(alternative, fields)) {
                        return true;
                    }
                }
            } else if (fields.contains(entry.getKey().split("\\.")[0])) {
                return true;
            }
        }
        return false;
    }

    private static void translate(ObjectNode filter, ObjectNode pattern, boolean topLevel, int[] count) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = filter.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            if (++count[0] > MAX_CONDITIONS) {
                throw new InvalidRequestException("Invalid filter: more than " + MAX_CONDITIONS + " conditions");
            }
            if (key.equals("$or")) {
                if (!value.isArray() || value.size() < 2) {
                    throw new InvalidRequestException("Invalid filter: '$or' takes a list of at least two filters");
                }
                ArrayNode alternatives = pattern.putArray("$or");
                for (JsonNode alternative : value) {
                    if (!alternative.isObject()) {
                        throw new InvalidRequestException("Invalid filter: each alternative of '$or' is an object");
                    }
                    ObjectNode translated = alternatives.addObject();
                    translate((ObjectNode) alternative, translated, topLevel, count);
                }
                continue;
            }
            if (key.isEmpty() || key.startsWith(".") || key.endsWith(".") || key.contains("..")) {
                throw new InvalidRequestException("Invalid filter key '" + key + "': a dotted path such as resource.type");
            }
            String[] path = key.split("\\.");
            if (topLevel) {
                if (path[0].equals("event")) {
                    path[0] = "topic";
                } else if (!TOP_LEVEL.contains(path[0])) {
                    String[] inPayload = new String[path.length + 1];
                    inPayload[0] = "payload";
                    System.arraycopy(path, 0, inPayload, 1, path.length);
                    path = inPayload;
                }
            }
            ObjectNode parent = pattern;
            for (int i = 0; i < path.length - 1; i++) {
                JsonNode existing = parent.get(path[i]);
                if (existing != null && !existing.isObject()) {
                    throw new InvalidRequestException("Invalid filter: '" + key + "' goes inside a field that "
                            + "another condition compares as a value");
                }
                parent = existing == null ? parent.putObject(path[i]) : (ObjectNode) existing;
            }
            String last = path[path.length - 1];
            if (value.isObject() && !isOperator(value)) {
                ObjectNode nested = parent.has(last) && parent.get(last).isObject()
                        ? (ObjectNode) parent.get(last) : parent.putObject(last);
                translate((ObjectNode) value, nested, false, count);
            } else {
                parent.set(last, matchers(key, value));
            }
        }
    }

    /** {@code {"prefix": "a"}} written without its list: an operator, not a nested field. */
    private static boolean isOperator(JsonNode value) {
        return value.size() == 1 && value.fieldNames().next().matches("prefix|suffix|wildcard|anything-but|numeric|"
                + "exists|equals-ignore-case|cidr");
    }

    private static ArrayNode matchers(String key, JsonNode value) {
        if (value.isArray()) {
            if (value.isEmpty()) {
                throw new InvalidRequestException("Invalid filter: '" + key + "' lists no values");
            }
            return (ArrayNode) value;
        }
        ArrayNode list = Json.MAPPER.createArrayNode();
        if (value.isObject()) {
            list.add(value);
        } else if (value.isTextual() && value.textValue().contains("*")) {
            list.addObject().put("wildcard", value.textValue());
        } else if (value.isValueNode()) {
            list.add(value);
        }
        return list;
    }
}
