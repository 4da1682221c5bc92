package herald.scripting;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.auth.Principal;
import herald.events.Caller;
import herald.events.DispatchRequest;
import herald.events.EventService;
import herald.kernel.Json;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps what scripts say where an admin reads it: one {@code log.script} event per run that logged a line or
 * failed, with the script's name in {@code summary.script}, the event name in {@code summary.event_name}, the lines
 * and the error (with its line number) in {@code payload}. {@code log.*} events are left out of listings unless
 * asked for, and expire under the {@code log.*} retention rule. Best effort: a failed write is logged, never fails
 * the call.
 *
 * <p>Thread-safe.
 */
public final class ScriptLogs {

    public static final String TOPIC = "log.script";
    private static final Logger LOG = LoggerFactory.getLogger(ScriptLogs.class);

    private final EventService events;

    public ScriptLogs(EventService events) {
        this.events = events;
    }

    public void record(String script, String eventName, Principal principal, List<String> lines, ScriptFailure failure) {
        if (lines.isEmpty() && failure == null) {
            return;
        }
        ObjectNode summary = Json.MAPPER.createObjectNode();
        summary.put("script", script);
        summary.put("event_name", eventName);
        summary.put("level", failure != null && failure.kind() != ScriptFailure.Kind.REJECTED ? "error"
                : lines.stream().anyMatch(l -> l.startsWith("warn:")) ? "warning" : "info");
        ObjectNode payload = Json.MAPPER.createObjectNode();
        ArrayNode logged = payload.putArray("lines");
        lines.forEach(logged::add);
        if (failure != null) {
            ObjectNode error = payload.putObject("error");
            error.put("kind", failure.kind().name().toLowerCase(java.util.Locale.ROOT));
            error.put("status", failure.httpStatus());
            error.put("message", failure.message());
            error.put("line", failure.line());
            LOG.warn("Script {} on {}: {}", script, eventName, failure.detail());
        }
        lines.forEach(line -> LOG.info("Script {} on {}: {}", script, eventName, line));
        String description = failure != null ? failure.detail() : lines.get(0);
        try {
            events.record(new DispatchRequest(TOPIC, script, null, null, null,
                    description.length() > 500 ? description.substring(0, 500) : description,
                    summary, payload, true, true, false), new Caller(principal, script, "script"));
        } catch (RuntimeException e) {
            LOG.warn("Could not store the log of script {}", script, e);
        }
    }
}
