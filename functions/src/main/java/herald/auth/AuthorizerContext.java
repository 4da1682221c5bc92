package herald.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import herald.kernel.Json;
import herald.kernel.UnauthorizedException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the authorizer tells the handlers, through API Gateway's authorizer context: the caller's {@code name},
 * {@code role} and {@code projects} (a JSON array, or absent for every project), or, when the request carried no
 * valid key, the {@code denied} reason the handler answers 401 with. Values are strings because API Gateway passes
 * only scalars.
 */
public final class AuthorizerContext {

    static final String NAME = "name";
    static final String ROLE = "role";
    static final String PROJECTS = "projects";
    static final String DENIED = "denied";
    static final String FINGERPRINT = "key";
    static final String AUTHENTICATED_AT = "at";
    static final String EXPIRES_AT = "expires";

    private AuthorizerContext() {
    }

    public static Map<String, Object> of(Principal principal) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put(NAME, principal.name());
        context.put(ROLE, principal.role().wireName());
        if (principal.projects() != null) {
            context.put(PROJECTS, Json.write(principal.projects().stream().sorted().toList()));
        }
        return context;
    }

    /**
     * The context of an authenticated call: the caller, and what a cached authorization must still be checked
     * against on each call ({@link #current}): the key's fingerprint, when it was checked, when it expires.
     */
    public static Map<String, Object> of(ApiKeyAuthenticator.Authenticated authenticated, Instant now) {
        Map<String, Object> context = of(authenticated.principal());
        context.put(FINGERPRINT, authenticated.fingerprint());
        context.put(AUTHENTICATED_AT, Long.toString(now.toEpochMilli()));
        if (authenticated.expiresAt() != null) {
            context.put(EXPIRES_AT, Long.toString(authenticated.expiresAt().toEpochMilli()));
        }
        return context;
    }

    /**
     * The caller of a call whose authorization API Gateway may have answered from its cache, as of now: 401 if the
     * key has since expired or was revoked or deleted ({@code changes}), and the key's new role and projects if those
     * changed since it was checked. So a change to a key holds from the next request, cache or not.
     */
    public static Principal current(Map<String, Object> context, KeyChangeLog.Snapshot changes, Instant now) {
        Principal principal = principal(context);
        Object expires = context.get(EXPIRES_AT);
        if (expires != null && Long.parseLong(String.valueOf(expires)) <= now.toEpochMilli()) {
            throw new UnauthorizedException(ApiKeyAuthenticator.INVALID_KEY);
        }
        Object fingerprint = context.get(FINGERPRINT);
        Object at = context.get(AUTHENTICATED_AT);
        KeyChange change = fingerprint == null ? null : changes.keyChanges().get(String.valueOf(fingerprint));
        if (change == null || at == null || !change.at().isAfter(Instant.ofEpochMilli(Long.parseLong(String.valueOf(at))))) {
            return principal;
        }
        if (change.revokes()) {
            throw new UnauthorizedException(ApiKeyAuthenticator.INVALID_KEY);
        }
        return new Principal(principal.name(), change.role(), change.projects());
    }

    /** When the key the authorizer checked expires; empty for a key that never does. */
    public static Optional<Instant> expiresAt(Map<String, Object> context) {
        Object expires = context == null ? null : context.get(EXPIRES_AT);
        return expires == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(Long.parseLong(String.valueOf(expires))));
    }

    public static Map<String, Object> denied(String detail) {
        return Map.of(DENIED, detail);
    }

    /** The caller the authorizer put in a request's context; 401 without one or with its refusal in it. */
    public static Principal principal(Map<String, Object> context) {
        if (context == null || context.isEmpty()) {
            throw new UnauthorizedException(ApiKeyAuthenticator.MISSING_KEY);
        }
        Object denied = context.get(DENIED);
        if (denied != null) {
            throw new UnauthorizedException(String.valueOf(denied));
        }
        Object name = context.get(NAME);
        Role role = Role.parse(String.valueOf(context.get(ROLE)));
        // no name or no known role is no caller: never a default
        if (name == null || role == null) {
            throw new UnauthorizedException(ApiKeyAuthenticator.MISSING_KEY);
        }
        Object projects = context.get(PROJECTS);
        return new Principal(String.valueOf(name), role, projects == null ? null : projects(projects));
    }

    private static Set<String> projects(Object value) {
        if (value instanceof List<?> list) {
            return Set.copyOf(list.stream().map(String::valueOf).toList());
        }
        try {
            return Set.copyOf(Json.MAPPER.readValue(String.valueOf(value), new TypeReference<List<String>>() { }));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The authorizer's projects are not a JSON array", e);
        }
    }
}
