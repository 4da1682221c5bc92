package herald.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * A stored event: the fifteen fields of the Ayon event model, plus {@code expiresAt}, the epoch second after
 * which retention removes it ({@code null}: kept until deleted). {@code progress} is not here: it is never
 * stored.
 */
public record Event(
        String id,
        String hash,
        String topic,
        String sender,
        String senderType,
        String project,
        String user,
        String dependsOn,
        EventStatus status,
        int retries,
        String description,
        ObjectNode summary,
        ObjectNode payload,
        Instant createdAt,
        Instant updatedAt,
        Long expiresAt) {

    public boolean isExpired(Instant now) {
        return expiresAt != null && expiresAt <= now.getEpochSecond();
    }
}
