package herald.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {

    private final RetentionPolicy policy = RetentionPolicy.parse(90, "log.*=14, log.debug.*=1, audit.login=0, entity.*=365");

    @Test
    void theMostSpecificRuleWins() {
        assertThat(policy.daysFor("log.info")).isEqualTo(14);
        assertThat(policy.daysFor("log.debug.sql")).isEqualTo(1);
        assertThat(policy.daysFor("audit.login")).isZero();
        assertThat(policy.daysFor("audit.logins")).isEqualTo(90);
        assertThat(policy.daysFor("entity.task.created")).isEqualTo(365);
        assertThat(policy.daysFor("logs.x")).isEqualTo(90);
    }

    @Test
    void expiryCountsFromTheUpdateAndZeroMeansForever() {
        Instant updated = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(policy.expiresAt("log.info", updated)).isEqualTo(updated.getEpochSecond() + 14 * 86_400L);
        assertThat(policy.expiresAt("audit.login", updated)).isNull();
        assertThat(RetentionPolicy.keepForever().expiresAt("log.info", updated)).isNull();
    }

    @Test
    void aMalformedRuleFailsLoudly() {
        assertThatThrownBy(() -> RetentionPolicy.parse(0, "log.*"))
                .hasMessageContaining("is not of the form <topic or prefix.*>=<days>");
        assertThatThrownBy(() -> RetentionPolicy.parse(0, "log.*=two")).hasMessageContaining("days must be a number");
        assertThatThrownBy(() -> RetentionPolicy.parse(0, "log.*=-1")).hasMessageContaining("0 or more days");
        assertThatThrownBy(() -> RetentionPolicy.parse(-1, "")).hasMessageContaining("0 (forever) or more");
    }

    @Test
    void noRulesMeansTheDefault() {
        assertThat(RetentionPolicy.parse(7, "").daysFor("anything")).isEqualTo(7);
        assertThat(RetentionPolicy.parse(7, null).daysFor("anything")).isEqualTo(7);
    }
}
