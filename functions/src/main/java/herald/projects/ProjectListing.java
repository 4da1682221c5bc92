package herald.projects;

import herald.kernel.InvalidRequestException;
import herald.kernel.Names;
import java.util.regex.Pattern;

/**
 * What {@code GET /api/projects} asks for, with Ayon's parameters: {@code active} and {@code library} (null: either),
 * {@code name} (a pattern with {@code *}, matched without regard to case; null: every name), {@code page} (from 1)
 * of {@code length} projects (null: all), in {@code order} ({@code name}, {@code code}, {@code createdAt} or
 * {@code updatedAt}), {@code desc} for the reverse.
 */
public record ProjectListing(Boolean active, Boolean library, String name, int page, Integer length, String order,
        boolean desc) {

    /** The orders a listing may ask for. */
    public static final java.util.List<String> ORDERS = java.util.List.of("name", "code", "createdAt", "updatedAt");

    public ProjectListing {
        if (page < 1) {
            throw new InvalidRequestException("Query parameter 'page' must be 1 or more, not " + page);
        }
        if (length != null && length < 1) {
            throw new InvalidRequestException("Query parameter 'length' must be 1 or more, not " + length
                    + "; leave it out for every project");
        }
        if (order == null) {
            order = "name";
        } else if (!ORDERS.contains(order)) {
            throw new InvalidRequestException("Query parameter 'order' must be one of " + String.join(", ", ORDERS)
                    + ", not '" + Names.abbreviate(order) + "'");
        }
        if (name != null && name.isEmpty()) {
            name = null;
        }
    }

    /** Every project, by name. */
    public static ProjectListing all() {
        return new ProjectListing(null, null, null, 1, null, null, false);
    }

    Pattern namePattern() {
        return name == null ? null : Pattern.compile(Names.wildcard(name).pattern(), Pattern.CASE_INSENSITIVE);
    }
}
