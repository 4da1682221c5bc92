package herald.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import herald.http.AsyncApi;
import herald.kernel.Json;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * WebSocket messages against Herald's AsyncAPI document ({@link AsyncApi}, the one served at {@code /asyncapi.json}):
 * each message a test receives must match the schema of its kind (heartbeat, notification or event).
 */
public final class Messages {

    private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();

    private Messages() {
    }

    /** What is wrong with {@code message} by the contract; empty when nothing is. */
    public static List<String> problems(JsonNode message) {
        String topic = message.path("topic").asText();
        String kind = topic.equals("heartbeat") ? "Heartbeat"
                : topic.equals("notification") && message.has("trigger") ? "Notification"
                : topic.equals("resync") && message.size() == 2 ? "Resync"
                : topic.equals("replay") && message.has("events") ? "Replay"
                : topic.equals("error") && message.has("code") && !message.has("id") ? "Error" : "EventMessage";
        Schema schema = SCHEMAS.computeIfAbsent(kind, Messages::schema);
        return schema.validate(Json.write(message), InputFormat.JSON).stream().map(Error::toString).toList();
    }

    /** Fails when {@code message} breaks the contract. */
    public static void check(JsonNode message) {
        List<String> problems = problems(message);
        if (!problems.isEmpty()) {
            throw new AssertionError("The WebSocket message breaks the AsyncAPI contract (/asyncapi.json): "
                    + problems + "\n  message: " + message);
        }
    }

    private static Schema schema(String kind) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("$schema", "http://json-schema.org/draft-07/schema#");
        root.put("$ref", "#/components/schemas/" + kind);
        root.set("components", AsyncApi.document().get("components"));
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(Json.write(root),
                InputFormat.JSON);
    }
}
