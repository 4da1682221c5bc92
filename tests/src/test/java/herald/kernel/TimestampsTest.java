package herald.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimestampsTest {

    @Test
    void formatsWithMicrosecondsAndAnExplicitUtcOffset() {
        Instant instant = Instant.parse("2025-05-01T10:11:12.123456789Z");
        assertThat(Timestamps.format(instant)).isEqualTo("2025-05-01T10:11:12.123456+00:00");
        assertThat(Timestamps.format(Instant.parse("2025-05-01T10:11:12Z"))).isEqualTo("2025-05-01T10:11:12.000000+00:00");
    }

    @Test
    void parsesWhatItFormats() {
        Instant instant = Timestamps.truncate(Instant.parse("2025-05-01T10:11:12.123456789Z"));
        assertThat(Timestamps.parse(Timestamps.format(instant))).isEqualTo(instant);
    }

    @Test
    void textOrderIsTimeOrder() {
        String a = Timestamps.format(Instant.parse("2025-05-01T09:59:59.999999Z"));
        String b = Timestamps.format(Instant.parse("2025-05-01T10:00:00Z"));
        assertThat(a.compareTo(b)).isNegative();
    }
}
