package herald.scripting;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * DreamFactory's event names for Herald's routes: {@code {service}.{resource}.{verb}.{phase}}. The name comes from
 * the route's path template: the {@code /api/v2/} or {@code /api/} prefix goes, the literal segments are joined
 * with dots, and path parameters are left out (they reach the script as {@code event.resource}), except
 * {@code {service}}, which is the scripted service's own name. So {@code POST /api/events} is
 * {@code events.post.*}, {@code PATCH /api/events/{id}} is {@code events.patch.*} and
 * {@code DELETE /api/v2/system/cache/{name}} is {@code system.cache.delete.*}. The verb is lower case: the
 * method the route is carried out as.
 *
 * <p>Stateless and thread-safe.
 */
public final class EventNames {

    public static final String PRE_PROCESS = "pre_process";
    public static final String POST_PROCESS = "post_process";
    public static final String QUEUED = "queued";
    public static final List<String> PHASES = List.of(PRE_PROCESS, POST_PROCESS, QUEUED);

    private EventNames() {
    }

    /** The {@code service.resource} part for a route path template and its path parameters; null if not scriptable. */
    public static String base(String routePath, Map<String, String> pathParameters) {
        String path = routePath;
        if (path.startsWith("/api/v2/")) {
            path = path.substring("/api/v2/".length());
        } else if (path.startsWith("/api/")) {
            path = path.substring("/api/".length());
        } else if (path.startsWith("/")) {
            path = path.substring(1);
        }
        List<String> parts = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            if (segment.equals("{service}")) {
                String service = pathParameters.get("service");
                if (service == null || service.isEmpty()) {
                    return null;
                }
                parts.add(service.toLowerCase(Locale.ROOT));
            } else if (!segment.startsWith("{")) {
                parts.add(segment);
            }
        }
        return parts.isEmpty() ? null : String.join(".", parts);
    }



    public static String name(String base, String verb, String phase) {
        return base + "." + verb.toLowerCase(Locale.ROOT) + "." + phase;
    }

    /** The service an event name belongs to: its first segment. */
    public static String serviceOf(String eventName) {
        int dot = eventName.indexOf('.');
        return dot < 0 ? eventName : eventName.substring(0, dot);
    }
}
