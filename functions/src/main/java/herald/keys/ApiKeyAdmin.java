package herald.keys;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.auth.ApiKey;
import herald.auth.ApiKeyAuthenticator;
import herald.auth.ApiKeyStore;
import herald.auth.KeyChange;
import herald.auth.KeyChangeLog;
import herald.auth.KeyConnections;
import herald.auth.Principal;
import herald.auth.Role;
import herald.events.ProjectRegistry;
import herald.events.ResourceEvents;
import herald.kernel.InvalidRequestException;
import herald.kernel.Json;
import herald.kernel.JsonBody;
import herald.kernel.Names;
import herald.kernel.NotFoundException;
import herald.kernel.SoftDelete;
import herald.kernel.Timestamps;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Creating, reading, changing, revoking and deleting API keys. A new key is {@code hk_} and 43 characters of
 * base64url (256 random bits from {@link SecureRandom}); it is returned once, by the call that creates it, and kept
 * only as its SHA-256. Every change emits its resource event ({@code herald.ApiKey}). Every refusal is a
 * 400/404/409 that says what to fix.
 *
 * <p>Thread-safe.
 */
public final class ApiKeyAdmin {

    /** Every key starts with this, so leaked keys are easy to recognise (and to scan for). */
    public static final String KEY_PREFIX = "hk_";
    private static final Set<String> FIELDS = Set.of("name", "role", "projects", "expires_at", "expiresAt", "revoked");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The resource type of keys in resource events. */
    public static final String TYPE = "herald.ApiKey";

    private final ApiKeyStore store;
    private final ResourceEvents resources;
    private final KeyChangeLog changes;
    private final KeyConnections connections;
    private final ProjectRegistry projects;
    private final Clock clock;

    /**
     * {@code changes} hears of every change to a key's rights, so that an authorization API Gateway cached before it
     * no longer holds from the next request; {@code connections} closes the WebSocket connections the key
     * authenticated, which would otherwise go on receiving with the rights it had; {@code projects} learns the
     * projects a key is limited to, so that they are listed even before they hold an event.
     */
    public ApiKeyAdmin(ApiKeyStore store, ResourceEvents resources, KeyChangeLog changes, KeyConnections connections,
            ProjectRegistry projects, Clock clock) {
        this.store = store;
        this.resources = resources;
        this.changes = changes;
        this.connections = connections;
        this.projects = projects;
        this.clock = clock;
    }

