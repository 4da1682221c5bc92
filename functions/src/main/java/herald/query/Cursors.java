package herald.query;

import herald.kernel.InvalidRequestException;
import herald.kernel.Names;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Opaque page cursors. An event cursor is an event's position in creation order ({@code createdKey}), so it stays
 * valid while new events arrive and while other events are deleted; a name cursor (users) is the last name of a page.
 */
public final class Cursors {

    private static final Pattern POSITION = Pattern.compile(
            "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}[+-]\\d{2}:\\d{2}#[0-9a-f]{32}$");
    /** Longer than any cursor this API gives out; a longer one is refused before it is decoded. */
    private static final int MAX_LENGTH = 128;
    private static final String NAME = "name#";

    private Cursors() {
    }

    public static String encode(String createdKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(createdKey.getBytes(StandardCharsets.UTF_8));
    }

    public static String encodeName(String name) {
        return encode(NAME + name);
    }

    /** The name a name cursor points after; null for none; a 400 for anything this API did not give out. */
    public static String decodeName(String field, String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            if (cursor.length() <= MAX_LENGTH) {
                String position = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                if (position.startsWith(NAME) && Names.isName(position.substring(NAME.length()))) {
                    return position.substring(NAME.length());
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw notACursor(field);
    }

    public static String decode(String field, String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            if (cursor.length() > MAX_LENGTH) {
                throw new IllegalArgumentException("too long");
            }
            String position = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (POSITION.matcher(position).matches()) {
                return position;
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw notACursor(field);
    }

    private static InvalidRequestException notACursor(String field) {
        return new InvalidRequestException(field + " is not a cursor this API gave out: pass an endCursor or "
                + "startCursor from a previous page unchanged");
    }
}
