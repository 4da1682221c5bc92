package herald.events;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How long events are kept, per topic: a default and rules by topic pattern, written as
 * {@code log.*=14,debug.*=1} (a pattern ending in {@code *} is a prefix; any other is one exact topic; days of
 * 0 keep events forever). The most specific rule wins: an exact topic over any prefix, a longer prefix over a
 * shorter one. Like Ayon's retention, the clock runs from the event's last update.
 *
 * <p>Immutable and thread-safe.
 */
public final class RetentionPolicy {

    private record Rule(String pattern, boolean prefix, int days) {
        boolean matches(String topic) {
            return prefix ? topic.startsWith(pattern) : topic.equals(pattern);
        }

        int specificity() {
            return prefix ? pattern.length() : Integer.MAX_VALUE;
        }
    }

    private final int defaultDays;
    private final List<Rule> rules;

    private RetentionPolicy(int defaultDays, List<Rule> rules) {
        this.defaultDays = defaultDays;
        this.rules = rules;
    }

    public static RetentionPolicy keepForever() {
        return new RetentionPolicy(0, List.of());
    }

    /**
     * Parses the configuration; a malformed rule fails the container's start with a message that shows the
     * expected form, rather than silently keeping events forever.
     */
    public static RetentionPolicy parse(int defaultDays, String topicRules) {
        if (defaultDays < 0) {
            throw new IllegalArgumentException("Default retention days must be 0 (forever) or more, got " + defaultDays);
        }
        List<Rule> rules = new ArrayList<>();
        if (topicRules != null && !topicRules.isBlank()) {
            for (String entry : topicRules.split(",")) {
                String[] parts = entry.trim().split("=");
                if (parts.length != 2) {
                    throw new IllegalArgumentException("Topic retention rule '" + entry.trim()
                            + "' is not of the form <topic or prefix.*>=<days>, e.g. log.*=14");
                }
                String pattern = parts[0].trim();
                int days;
                try {
                    days = Integer.parseInt(parts[1].trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("Topic retention rule '" + entry.trim() + "': days must be a number");
                }
                if (days < 0 || pattern.isEmpty()) {
                    throw new IllegalArgumentException("Topic retention rule '" + entry.trim()
                            + "' needs a topic pattern and 0 or more days");
                }
                boolean prefix = pattern.endsWith("*");
                rules.add(new Rule(prefix ? pattern.substring(0, pattern.length() - 1) : pattern, prefix, days));
            }
        }
        rules.sort(Comparator.comparingInt(Rule::specificity).reversed());
        return new RetentionPolicy(defaultDays, List.copyOf(rules));
    }

    /** The policy a function's environment configures: {@code DEFAULT_RETENTION_DAYS}, {@code TOPIC_RETENTION_DAYS}. */

    public int daysFor(String topic) {
        for (Rule rule : rules) {
            if (rule.matches(topic)) {
                return rule.days();
            }
        }
        return defaultDays;
    }

    /** The epoch second at which an event of this topic last updated at {@code updatedAt} expires, or null. */
    public Long expiresAt(String topic, Instant updatedAt) {
        int days = daysFor(topic);
        return days == 0 ? null : updatedAt.getEpochSecond() + days * 86_400L;
    }
}
