package herald.http;

import herald.kernel.InvalidRequestException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Method tunnelling, as DreamFactory does it: on a POST only, {@code X-HTTP-Method-Override} and the
 * {@code _method} query parameter, then {@code X-HTTP-Method}, {@code X-Method-Override} and the {@code method}
 * query parameter name the method the call really is. {@code MERGE} is {@code PATCH}. So a GitHub webhook (always
 * a POST) can call {@code .../system/cache/{name}?method=DELETE}.
 *
 * <p>Stateless and thread-safe.
 */
public final class MethodOverride {

    private static final Set<String> TUNNELLED = Set.of("GET", "PUT", "PATCH", "DELETE", "POST");

    private MethodOverride() {
    }

    /** The method the call is carried out as: the request's own, or on a POST the tunnelled one. */
    public static String effectiveMethod(ApiRequest request) {
        String method = request.method().toUpperCase(Locale.ROOT);
        if (!method.equals("POST")) {
            return method;
        }
        Optional<String> override = first(request.header("x-http-method-override"), request.queryParameter("_method"),
                request.header("x-http-method"), request.header("x-method-override"), request.queryParameter("method"));
        if (override.isEmpty()) {
            return method;
        }
        String tunnelled = override.get().trim().toUpperCase(Locale.ROOT);
        if (tunnelled.equals("MERGE")) {
            tunnelled = "PATCH";
        }
        if (!TUNNELLED.contains(tunnelled)) {
            throw new InvalidRequestException("The method override '" + override.get()
                    + "' is not a method Herald tunnels over POST; use GET, PUT, PATCH or DELETE");
        }
        return tunnelled;
    }

    @SafeVarargs
    private static Optional<String> first(Optional<String>... candidates) {
        for (Optional<String> candidate : candidates) {
            Optional<String> value = candidate.filter(v -> !v.isBlank());
            if (value.isPresent()) {
                return value;
            }
        }
        return Optional.empty();
    }
}
