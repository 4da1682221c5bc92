package herald.http;

import java.util.Locale;
import java.util.Objects;

/**
 * One route of the HTTP API as template.yaml declares it (a test holds {@link Routes} equal to the template): the
 * function that serves it, its method and path template, who may call it, whether it fires event scripts, and,
 * for the few routes that exist only to carry a tunnelled call (DreamFactory's {@code POST ...?method=DELETE}, which
 * GitHub's webhooks need), the method it is carried out as.
 *
 * <p>Immutable and thread-safe.
 */
public record Route(String function, String method, String path, Access access, boolean scriptable,
        String tunnelledAs) {

    /** The route key of API Gateway's {@code $default} route, which takes every request no other route takes. */
    public static final String DEFAULT = "$default";

    public Route {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(access, "access");
    }

    /** {@code "POST /api/events"}, as API Gateway names the route in an event, or {@code $default}. */
    public String key() {
        return isDefault() ? DEFAULT : method + " " + path;
    }

    public boolean isDefault() {
        return method.equals(DEFAULT);
    }

    /** A route that takes every method ({@code ANY}), such as the scripted services'. */
    public boolean anyMethod() {
        return method.equals("ANY");
    }

    /**
     * The method a request on this route is carried out as, which names its event scripts: the tunnelled one for a
     * tunnelling route, the request's own for an {@code ANY} route, else the route's. A method-override header on
     * any other route changes nothing, so a header cannot make Herald run one verb's scripts around another's work.
     */
    public String executedMethod(String requestMethod) {
        if (tunnelledAs != null) {
            return tunnelledAs;
        }
        return anyMethod() ? requestMethod.toUpperCase(Locale.ROOT) : method;
    }

    /** The route a tunnelling route's call is carried out as ({@code DELETE /api/v2/system/cache}), else itself. */
    public String executedKey(String requestMethod) {
        return isDefault() ? DEFAULT : executedMethod(requestMethod) + " " + path;
    }
}
