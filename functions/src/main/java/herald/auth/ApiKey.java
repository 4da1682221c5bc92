package herald.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.kernel.Json;
import herald.kernel.SoftDelete;
import herald.kernel.Timestamps;
import java.time.Instant;
import java.util.Set;

/**
 * An API key as Herald keeps it: its {@code name} (the {@code user} recorded on the events it creates), the SHA-256
 * of the key (never the key), the key's first characters (to recognise it in a list), its role, the projects it is
 * limited to (null: all), when it expires and when it was revoked (null: never), when it was last used, and when it
 * was deleted ({@link herald.kernel.SoftDelete}; null: it is not).
 */
public record ApiKey(String name, String hash, String prefix, Role role, Set<String> projects, Instant expiresAt,
        Instant revokedAt, Instant lastUsedAt, Instant createdAt, Instant updatedAt, String createdBy,
        Instant deletedAt) {

    /** This key, deleted at {@code at}. */
    public ApiKey deleted(Instant at) {
        return new ApiKey(name, hash, prefix, role, projects, expiresAt, revokedAt, lastUsedAt, createdAt, at, createdBy,
                at);
    }

    /** This key, no longer deleted. */
    public ApiKey restored(Instant at) {
        return new ApiKey(name, hash, prefix, role, projects, expiresAt, revokedAt, lastUsedAt, createdAt, at, createdBy,
                null);
    }

    public boolean validAt(Instant now) {
        return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
    }

    public Principal principal() {
        return new Principal(name, role, projects);
    }

    /** The key as the admin API shows it: everything but the hash. */
    public ObjectNode toJson(Instant now) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("name", name);
        json.put("role", role == null ? null : role.wireName());
        if (projects == null) {
            json.putNull("projects");
        } else {
            projects.stream().sorted().forEach(json.putArray("projects")::add);
        }
        json.put("key_prefix", prefix);
        json.put("expires_at", expiresAt == null ? null : Timestamps.format(expiresAt));
        json.put("revoked_at", revokedAt == null ? null : Timestamps.format(revokedAt));
        json.put("last_used_at", lastUsedAt == null ? null : Timestamps.format(lastUsedAt));
        json.put("created_date", Timestamps.format(createdAt));
        json.put("last_modified_date", Timestamps.format(updatedAt));
        json.put("created_by", createdBy);
        if (deletedAt != null) {
            json.put(SoftDelete.WIRE_FIELD, Timestamps.format(deletedAt));
        }
        json.put("status", deletedAt != null ? "deleted" : role == null ? "unknown role" : revokedAt != null ? "revoked"
                : expiresAt != null && !expiresAt.isAfter(now) ? "expired" : "active");
        return json;
    }
}
