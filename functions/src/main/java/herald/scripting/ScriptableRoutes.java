package herald.scripting;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every route of Herald's HTTP API, as template.yaml declares it (a test holds the two equal), and the scriptable
 * event names they fire, which {@code GET /api/v2/system/event} lists. Routes whose path gives no name
 * ({@code GET /}, {@code $default}) fire nothing.
 *
 * <p>Immutable and thread-safe.
 */
public final class ScriptableRoutes {

    /** Method and path of every HTTP API route. */
    public static final List<String> ROUTES = List.of(
            "GET /",
            "GET /api/info",
            "GET /api/users/me",
            "GET /api/attributes",
            "POST /api/events",
            "GET /api/events",
            "GET /api/events/{id}",
            "PATCH /api/events/{id}",
            "DELETE /api/events/{id}",
            "POST /api/enroll",
            "POST /graphql",
            "GET /api/v2/system/event",
            "GET /api/v2/system/event_script",
            "POST /api/v2/system/event_script",
            "GET /api/v2/system/event_script/{name}",
            "POST /api/v2/system/event_script/{name}",
            "PUT /api/v2/system/event_script/{name}",
            "PATCH /api/v2/system/event_script/{name}",
            "DELETE /api/v2/system/event_script/{name}",
            "POST /api/v2/system/event_script/{name}/restore",
            "GET /api/v2/system/service",
            "POST /api/v2/system/service",
            "GET /api/v2/system/service/{name}",
            "POST /api/v2/system/service/{name}",
            "PUT /api/v2/system/service/{name}",
            "PATCH /api/v2/system/service/{name}",
            "DELETE /api/v2/system/service/{name}",
            "POST /api/v2/system/service/{name}/restore",
            "DELETE /api/v2/system/cache",
            "POST /api/v2/system/cache",
            "DELETE /api/v2/system/cache/{name}",
            "POST /api/v2/system/cache/{name}",
            "DELETE /api/v2/system/cache/_event/{event_name}",
            "POST /api/v2/system/cache/_event/{event_name}",
            "POST /api/v2/system/webhook/github",
            "GET /api/v2/system/api_key",
            "POST /api/v2/system/api_key",
            "GET /api/v2/system/api_key/{name}",
            "PATCH /api/v2/system/api_key/{name}",
            "DELETE /api/v2/system/api_key/{name}",
            "POST /api/v2/system/api_key/{name}/restore",
            "GET /api/v2/system/trigger",
            "POST /api/v2/system/trigger",
            "GET /api/v2/system/trigger/{name}",
            "PATCH /api/v2/system/trigger/{name}",
            "DELETE /api/v2/system/trigger/{name}",
            "POST /api/v2/system/trigger/{name}/restore",
            "GET /api/v2/system/trigger/{name}/deliveries",
            "POST /api/v2/system/trigger/{name}/deliveries/{id}/retry",
            "ANY /api/v2/{service}",
            "ANY /api/v2/{service}/{proxy+}");

    /** Routes that fire no scripts: key management, whose answers carry keys no script may see. */
    public static final Set<String> UNSCRIPTED = Set.of(
            "GET /api/v2/system/api_key",
            "POST /api/v2/system/api_key",
            "GET /api/v2/system/api_key/{name}",
            "PATCH /api/v2/system/api_key/{name}",
            "DELETE /api/v2/system/api_key/{name}",
            "POST /api/v2/system/api_key/{name}/restore");

    private static final List<String> ANY_VERBS = List.of("get", "post", "put", "patch", "delete");

    private ScriptableRoutes() {
    }

    /**
     * Every scriptable event name, sorted: three phases for each route's name and verb. The scripted services'
     * routes fire under each service's own name, so {@code services} are listed with every verb.
     */
    public static Set<String> eventNames(Set<String> services) {
        Set<String> names = new TreeSet<>();
        for (String route : ROUTES) {
            if (UNSCRIPTED.contains(route)) {
                continue;
            }
            String method = route.substring(0, route.indexOf(' ')).toLowerCase(Locale.ROOT);
            String path = route.substring(route.indexOf(' ') + 1);
            if (path.contains("{service}")) {
                for (String service : services) {
                    addAll(names, EventNames.base(path, Map.of("service", service)), method);
                }
            } else {
                addAll(names, EventNames.base(path, Map.of()), method);
            }
        }
        return names;
    }

    private static void addAll(Set<String> names, String base, String method) {
        if (base == null) {
            return;
        }
        for (String verb : method.equals("any") ? ANY_VERBS : List.of(method)) {
            for (String phase : EventNames.PHASES) {
                names.add(EventNames.name(base, verb, phase));
            }
        }
    }
}
