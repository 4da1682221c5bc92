package herald.realtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.events.Event;
import herald.kernel.Json;
import herald.kernel.Timestamps;

/**
 * The WebSocket message for an event, as Ayon pushes it: {@code createdAt, dependsOn, description, id, progress,
 * project, sender, senderType, status, store, summary, topic, updatedAt, user} in key order, never {@code payload},
 * {@code hash} or {@code retries}. A dispatch carries {@code store} and a progress of 100 (finished) or 0; an update
 * carries no {@code store}, and {@code progress} only when the PATCH gave one.
 */
public final class EventMessages {

    /** Ayon's keep-alive: sent to authenticated connections on a schedule, and ignored by Ayon's clients. */
    public static final String HEARTBEAT = "{\"topic\":\"heartbeat\"}";

    private EventMessages() {
    }

    public static String dispatched(Event event, boolean stored) {
        ObjectNode message = common(event);
        message.put("progress", event.status() == herald.events.EventStatus.FINISHED ? 100 : 0);
        message.put("store", stored);
        return sorted(message);
    }

    public static String updated(Event event, Double progress) {
        ObjectNode message = common(event);
        if (progress != null) {
            message.put("progress", progress);
        }
        return sorted(message);
    }

    private static ObjectNode common(Event event) {
        ObjectNode message = Json.MAPPER.createObjectNode();
        message.put("createdAt", Timestamps.format(event.createdAt()));
        message.put("dependsOn", event.dependsOn());
        message.put("description", event.description());
        message.put("id", event.id());
        message.put("project", event.project());
        message.put("sender", event.sender());
        message.put("senderType", event.senderType());
        message.put("status", event.status().wireName());
        message.set("summary", event.summary());
        message.put("topic", event.topic());
        message.put("updatedAt", Timestamps.format(event.updatedAt()));
        message.put("user", event.user());
        return message;
    }

    private static String sorted(ObjectNode message) {
        ObjectNode ordered = Json.MAPPER.createObjectNode();
        message.properties().stream().map(java.util.Map.Entry::getKey).sorted()
                .forEach(key -> ordered.set(key, message.get(key)));
        return Json.write(ordered);
    }
}
