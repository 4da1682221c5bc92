package herald.kernel;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
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

    /**
     * The fixed-width text of {@code instant}. Every event read or written formats two times, so the common case
     * (years 0 to 9999) is written by hand; {@link DateTimeFormatter} takes the rest and is the reference the
     * tests hold this to.
     */
    public static String format(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < YEAR_0 || seconds >= YEAR_10000) {
            return FORMAT.format(instant);
        }
        LocalDateTime time = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
        char[] text = "0000-00-00T00:00:00.000000+00:00".toCharArray();
        digits(text, 0, time.getYear(), 4);
        digits(text, 5, time.getMonthValue(), 2);
        digits(text, 8, time.getDayOfMonth(), 2);
        digits(text, 11, time.getHour(), 2);
        digits(text, 14, time.getMinute(), 2);
        digits(text, 17, time.getSecond(), 2);
        digits(text, 20, instant.getNano() / 1_000, 6);
        return new String(text);
    }

    /**
     * Reads a time Herald wrote. Any ISO-8601 offset form is accepted ({@code Z} too), so that items written
     * before every stored time used {@link #format} still read; Herald's own form is read by hand, as it is the one
     * read on every event.
     */
    public static Instant parse(String text) {
        if (text.length() == OWN_LENGTH && text.endsWith("+00:00") && ownShape(text)) {
            int year = number(text, 0, 4);
            int month = number(text, 5, 2);
            int day = number(text, 8, 2);
            int hour = number(text, 11, 2);
            int minute = number(text, 14, 2);
            int second = number(text, 17, 2);
            if (hour < 24 && minute < 60 && second < 60) {
                try {
                    long epochDay = LocalDate.of(year, month, day).toEpochDay();
                    return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second,
                            number(text, 20, 6) * 1_000L);
                } catch (DateTimeException notADate) {
                    // a day the month does not have: the formatter below says so
                }
            }
        }
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from);
    }

    private static final int OWN_LENGTH = "0000-00-00T00:00:00.000000+00:00".length();
    private static final long YEAR_0 = LocalDate.of(0, 1, 1).toEpochDay() * 86_400;
    private static final long YEAR_10000 = LocalDate.of(10_000, 1, 1).toEpochDay() * 86_400;

    /** Digits where {@link #format} puts them, and its separators between. */
    private static boolean ownShape(String text) {
        for (int i = 0; i < 26; i++) {
            char c = text.charAt(i);
            boolean separator = i == 4 || i == 7 || i == 10 || i == 13 || i == 16 || i == 19;
            if (separator ? c != "0000-00-00T00:00:00.".charAt(i) : c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static int number(String text, int from, int length) {
        int value = 0;
        for (int i = from; i < from + length; i++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return value;
    }

    private static void digits(char[] text, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /** Event times are kept to the microsecond, the precision they are written with. */
    public static Instant truncate(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }
}