    /** The new key's record and, under {@code key}, the key itself: the only time it is ever shown. */
    public ObjectNode create(JsonBody body, Principal creator, String requestId) {
        rejectUnknownFields(body);
        String name = body.string("name").orElseThrow(() -> new InvalidRequestException(
                "Field 'name' is required: the key's name, recorded as the user of the events it creates"));
        requireName(name);
        Role role = role(body).orElseThrow(() -> new InvalidRequestException(
                "Field 'role' is required: one of admin, service, user"));
        Instant now = clock.instant();
        Instant expiresAt = expiresAt(body).orElse(null);
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw new InvalidRequestException("Field 'expires_at' is in the past (" + expiresAt + "); give a future "
                    + "ISO-8601 time, or leave it out for a key that does not expire");
        }
        if (body.bool("revoked").orElse(false)) {
            throw new InvalidRequestException("A new key cannot be revoked; leave 'revoked' out");
        }
        String key = newKey();
        ApiKey record = new ApiKey(name, ApiKeyAuthenticator.hash(key), key.substring(0, KEY_PREFIX.length() + 6), role,
                projects(body).orElse(null), expiresAt, null, null, now, now, creator.name(), null);
        // a deleted key of this name gives way to the new one, for good
        store.find(name).filter(k -> k.deletedAt() != null).ifPresent(deleted -> {
            store.purge(deleted);
            resources.emit(ResourceEvents.Change.HARD_DELETED, TYPE, name, creator, requestId, image(deleted, now), null);
        });
        rememberProjects(record.projects());
        store.create(record);
        resources.emit(ResourceEvents.Change.CREATED, TYPE, name, creator, requestId, null, image(record, now));
        ObjectNode json = record.toJson(now);
        json.put("key", key);
        return json;
    }

    private void rememberProjects(Set<String> limitedTo) {
        if (limitedTo != null) {
            limitedTo.forEach(projects::remember);
        }
    }

    public ArrayNode list(boolean includeDeleted) {
        Instant now = clock.instant();
        ArrayNode keys = Json.MAPPER.createArrayNode();
        store.list(includeDeleted).stream().sorted((a, b) -> a.name().compareTo(b.name())).forEach(k -> keys.add(k.toJson(now)));
        return keys;
    }

    public ObjectNode get(String name, boolean includeDeleted) {
        requireName(name);
        return (includeDeleted ? store.find(name) : store.byName(name)).orElseThrow(() -> notFound(name))
                .toJson(clock.instant());
    }

    /**
     * Changes role, projects, expiry ({@code null} removes it; a past time expires the key at once) or revokes it
     * ({@code "revoked": true}; a revocation cannot be undone: create a new key instead).
     */
    public ObjectNode update(String name, JsonBody body, Principal caller, String requestId) {
        rejectUnknownFields(body);
        ApiKey key = find(name);
        if (body.string("name").filter(n -> !n.equals(name)).isPresent()) {
            throw new InvalidRequestException("A key cannot be renamed: its name is the user of the events it created; "
                    + "create a new key instead");
        }
        Instant now = clock.instant();
        Role role = role(body).orElse(key.role());
        if (role == null) {
            throw new InvalidRequestException("Key '" + name + "' has a stored role this version does not know, so it "
                    + "cannot be used; give it a role: admin, service or user");
        }
        Set<String> projects = body.fieldNames().contains("projects") ? projects(body).orElse(null) : key.projects();
        Instant expiresAt = body.fieldNames().contains("expires_at") || body.fieldNames().contains("expiresAt")
                ? expiresAt(body).orElse(null) : key.expiresAt();
        Instant revokedAt = key.revokedAt();
        Boolean revoked = body.bool("revoked").orElse(null);
        if (Boolean.FALSE.equals(revoked) && revokedAt != null) {
            throw new InvalidRequestException("A revoked key stays revoked; create a new key instead");
        }
        if (Boolean.TRUE.equals(revoked) && revokedAt == null) {
            revokedAt = now;
        }
        ApiKey changed = new ApiKey(key.name(), key.hash(), key.prefix(), role, projects, expiresAt, revokedAt,
                key.lastUsedAt(), key.createdAt(), now, key.createdBy(), null);
        rememberProjects(projects);
        store.replace(key, changed);
        changes.record(changed.validAt(now)
                ? KeyChange.changed(ApiKeyAuthenticator.fingerprint(key.hash()), now, role, projects)
                : KeyChange.revoked(ApiKeyAuthenticator.fingerprint(key.hash()), now));
        connections.closeAllOf(name);
        resources.emit(ResourceEvents.Change.UPDATED, TYPE, name, caller, requestId, image(key, now),
                image(changed, now));
        return changed.toJson(now);
    }

    /**
     * Soft delete ({@link SoftDelete}: the key fails from the next request, leaves the listing, and
     * {@code POST .../restore} brings it back), or with {@code purge} forget it for good (also a key deleted earlier).
     */
    public void delete(String name, boolean purge, Principal caller, String requestId) {
        requireName(name);
        ApiKey key = store.find(name).orElseThrow(() -> notFound(name));
        Instant now = clock.instant();
        if (key.deletedAt() == null) {
            store.softDelete(key, now);
            changes.record(KeyChange.revoked(ApiKeyAuthenticator.fingerprint(key.hash()), now));
            connections.closeAllOf(name);
            ObjectNode deleted = image(key, now);
            deleted.put("deleted_date", Timestamps.format(now));
            resources.emit(ResourceEvents.Change.SOFT_DELETED, TYPE, name, caller, requestId, image(key, now), deleted);
        } else if (!purge) {
            throw notFound(name);
        }
        if (purge) {
            store.purge(key);
            resources.emit(ResourceEvents.Change.HARD_DELETED, TYPE, name, caller, requestId, image(key, now), null);
        }
    }

    public ObjectNode restore(String name, Principal caller, String requestId) {
        requireName(name);
        ApiKey key = store.find(name).orElseThrow(() -> notFound(name));
        if (key.deletedAt() == null) {
            throw SoftDelete.notDeleted("API key", name);
        }
        Instant now = clock.instant();
        store.restore(key, now);
        resources.emit(ResourceEvents.Change.RESTORED, TYPE, name, caller, requestId, image(key, now),
                image(key.restored(now), now));
        return key.restored(now).toJson(now);
    }

    /**
     * A key as its resource events show it to every reader of events: its name, role, projects and dates, not the
     * prefix of its secret nor when it was last used.
     */
    private static ObjectNode image(ApiKey key, Instant now) {
        ObjectNode json = key.toJson(now);
        json.remove(List.of("key_prefix", "last_used_at"));
        return json;
    }

    private static NotFoundException notFound(String name) {
        return new NotFoundException("There is no API key named '" + name + "'; GET /api/v2/system/api_key lists them");
    }

    private ApiKey find(String name) {
        requireName(name);
        return store.byName(name).orElseThrow(() -> notFound(name));
    }

    private static void requireName(String name) {
        if (!Names.isName(name)) {
            throw new InvalidRequestException("Invalid key name '" + abbreviate(name) + "': letters, digits, '_', '.' "
                    + "and '-', starting and ending with a letter, digit or '_'");
        }
        if (name.equals(ApiKeyAuthenticator.ADMIN_NAME)) {
            throw new InvalidRequestException("The name 'admin' belongs to the deployment's first key; choose another");
        }
    }

    private static java.util.Optional<Role> role(JsonBody body) {
        return body.string("role").map(value -> {
            Role role = Role.parse(value);
            if (role == null) {
                throw new InvalidRequestException("Field 'role' must be one of admin, service, user, not '"
                        + abbreviate(value) + "'");
            }
            return role;
        });
    }

    private static java.util.Optional<Set<String>> projects(JsonBody body) {
        return body.strings("projects").map(list -> {
            if (list.isEmpty()) {
                throw new InvalidRequestException("Field 'projects' must name at least one project; send null (or "
                        + "leave it out) for a key that sees every project");
            }
            Set<String> projects = new LinkedHashSet<>();
            for (String project : list) {
                Names.requireName("project in 'projects'", project);
                projects.add(project);
            }
            return projects;
        });
    }

    private static java.util.Optional<Instant> expiresAt(JsonBody body) {
        return body.string("expiresAt").map(value -> {
            try {
                return java.time.OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException e) {
                throw new InvalidRequestException("Field 'expires_at' must be an ISO-8601 time with an offset, e.g. "
                        + "2027-01-31T00:00:00Z, not '" + abbreviate(value) + "'");
            }
        });
    }

    private static void rejectUnknownFields(JsonBody body) {
        body.requireKnownFields(FIELDS, "an API key has " + List.of("name", "role", "projects", "expires_at",
                "revoked"));
    }

    private static String newKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String abbreviate(String value) {
        if (value == null) {
            return "null";
        }
        return value.length() > 64 ? value.substring(0, 64) + "…" : value;
    }
}
