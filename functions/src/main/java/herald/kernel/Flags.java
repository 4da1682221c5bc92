package herald.kernel;

import java.util.Locale;
import java.util.Optional;

/**
 * Herald's one reading of a true/false setting, for query parameters ({@code ?purge=true}) and environment
 * variables alike: {@code true}/{@code false} in any case, or {@code 1}/{@code 0}. Anything else is refused with a
 * detail that names the parameter, never read as false.
 *
 * <p>Stateless and thread-safe.
 */
public final class Flags {

    private Flags() {
    }

    /**
     * The value of a flag; empty when it is absent or empty.
     *
     * @param what how the caller names it in an error, e.g. {@code "Query parameter 'purge'"}
     * @throws InvalidRequestException when the value is neither true nor false
     */
    public static Optional<Boolean> parse(String what, String value) {
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true":
            case "1":
                return Optional.of(true);
            case "false":
            case "0":
                return Optional.of(false);
            default:
                throw new InvalidRequestException(what + " must be true or false, not '" + Names.abbreviate(value) + "'");
        }
    }
}
