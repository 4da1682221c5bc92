package herald.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * A stored event: the fifteen fields of the Ayon event model, plus {@code expiresAt}, the epoch second after
 * which retention removes it ({@code null}: kept until deleted), and {@code causedBy}, the caller who dispatched it
 * with the role and projects it had then (never shown to clients; what a trigger's script runs with; null for events
 * stored before it was recorded). {@code progress} is the progress (0 to 100) that the update which wrote this version
 * reported, null otherwise: it belongs to that one write, so that the stream's message of the update carries it (one
 * message per PATCH, as Ayon sends), and is never shown by a read or a listing; {@link #toBuilder} does not copy it.
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
        Long expiresAt,
        herald.auth.Principal causedBy,
        Double progress) {

    public boolean isExpired(Instant now) {
        return expiresAt != null && expiresAt <= now.getEpochSecond();
    }

    /** A builder for a new event; every field starts empty ({@code retries} 0). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from this event, to change some fields. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.id = id;
        builder.hash = hash;
        builder.topic = topic;
        builder.sender = sender;
        builder.senderType = senderType;
        builder.project = project;
        builder.user = user;
        builder.dependsOn = dependsOn;
        builder.status = status;
        builder.retries = retries;
        builder.description = description;
        builder.summary = summary;
        builder.payload = payload;
        builder.createdAt = createdAt;
        builder.updatedAt = updatedAt;
        builder.expiresAt = expiresAt;
        builder.causedBy = causedBy;
        return builder;
    }

    /**
     * This event in place of {@code old}, which held its hash (Ayon's {@code reuse}): it keeps the old event's
     * {@code createdAt} and {@code retries}.
     */
    public Event reusing(Event old) {
        return toBuilder().retries(old.retries()).createdAt(old.createdAt()).build();
    }

    /** Builds an {@link Event} field by field, so that no caller passes sixteen values by position. */
    public static final class Builder {
        private String id;
        private String hash;
        private String topic;
        private String sender;
        private String senderType;
        private String project;
        private String user;
        private String dependsOn;
        private EventStatus status;
        private int retries;
        private String description;
        private ObjectNode summary;
        private ObjectNode payload;
        private Instant createdAt;
        private Instant updatedAt;
        private Long expiresAt;
        private herald.auth.Principal causedBy;
        private Double progress;

        private Builder() {
        }

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder hash(String hash) {
            this.hash = hash;
            return this;
        }

        public Builder topic(String topic) {
            this.topic = topic;
            return this;
        }

        public Builder sender(String sender) {
            this.sender = sender;
            return this;
        }

        public Builder senderType(String senderType) {
            this.senderType = senderType;
            return this;
        }

        public Builder project(String project) {
            this.project = project;
            return this;
        }

        public Builder user(String user) {
            this.user = user;
            return this;
        }

        public Builder dependsOn(String dependsOn) {
            this.dependsOn = dependsOn;
            return this;
        }

        public Builder status(EventStatus status) {
            this.status = status;
            return this;
        }

        public Builder retries(int retries) {
            this.retries = retries;
            return this;
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        public Builder summary(ObjectNode summary) {
            this.summary = summary;
            return this;
        }

        public Builder payload(ObjectNode payload) {
            this.payload = payload;
            return this;
        }

        public Builder createdAt(Instant createdAt) {
            this.createdAt = createdAt;
            return this;
        }

        public Builder updatedAt(Instant updatedAt) {
            this.updatedAt = updatedAt;
            return this;
        }

        public Builder expiresAt(Long expiresAt) {
            this.expiresAt = expiresAt;
            return this;
        }

        public Builder causedBy(herald.auth.Principal causedBy) {
            this.causedBy = causedBy;
            return this;
        }

        public Builder progress(Double progress) {
            this.progress = progress;
            return this;
        }

        public Event build() {
            return new Event(id, hash, topic, sender, senderType, project, user, dependsOn, status, retries,
                    description, summary, payload, createdAt, updatedAt, expiresAt, causedBy, progress);
        }
    }
}
