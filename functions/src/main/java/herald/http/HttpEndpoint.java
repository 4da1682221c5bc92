package herald.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import herald.auth.Permissions;
import herald.auth.Principal;
import herald.kernel.MethodNotAllowedException;
import herald.kernel.NotFoundException;
import herald.scripting.CacheStamps;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.MDC;

/**
 * The HTTP side of one function of the template: it takes the function's routes from {@link Routes}, requires a
 * handler for each (checked when the container starts, so a route without code, or code without a route, never
 * deploys), and for every request resolves the route, checks the key and role as the route's {@link Access} says
 * (before anything of the request is read), runs the
 * route's event scripts around the handler, and turns every failure into {@code {"code","detail"}}.
 *
 * <p>Immutable and thread-safe when its handlers are.
 */
public final class HttpEndpoint {

    /** The work of one route: read the request, call the domain, shape the answer. */
    @FunctionalInterface
    public interface Handler {
        APIGatewayV2HTTPResponse handle(ApiRequest request);
    }

    private final String function;
    private final Map<String, Handler> handlers;
    private final ScriptHooks scripts;
    private final CacheStamps stamps;

    private HttpEndpoint(String function, Map<String, Handler> handlers, ScriptHooks scripts, CacheStamps stamps) {
        this.function = function;
        this.handlers = Map.copyOf(handlers);
        this.scripts = scripts;
        this.stamps = stamps;
    }

    public static Builder of(String function) {
        return new Builder(function);
    }

    public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event) {
        ApiRequest received = ApiRequest.of(event);
        // every log line of the call names it, and then its caller (logback.xml puts both in the JSON)
        MDC.put("requestId", received.requestId());
        try {
            return respond(received);
        } finally {
            MDC.remove("requestId");
            MDC.remove("caller");
        }
    }

    private APIGatewayV2HTTPResponse respond(ApiRequest received) {
        return RequestGuard.respond(received, () -> {
            // the call's one stamp read, when it needs it: key changes since a cached authorization, and the script
            // cache's state
            ApiRequest request = stamps == null ? received : received.withStamps(stamps);
            Route route = Routes.byKey(request.routeKey()).filter(r -> r.function().equals(function))
                    .orElseThrow(() -> new NotFoundException(function + " has no route " + request.routeKey()));
            boolean open = route.access() == Access.PUBLIC || route.access() == Access.SIGNED;
            // on open routes a valid key still makes the caller known, so that scripts run for it
            Principal caller = open ? request.optionalPrincipal().orElse(null) : request.principal();
            if (caller != null) {
                MDC.put("caller", caller.name());
            }
            if (!open) {
                // the route's role, before anything of the request is read; the domain checks the finer rights
                if (route.access() == Access.ADMIN) {
                    Permissions.requireAdmin(caller, "call " + route.key());
                } else if (route.access() == Access.SERVICE) {
                    Permissions.requireManager(caller, "call " + route.key());
                }
            }
            if (route.tunnelledAs() != null && !route.tunnelledAs().equals(MethodOverride.effectiveMethod(request))) {
                throw new MethodNotAllowedException(request.method() + " " + route.path() + " is a "
                        + route.tunnelledAs() + " carried over POST: add ?method=" + route.tunnelledAs()
                        + " (or the X-HTTP-Method-Override header), or send " + route.tunnelledAs() + " itself");
            }
            Handler handler = handlers.get(route.tunnelledAs() != null ? route.executedKey(request.method()) : route.key());
            return route.scriptable() ? scripts.around(route, request, caller, handler::handle) : handler.handle(request);
        });
    }

    /** Collects a function's handlers, one per route key of {@link Routes#of}. */
    public static final class Builder {
        private final String function;
        private final Map<String, Handler> handlers = new LinkedHashMap<>();

        private Builder(String function) {
            this.function = function;
        }

        public Builder on(String routeKey, Handler handler) {
            if (handlers.put(routeKey, handler) != null) {
                throw new IllegalStateException(function + " handles " + routeKey + " twice");
            }
            return this;
        }

        /** The same handler for several routes (the two kinds of script share theirs). */
        public Builder on(List<String> routeKeys, Handler handler) {
            routeKeys.forEach(key -> on(key, handler));
            return this;
        }

        /**
         * The endpoint, checking every call's key against the changes {@code stamps} records (null: the function
         * has no stamp table, and only expiry is checked) and running {@code scripts} around the scriptable routes.
         */
        public HttpEndpoint build(ScriptHooks scripts, CacheStamps stamps) {
            Set<String> declared = new TreeSet<>();
            for (Route route : Routes.of(function)) {
                if (route.tunnelledAs() == null) {
                    declared.add(route.key());
                }
            }
            if (!declared.equals(handlers.keySet())) {
                Set<String> missing = new TreeSet<>(declared);
                missing.removeAll(handlers.keySet());
                Set<String> extra = new TreeSet<>(handlers.keySet());
                extra.removeAll(declared);
                throw new IllegalStateException(function + ": routes without a handler " + missing
                        + ", handlers without a route " + extra + " (herald.http.Routes is the table)");
            }
            return new HttpEndpoint(function, handlers, scripts, stamps);
        }
    }
}
