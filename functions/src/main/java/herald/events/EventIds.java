package herald.events;

import herald.kernel.InvalidRequestException;
import herald.kernel.Names;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Event ids: 32 lower-case hex characters, as Ayon's {@code uuid1().hex}. Herald lays them out as UUIDv7
 * (48 bits of Unix milliseconds, then 74 random bits), so ids sort by creation time. The random part comes
 * from {@link SecureRandom}, which stays unique across Lambda SnapStart restores, unlike a seeded PRNG.
 *
 * <p>Thread-safe.
 */
public final class EventIds {

    private static final Pattern ID = Pattern.compile("^[0-9a-f]{32}$");
    private static final SecureRandom RANDOM = new SecureRandom();

    private EventIds() {
    }

    public static String newId(long epochMillis) {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        for (int i = 0; i < 6; i++) {
            bytes[i] = (byte) (epochMillis >>> (40 - 8 * i));
        }
        bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x70); // version 7
        bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80); // IETF variant
        return HexFormat.of().formatHex(bytes);
    }

    public static boolean isValid(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** Validates an id from a path or a body; {@code what} names it in the error. */
    public static String require(String what, String id) {
        if (!isValid(id)) {
            throw new InvalidRequestException(what + " must be 32 lower-case hex characters (an event id), got '"
                    + Names.abbreviate(id) + "'");
        }
        return id;
    }
}
