package herald.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.kernel.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import software.amazon.event.ruler.Machine;

/**
 * Whether a filter matches an event, and why not: {@code POST /api/v2/system/trigger/_test}. The filter is translated
 * as a trigger's is ({@link TriggerFilter}) and matched by event-ruler, once whole and once per condition (each field
 * path, and each {@code $or} as one condition), so the answer names the conditions that fail, each with the value the
 * event holds there.
 *
 * <p>Stateless and thread-safe.
 */
public final class FilterTester {

    private FilterTester() {
    }

    /** {@code {"matches", "pattern", "conditions": [{"path", "pattern", "value", "matches"}]}}. */
    public static ObjectNode run(JsonNode filter, JsonNode event) {
        String pattern = TriggerFilter.toPattern(filter);
        ObjectNode answer = Json.MAPPER.createObjectNode();
        answer.put("matches", matches(pattern, event));
        answer.set("pattern", Json.readStored(pattern));
        ArrayNode conditions = answer.putArray("conditions");
        List<String> path = new ArrayList<>();
        walk((ObjectNode) Json.readStored(pattern), path, event, conditions);
        return answer;
    }

    private static void walk(ObjectNode pattern, List<String> path, JsonNode event, ArrayNode conditions) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = pattern.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equals("$or") || !field.getValue().isObject()) {
                ObjectNode alone = Json.MAPPER.createObjectNode();
                ObjectNode parent = alone;
                for (String part : path) {
                    parent = parent.putObject(part);
                }
                parent.set(field.getKey(), field.getValue());
                ObjectNode condition = conditions.addObject();
                String name = String.join(".", path);
                condition.put("path", field.getKey().equals("$or") ? (name.isEmpty() ? "$or" : name + ".$or")
                        : (name.isEmpty() ? field.getKey() : name + "." + field.getKey()));
                condition.set("pattern", field.getValue());
                JsonNode value = event;
                for (String part : path) {
                    value = value.path(part);
                }
                if (!field.getKey().equals("$or")) {
                    value = value.path(field.getKey());
                }
                condition.set("value", value.isMissingNode() || field.getKey().equals("$or") && path.isEmpty()
                        ? Json.MAPPER.nullNode() : value);
                condition.put("matches", matches(alone.toString(), event));
            } else {
                path.add(field.getKey());
                walk((ObjectNode) field.getValue(), path, event, conditions);
                path.remove(path.size() - 1);
            }
        }
    }

    private static boolean matches(String pattern, JsonNode event) {
        try {
            Machine machine = new Machine();
            machine.addRule("test", pattern);
            return !machine.rulesForJSONEvent(event).isEmpty();
        } catch (Exception e) {
            throw new IllegalStateException("event-ruler could not match a checked pattern", e);
        }
    }
}
