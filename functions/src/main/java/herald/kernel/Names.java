package herald.kernel;

import java.util.regex.Pattern;

/** The naming rules of the Ayon contract for topics and for names (projects, senders). */
public final class Names {

    /** Ayon's TOPIC_REGEX: 3 to 65 characters, starting with a letter; {@code *} is allowed. */
    private static final Pattern TOPIC = Pattern.compile("^[a-zA-Z][a-zA-Z0-9_.*]{2,64}$");
    /** Ayon's NAME_REGEX, with a length bound so a name always fits in a DynamoDB key. */
    private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9_]([a-zA-Z0-9_.\\-]*[a-zA-Z0-9_])?$");
    private static final int MAX_NAME_LENGTH = 255;

    private Names() {
    }

    public static boolean isTopic(String value) {
        return value != null && TOPIC.matcher(value).matches();
    }

    public static boolean isName(String value) {
        return value != null && value.length() <= MAX_NAME_LENGTH && NAME.matcher(value).matches();
    }

    public static String requireTopic(String field, String value) {
        if (!isTopic(value)) {
            throw new InvalidRequestException("Invalid " + field + " '" + abbreviate(value) + "': a topic is 3 to 65 "
                    + "characters, starts with a letter and holds only letters, digits, '_', '.' and '*'");
        }
        return value;
    }

    /** A topic an event is dispatched to: a wildcard names many topics, so it is not one. */
    public static String requireConcreteTopic(String field, String value) {
        requireTopic(field, value);
        if (value.indexOf('*') >= 0) {
            throw new InvalidRequestException("Invalid " + field + " '" + value
                    + "': an event's topic must not contain the wildcard '*'");
        }
        return value;
    }

    public static String requireName(String field, String value) {
        if (!isName(value)) {
            throw new InvalidRequestException("Invalid " + field + " '" + abbreviate(value) + "': a name is 1 to "
                    + MAX_NAME_LENGTH + " characters of letters, digits, '_', '.' and '-', and starts and ends "
                    + "with a letter, digit or '_'");
        }
        return value;
    }

    /** A topic pattern as a regex: {@code *} matches any run of characters, everything else itself. */
    public static Pattern wildcard(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (String part : pattern.split("\\*", -1)) {
            if (regex.length() > 0 || pattern.startsWith("*")) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }

    /** DynamoDB's limit on a sort key (and the smaller of its two key limits), in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 1024;

    /**
     * Whether a value can be a DynamoDB key at all: a longer one names nothing that is stored, so a lookup by it is
     * answered as "not found" without asking DynamoDB (which would refuse the request).
     */
    public static boolean fitsKey(String value) {
        return value != null && !value.isEmpty()
                && value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= MAX_KEY_BYTES - 64;
    }

    public static String abbreviate(String value) {
        if (value == null) {
            return "null";
        }
        return value.length() <= 80 ? value : value.substring(0, 77) + "...";
    }
}
