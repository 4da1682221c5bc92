package herald.realtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.events.Event;
import herald.events.EventItems;
import herald.kernel.Json;
import herald.kernel.Timestamps;
import herald.query.Cursors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The WebSocket message for an event, as Ayon pushes it: {@code createdAt, dependsOn, description, id, progress,
 * project, sender, senderType, status, store, summary, topic, updatedAt, user} in key order, never {@code payload},
 * {@code hash} or {@code retries}. A dispatch carries {@code store} and a progress of 100 (finished) or 0; an update
 * carries no {@code store}, and {@code progress} only when the PATCH gave one. A stored event's dispatch also carries
 * {@code cursor}, its position in creation order (the listing's cursor), which a client sends back as {@code since}
 * to resume ({@link Resumption}); an update carries none, since it is no position in creation order.
 */
public final class EventMessages {

    /** Ayon's keep-alive: sent to authenticated connections on a schedule, and ignored by Ayon's clients. */
    public static final String HEARTBEAT = "{\"topic\":\"heartbeat\"}";

    /**
     * What a resume sends before live delivery: event messages (each as it would come alone, with its cursor), in
     * order, as few frames as API Gateway's 128 KB allows: {@code {"events": [...], "topic": "replay"}}. One post
     * per frame instead of per event is what makes a resume of a thousand events take a fraction of a second.
     */
    public static List<String> replayFrames(List<String> messages) {
        List<String> frames = new ArrayList<>();
        StringBuilder frame = new StringBuilder();
        int frameBytes = 0;
        for (String message : messages) {
            int bytes = message.getBytes(StandardCharsets.UTF_8).length;
            if (bytes + FRAME_OVERHEAD > Broadcaster.MAX_MESSAGE_BYTES) {
                continue; // over what API Gateway carries, as the fan-out leaves it out
            }
            if (frameBytes > 0 && frameBytes + bytes + 1 + FRAME_OVERHEAD > Broadcaster.MAX_MESSAGE_BYTES) {
                frames.add(FRAME_START + frame + FRAME_END);
                frame.setLength(0);
                frameBytes = 0;
            }
            if (frameBytes > 0) {
                frame.append(',');
                frameBytes++;
            }
            frame.append(message);
            frameBytes += bytes;
        }
        if (frameBytes > 0) {
            frames.add(FRAME_START + frame + FRAME_END);
        }
        return frames;
    }

    private static final String FRAME_START = "{\"events\":[";
    private static final String FRAME_END = "],\"topic\":\"replay\"}";
    private static final int FRAME_OVERHEAD = FRAME_START.length() + FRAME_END.length();

    /** A resume that Herald could not give in full: the client reloads from the listing, and may resume from here. */
    public static String resync(String cursor) {
        return Json.write(Json.MAPPER.createObjectNode().put("topic", "resync").put("cursor", cursor));
    }

    /** An auth message Herald refused, with the error's status and what to fix; nothing was subscribed. */
    public static String error(int code, String detail) {
        return Json.write(Json.MAPPER.createObjectNode().put("topic", "error").put("code", code).put("detail", detail));
    }

    private EventMessages() {
    }

    public static String dispatched(Event event, boolean stored) {
        return message(event, true, stored, event.status() == herald.events.EventStatus.FINISHED ? 100.0 : 0.0);
    }

    public static String updated(Event event, Double progress) {
        return message(event, false, false, progress);
    }

    /** The message's keys, written in their sorted order (Ayon's), so that nothing needs sorting afterwards. */
    private static String message(Event event, boolean dispatch, boolean stored, Double progress) {
        ObjectNode message = Json.MAPPER.createObjectNode();
        message.put("createdAt", Timestamps.format(event.createdAt()));
        if (dispatch && stored) {
            message.put("cursor", Cursors.encode(EventItems.createdKey(event)));
        }
        message.put("dependsOn", event.dependsOn());
        message.put("description", event.description());
        message.put("id", event.id());
        if (progress != null) {
            if (dispatch) {
                message.put("progress", progress.intValue());
            } else {
                message.put("progress", progress);
            }
        }
        message.put("project", event.project());
        message.put("sender", event.sender());
        message.put("senderType", event.senderType());
        message.put("status", event.status().wireName());
        if (dispatch) {
            message.put("store", stored);
        }
        message.set("summary", event.summary());
        message.put("topic", event.topic());
        message.put("updatedAt", Timestamps.format(event.updatedAt()));
        message.put("user", event.user());
        return Json.write(message);
    }
}
