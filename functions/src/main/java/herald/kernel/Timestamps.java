package herald.kernel;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Timestamps on the wire and in items: ISO-8601 with microseconds and an explicit {@code +00:00} offset, as
 * Ayon serialises them ({@code Z} would break Python's {@code fromisoformat} before 3.11). The fixed width
 * makes the text sort in time order, which the indexes' sort keys rely on.
 */
public final class Timestamps {

    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    public static String format(Instant instant) {
        return FORMAT.format(instant);
    }

    /**
     * Reads a time Herald wrote. Any ISO-8601 offset form is accepted ({@code Z} too), so that items written
     * before every stored time used {@link #format} still read.
     */
    public static Instant parse(String text) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from);
    }

    /** Event times are kept to the microsecond, the precision they are written with. */
    public static Instant truncate(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }
}
