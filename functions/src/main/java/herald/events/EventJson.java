package herald.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.kernel.Json;
import herald.kernel.Timestamps;

/** The wire form of an event for {@code GET /api/events/{id}}: exactly the contract's 15 keys, nulls included. */
public final class EventJson {

    private EventJson() {
    }

    public static ObjectNode toJson(Event event) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("id", event.id());
        json.put("hash", event.hash());
        json.put("topic", event.topic());
        json.put("sender", event.sender());
        json.put("senderType", event.senderType());
        json.put("project", event.project());
        json.put("user", event.user());
        json.put("dependsOn", event.dependsOn());
        json.put("status", event.status().wireName());
        json.put("retries", event.retries());
        json.put("description", event.description());
        json.set("summary", event.summary());
        json.set("payload", event.payload());
        json.put("createdAt", Timestamps.format(event.createdAt()));
        json.put("updatedAt", Timestamps.format(event.updatedAt()));
        return json;
    }
}
