package herald.auth;

import java.time.Instant;
import java.util.Set;

/**
 * A change to an API key that a caller's cached authorization may not know of yet (API Gateway keeps an authorizer's
 * answer for a key for minutes): the key, by its {@link ApiKeyAuthenticator#fingerprint}, was revoked, deleted or
 * expired ({@code role} null), or now has this role and these projects, since {@code at}. Every HTTP call checks the
 * changes newer than its authorization, so a revocation holds from the next request on every route.
 */
public record KeyChange(String fingerprint, Instant at, Role role, Set<String> projects) {

    /** The key no longer authenticates at all. */
    public static KeyChange revoked(String fingerprint, Instant at) {
        return new KeyChange(fingerprint, at, null, null);
    }

    /** The key now has these rights. */
    public static KeyChange changed(String fingerprint, Instant at, Role role, Set<String> projects) {
        return new KeyChange(fingerprint, at, role, projects == null ? null : Set.copyOf(projects));
    }

    public boolean revokes() {
        return role == null;
    }
}
