package herald.kernel;

import java.util.Map;
import java.util.Optional;

/**
 * The environment a function runs with: in Lambda the process environment, locally the variables the
 * local runtime resolved from {@code template.yaml}. Handlers read every setting through this class, so
 * tests and the local runtime can hand them another environment without touching the process.
 *
 * <p>Immutable and thread-safe.
 */
public final class Environment {

    private final Map<String, String> variables;

    public Environment(Map<String, String> variables) {
        this.variables = Map.copyOf(variables);
    }

    /** The process environment, as Lambda provides it. */
    public static Environment fromSystem() {
        return new Environment(System.getenv());
    }

    public Optional<String> optional(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    /** A variable the function cannot work without; a missing one fails the container's start, not a request. */
    public String required(String name) {
        return optional(name).orElseThrow(() -> new IllegalStateException(
                "Environment variable " + name + " is not set; template.yaml must pass it to this function"));
    }

    /** A true/false variable, read by {@link Flags}; a value that is neither fails the container's start. */
    public boolean flag(String name, boolean defaultValue) {
        try {
            return Flags.parse("Environment variable " + name, optional(name).orElse(null)).orElse(defaultValue);
        } catch (InvalidRequestException e) {
            throw new IllegalStateException(e.getMessage());
        }
    }

    public int integer(String name, int defaultValue) {
        String value = optional(name).orElse(null);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("Environment variable " + name + " must be an integer, got '" + value + "'");
        }
    }
}
