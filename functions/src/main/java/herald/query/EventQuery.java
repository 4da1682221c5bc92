package herald.query;

import herald.kernel.InvalidRequestException;
import herald.kernel.Names;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * A listing of events, as GraphQL's {@code events(...)} and {@code GET /api/events} ask for it: filters, and a
 * page ({@code first} events after a cursor, or {@code last} events before one). Validated on construction.
 * Empty lists in {@code projects}, {@code users} or {@code statuses} select nothing, as in Ayon.
 */
public record EventQuery(
        List<String> ids,
        List<String> topics,
        List<String> projects,
        List<String> users,
        List<String> statuses,
        Boolean hasChildren,
        Instant newerThan,
        Instant olderThan,
        String text,
        boolean includeLogs,
        Integer first,
        String after,
        Integer last,
        String before) {

    public static final int DEFAULT_PAGE = 100;
    public static final int MAX_PAGE = 2000;

    /** The range of times a listing can name; a time outside it is taken as the nearest end. */
    static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");
    /** Most values one list argument may hold. */
    public static final int MAX_LIST = 100;

    public EventQuery {
        if (topics != null) {
            topics.forEach(t -> Names.requireTopic("topic", t));
        }
        for (var list : java.util.Arrays.asList(ids, topics, projects, users, statuses)) {
            if (list != null && list.size() > MAX_LIST) {
                throw new InvalidRequestException("A list argument holds at most " + MAX_LIST + " values, not "
                        + list.size());
            }
        }
        // names that cannot exist match nothing, as a name that does not exist does
        projects = projects == null ? null : projects.stream().filter(Names::isName).toList();
        users = users == null ? null : users.stream().filter(Names::isName).toList();
        if (first != null && last != null) {
            throw new InvalidRequestException("Use either first (with after) or last (with before), not both");
        }
        for (Integer size : new Integer[] {first, last}) {
            if (size != null && (size < 0 || size > MAX_PAGE)) {
                throw new InvalidRequestException("A page holds 0 to " + MAX_PAGE + " events, not " + size);
            }
        }
    }

    /** Whether the page runs backwards from the newest event (last/before) rather than forwards from the oldest. */
    public boolean backwards() {
        return last != null || (first == null && before != null);
    }

    public int pageSize() {
        return last != null ? last : first != null ? first : DEFAULT_PAGE;
    }

    private static Instant clamp(Instant instant) {
        return instant.isBefore(EARLIEST) ? EARLIEST : instant.isAfter(LATEST) ? LATEST : instant;
    }

    /** Parses an ISO-8601 time with an offset, as Ayon's clients send them; a bare date is midnight UTC. */
    public static Instant time(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return clamp(OffsetDateTime.parse(value).toInstant());
        } catch (DateTimeParseException e) {
            try {
                return clamp(java.time.LocalDate.parse(value).atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
            } catch (DateTimeParseException again) {
                throw new InvalidRequestException(field + " must be an ISO-8601 time with an offset, e.g. "
                        + "2026-11-22T10:00:00+00:00, not '" + value + "'");
            }
        }
    }
}
