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

    /** The hand-written paths agree with {@link java.time.format.DateTimeFormatter} on any time, leap days included. */
    @Test
    void theFastPathsAgreeWithTheFormatter() {
        java.time.format.DateTimeFormatter reference = java.time.format.DateTimeFormatter
                .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSxxx").withZone(java.time.ZoneOffset.UTC);
        java.util.Random random = new java.util.Random(7);
        long from = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 100_000; i++) {
            Instant instant = Instant.ofEpochSecond(from + (long) (random.nextDouble() * (to - from)),
                    random.nextInt(1_000_000) * 1_000L);
            String text = reference.format(instant);
            assertThat(Timestamps.format(instant)).isEqualTo(text);
            assertThat(Timestamps.parse(text)).isEqualTo(instant);
        }
        assertThat(Timestamps.parse("2024-02-29T23:59:59.999999+00:00")).isEqualTo(Instant.parse("2024-02-29T23:59:59.999999Z"));
        assertThat(Timestamps.format(Instant.parse("+10000-01-01T00:00:00Z"))).isEqualTo("+10000-01-01T00:00:00.000000+00:00");
        assertThat(Timestamps.parse("2025-05-01T12:11:12.123456+02:00")).isEqualTo(Instant.parse("2025-05-01T10:11:12.123456Z"));
        assertThat(Timestamps.parse("2025-05-01T10:11:12Z")).isEqualTo(Instant.parse("2025-05-01T10:11:12Z"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Timestamps.parse("2025-02-30T10:11:12.000000+00:00"))
                .isInstanceOf(java.time.format.DateTimeParseException.class);
    }

    @Test
    void textOrderIsTimeOrder() {
        String a = Timestamps.format(Instant.parse("2025-05-01T09:59:59.999999Z"));
        String b = Timestamps.format(Instant.parse("2025-05-01T10:00:00Z"));
        assertThat(a.compareTo(b)).isNegative();
    }
}
