package herald.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.kernel.InvalidRequestException;
import herald.kernel.JsonBody;
import herald.kernel.Names;

/**
 * The body of {@code PATCH /api/events/{id}}, validated. Every field is optional and {@code null} means "leave
 * unchanged". {@code summary} and {@code payload} replace the stored objects whole. {@code progress} (0 to 100)
 * is broadcast, never stored. {@code projectName}, the deprecated spelling, wins over {@code project}.
 */
public record EventUpdate(
        String sender,
        String project,
        String user,
        EventStatus status,
        String description,
        ObjectNode summary,
        ObjectNode payload,
        Double progress,
        Integer retries) {

    public static EventUpdate from(JsonBody body) {
        String project = body.string("projectName").or(() -> body.string("project")).orElse(null);
        if (project != null) {
            Names.requireName("project", project);
        }
        String user = body.string("user").orElse(null);
        if (user != null) {
            Names.requireName("user", user);
        }
        Double progress = body.number("progress").orElse(null);
        if (progress != null && !(progress >= 0 && progress <= 100)) {
            throw new InvalidRequestException("Field 'progress' must be between 0 and 100, got " + progress);
        }
        Integer retries = body.integer("retries").orElse(null);
        if (retries != null && retries < 0) {
            throw new InvalidRequestException("Field 'retries' must not be negative, got " + retries);
        }
        return new EventUpdate(
                body.string("sender").orElse(null),
                project,
                user,
                body.string("status").map(EventStatus::fromWire).orElse(null),
                body.string("description").orElse(null),
                body.object("summary").orElse(null),
                body.object("payload").orElse(null),
                progress,
                retries);
    }
}
