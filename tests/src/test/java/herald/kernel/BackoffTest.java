package herald.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = Backoff.of(Duration.ofMillis(10), Duration.ofMillis(100));

    @Test
    void ceilingDoublesUpToTheCap() {
        assertThat(backoff.ceiling(0)).isEqualTo(Duration.ofMillis(10));
        assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofMillis(20));
        assertThat(backoff.ceiling(3)).isEqualTo(Duration.ofMillis(80));
        assertThat(backoff.ceiling(4)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.ceiling(1_000)).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void delayIsFullJitterBelowTheCeiling() {
        for (int attempt = 0; attempt < 8; attempt++) {
            for (int i = 0; i < 200; i++) {
                assertThat(backoff.delay(attempt)).isBetween(Duration.ZERO, backoff.ceiling(attempt));
            }
        }
    }

    @Test
    void refusesACapBelowTheBase() {
        assertThatThrownBy(() -> Backoff.of(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
