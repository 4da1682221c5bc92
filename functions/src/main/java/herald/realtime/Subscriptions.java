package herald.realtime;

import herald.kernel.InvalidRequestException;
import herald.kernel.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a connection subscribed to, as Ayon's clients send it: topic prefixes ({@code "entity.task"} matches
 * {@code entity.task.created}), patterns with {@code *} ({@code "entity.*.created"}), or {@code "*"} for all.
 * {@code server.started}, {@code server.restart_requested} and {@code heartbeat} always reach an authenticated
 * connection, as in Ayon.
 *
 * <p>Immutable and thread-safe.
 */
public final class Subscriptions {

    static final Set<String> ALWAYS = Set.of("server.started", "server.restart_requested", "heartbeat");
    private static final Pattern VALID = Pattern.compile("^[A-Za-z0-9_.*\\-]{1,65}$");
    private static final int MAX = 100;

    private final List<String> entries;

    private Subscriptions(List<String> entries) {
        this.entries = List.copyOf(entries);
    }

    public static Subscriptions of(List<String> entries) {
        if (entries.size() > MAX) {
            throw new InvalidRequestException("A connection subscribes to at most " + MAX + " topics");
        }
        List<String> valid = new ArrayList<>();
        for (String entry : entries) {
            if (!VALID.matcher(entry).matches()) {
                throw new InvalidRequestException("Invalid subscription '" + entry + "': a topic prefix or pattern of "
                        + "letters, digits, '_', '.', '-' and '*'");
            }
            valid.add(entry);
        }
        return new Subscriptions(valid);
    }

    public List<String> entries() {
        return entries;
    }

    public boolean matches(String topic) {
        if (ALWAYS.contains(topic)) {
            return true;
        }
        for (String entry : entries) {
            if (entry.equals("*") || (entry.indexOf('*') >= 0 ? Names.wildcard(entry).matcher(topic).matches()
                    : topic.startsWith(entry))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The partition a subscription is stored under, so that the subscribers of a topic are found with three
     * {@code Query}s: its first character, its first two, and {@code "*"} (everything that starts with a wildcard).
     */
    static String bucket(String entry) {
        int star = entry.indexOf('*');
        String literal = star < 0 ? entry : entry.substring(0, star);
        return literal.isEmpty() ? "*" : literal.substring(0, Math.min(2, literal.length()));
    }

    /** The buckets holding every subscription that can match {@code topic}. */
    static List<String> bucketsFor(String topic) {
        List<String> buckets = new ArrayList<>(List.of("*", topic.substring(0, 1)));
        if (topic.length() > 1) {
            buckets.add(topic.substring(0, 2));
        }
        return buckets;
    }
}
