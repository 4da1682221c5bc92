package herald.http;

import static herald.http.Access.ADMIN;
import static herald.http.Access.ANY_KEY;
import static herald.http.Access.PUBLIC;
import static herald.http.Access.SERVICE;
import static herald.http.Access.SIGNED;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every route of Herald's HTTP API: the one table that the entry points dispatch by, that names the event scripts
 * a call fires and lists them ({@code GET /api/v2/system/event}), and that the access matrix, the API docs and the
 * console read. template.yaml is the source of the routes themselves; {@code RouteTableIT} fails on any
 * difference between the two (a route, its function, its authorizer).
 *
 * <p>Immutable and thread-safe.
 */
public final class Routes {

    private static final List<Route> ALL;
    private static final Map<String, Route> BY_KEY = new LinkedHashMap<>();

    static {
        List<Route> routes = new ArrayList<>();
        // ServerFunction: what Ayon's clients read when they connect
        routes.add(route("ServerFunction", "GET", "/", PUBLIC, false));
        routes.add(route("ServerFunction", "GET", "/api/info", PUBLIC, true));
        // the contracts, served without a key as Ayon serves its own
        routes.add(route("ServerFunction", "GET", "/openapi.json", PUBLIC, false));
        routes.add(route("ServerFunction", "GET", "/asyncapi.json", PUBLIC, false));
        routes.add(route("ServerFunction", "GET", "/docs", PUBLIC, false));
        routes.add(route("ServerFunction", "GET", "/docs/{asset}", PUBLIC, false));
        routes.add(route("ServerFunction", "GET", "/api/users/me", ANY_KEY, true));
        routes.add(route("ServerFunction", "GET", "/api/users", ANY_KEY, true));
        routes.add(route("ServerFunction", "GET", "/api/users/{name}", ANY_KEY, true));
        routes.add(route("ServerFunction", "GET", "/api/attributes", ANY_KEY, true));
        routes.add(route("ServerFunction", "GET", "/api/projects", ANY_KEY, true));
        routes.add(route("ServerFunction", "POST", "/api/projects", ADMIN, true));
        routes.add(route("ServerFunction", "GET", "/api/projects/{name}", ANY_KEY, true));
        routes.add(route("ServerFunction", "PATCH", "/api/projects/{name}", ADMIN, true));
        routes.add(route("ServerFunction", "DELETE", "/api/projects/{name}", ADMIN, true));
        // ConsoleFunction: the web console, a client of this API like any other
        routes.add(route("ConsoleFunction", "GET", "/console", PUBLIC, false));
        routes.add(route("ConsoleFunction", "GET", "/console/{asset}", PUBLIC, false));
        routes.add(new Route("ServerFunction", Route.DEFAULT, "", PUBLIC, false, null));
        // EventsFunction: the events API of the Ayon contract
        routes.add(route("EventsFunction", "POST", "/api/events", SERVICE, true));
        routes.add(route("EventsFunction", "GET", "/api/events/{id}", ANY_KEY, true));
        routes.add(route("EventsFunction", "PATCH", "/api/events/{id}", ANY_KEY, true));
        routes.add(route("EventsFunction", "DELETE", "/api/events/{id}", SERVICE, true));
        routes.add(route("EnrollFunction", "POST", "/api/enroll", SERVICE, true));
        // QueryFunction: listings
        routes.add(route("QueryFunction", "POST", "/graphql", ANY_KEY, true));
        routes.add(route("QueryFunction", "GET", "/api/events", ANY_KEY, true));
        // ScriptsFunction: event scripts, scripted services, the script cache and its GitHub webhook
        routes.add(route("ScriptsFunction", "GET", "/api/v2/system/event", ADMIN, true));
        for (String kind : List.of("event_script", "service")) {
            String base = "/api/v2/system/" + kind;
            routes.add(route("ScriptsFunction", "GET", base, ADMIN, true));
            routes.add(route("ScriptsFunction", "POST", base, ADMIN, true));
            routes.add(route("ScriptsFunction", "GET", base + "/{name}", ADMIN, true));
            routes.add(route("ScriptsFunction", "POST", base + "/{name}", ADMIN, true));
            routes.add(route("ScriptsFunction", "PUT", base + "/{name}", ADMIN, true));
            routes.add(route("ScriptsFunction", "PATCH", base + "/{name}", ADMIN, true));
            routes.add(route("ScriptsFunction", "DELETE", base + "/{name}", ADMIN, true));
            routes.add(route("ScriptsFunction", "POST", base + "/{name}/restore", ADMIN, true));
            routes.add(route("ScriptsFunction", "POST", base + "/{name}/dry_run", ADMIN, false));
        }
        for (String path : List.of("/api/v2/system/cache", "/api/v2/system/cache/{name}",
                "/api/v2/system/cache/_event/{event_name}")) {
            routes.add(route("ScriptsFunction", "DELETE", path, ADMIN, true));
            // DreamFactory's webhook URL: GitHub can only POST, so the POST carries ?method=DELETE
            routes.add(new Route("ScriptsFunction", "POST", path, ADMIN, true, "DELETE"));
        }
        routes.add(route("ScriptsFunction", "POST", "/api/v2/system/webhook/github", SIGNED, true));
        // ScriptedServiceFunction: every method of a scripted service
        routes.add(route("ScriptedServiceFunction", "ANY", "/api/v2/{service}", ANY_KEY, true));
        routes.add(route("ScriptedServiceFunction", "ANY", "/api/v2/{service}/{proxy+}", ANY_KEY, true));
        // ApiKeysFunction: key management fires no scripts, because its answers carry keys no script may see
        String keys = "/api/v2/system/api_key";
        routes.add(route("ApiKeysFunction", "GET", keys, ADMIN, false));
        routes.add(route("ApiKeysFunction", "POST", keys, ADMIN, false));
        routes.add(route("ApiKeysFunction", "GET", keys + "/{name}", ADMIN, false));
        routes.add(route("ApiKeysFunction", "PATCH", keys + "/{name}", ADMIN, false));
        routes.add(route("ApiKeysFunction", "DELETE", keys + "/{name}", ADMIN, false));
        routes.add(route("ApiKeysFunction", "POST", keys + "/{name}/restore", ADMIN, false));
        // TriggerAdminFunction: triggers and their deliveries
        String triggers = "/api/v2/system/trigger";
        routes.add(route("TriggerAdminFunction", "GET", triggers, ADMIN, true));
        routes.add(route("TriggerAdminFunction", "POST", triggers, ADMIN, true));
        routes.add(route("TriggerAdminFunction", "POST", triggers + "/_test", ADMIN, false));
        routes.add(route("TriggerAdminFunction", "GET", triggers + "/{name}", ADMIN, true));
        routes.add(route("TriggerAdminFunction", "PATCH", triggers + "/{name}", ADMIN, true));
        routes.add(route("TriggerAdminFunction", "DELETE", triggers + "/{name}", ADMIN, true));
        routes.add(route("TriggerAdminFunction", "POST", triggers + "/{name}/restore", ADMIN, true));
        routes.add(route("TriggerAdminFunction", "GET", triggers + "/{name}/deliveries", ADMIN, true));
        routes.add(route("TriggerAdminFunction", "POST", triggers + "/{name}/deliveries/{id}/retry", ADMIN, true));
        routes.add(route("TriggerAdminFunction", "POST", triggers + "/{name}/deliveries/{id}/cancel", ADMIN, true));
        routes.add(route("TriggerAdminFunction", "POST", triggers + "/{name}/recover", ADMIN, true));
        routes.add(route("TriggerAdminFunction", "POST", triggers + "/{name}/replay", ADMIN, true));
        routes.add(route("TriggerAdminFunction", "GET", triggers + "/{name}/replay", ADMIN, true));
        routes.add(route("TriggerAdminFunction", "GET", triggers + "/{name}/replay/{id}", ADMIN, true));
        routes.add(route("TriggerAdminFunction", "POST", triggers + "/{name}/replay/{id}/cancel", ADMIN, true));
        routes.add(route("TriggerAdminFunction", "GET", "/api/v2/system/deliveries", ADMIN, true));
        ALL = Collections.unmodifiableList(routes);
        for (Route route : ALL) {
            if (BY_KEY.put(route.key(), route) != null) {
                throw new IllegalStateException("Route " + route.key() + " is declared twice");
            }
        }
    }

    private Routes() {
    }

    private static Route route(String function, String method, String path, Access access, boolean scriptable) {
        return new Route(function, method, path, access, scriptable, null);
    }

    /** Every route, in the order above. */
    public static List<Route> all() {
        return ALL;
    }

    /** The route with this key ({@code "POST /api/events"}, {@code $default}). */
    public static Optional<Route> byKey(String key) {
        return Optional.ofNullable(BY_KEY.get(key));
    }

    /** The routes a function of the template serves. */
    public static List<Route> of(String function) {
        return ALL.stream().filter(route -> route.function().equals(function)).toList();
    }
}
