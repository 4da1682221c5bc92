package herald.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import herald.kernel.UnauthorizedException;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A cached authorization holds only as long as the key behind it is unchanged. */
class AuthorizerContextTest {

    private static final Instant CHECKED = Instant.parse("2026-12-01T10:00:00Z");
    private static final String FINGERPRINT = "0123456789abcdef";

    private static Map<String, Object> context(Instant expiresAt) {
        return AuthorizerContext.of(new ApiKeyAuthenticator.Authenticated(
                new Principal("ops", Role.ADMIN, null), FINGERPRINT, expiresAt), CHECKED);
    }

    private static KeyChangeLog.Snapshot changes(KeyChange... changes) {
        Map<String, KeyChange> byKey = new java.util.HashMap<>();
        for (KeyChange change : changes) {
            byKey.put(change.fingerprint(), change);
        }
        return () -> byKey;
    }

    @Test
    void anUnchangedKeyKeepsItsRights() {
        Principal caller = AuthorizerContext.current(context(null), changes(), CHECKED.plusSeconds(60));
        assertThat(caller).isEqualTo(new Principal("ops", Role.ADMIN, null));
    }

    @Test
    void aKeyRevokedAfterItWasCheckedFailsAtOnce() {
        assertThatThrownBy(() -> AuthorizerContext.current(context(null),
                changes(KeyChange.revoked(FINGERPRINT, CHECKED.plusSeconds(5))), CHECKED.plusSeconds(10)))
                .isInstanceOf(UnauthorizedException.class);
    }

    @Test
    void aKeyWhoseRightsChangedHasItsNewRights() {
        Principal caller = AuthorizerContext.current(context(null), changes(KeyChange.changed(FINGERPRINT,
                CHECKED.plusSeconds(5), Role.USER, Set.of("alpha"))), CHECKED.plusSeconds(10));
        assertThat(caller).isEqualTo(new Principal("ops", Role.USER, Set.of("alpha")));
    }

    @Test
    void aChangeOlderThanTheCheckIsAlreadyInIt() {
        Principal caller = AuthorizerContext.current(context(null),
                changes(KeyChange.revoked(FINGERPRINT, CHECKED.minusSeconds(5))), CHECKED.plusSeconds(10));
        assertThat(caller.role()).isEqualTo(Role.ADMIN);
    }

    @Test
    void aKeyThatExpiredSinceItWasCheckedFails() {
        assertThatThrownBy(() -> AuthorizerContext.current(context(CHECKED.plusSeconds(30)), changes(),
                CHECKED.plusSeconds(31))).isInstanceOf(UnauthorizedException.class);
        assertThat(AuthorizerContext.current(context(CHECKED.plusSeconds(30)), changes(), CHECKED.plusSeconds(29)))
                .isNotNull();
    }

    @Test
    void anotherKeysChangeChangesNothing() {
        assertThat(AuthorizerContext.current(context(null), changes(KeyChange.revoked("fedcba9876543210",
                CHECKED.plusSeconds(5))), CHECKED.plusSeconds(10)).role()).isEqualTo(Role.ADMIN);
    }
}
