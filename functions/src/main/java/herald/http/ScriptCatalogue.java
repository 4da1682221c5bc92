package herald.http;

import herald.scripting.EventNames;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every event name a script may be bound to ({@code GET /api/v2/system/event}), derived from {@link Routes}: three
 * phases for each scriptable route's name and the verb it is carried out as. The scripted services' routes fire
 * under each service's own name, with every verb.
 *
 * <p>Stateless and thread-safe.
 */
public final class ScriptCatalogue {

    private static final List<String> ANY_VERBS = List.of("get", "post", "put", "patch", "delete");

    private ScriptCatalogue() {
    }

    /** Every scriptable event name, sorted, for the scripted services named. */
    public static Set<String> eventNames(Set<String> services) {
        Set<String> names = new TreeSet<>();
        for (Route route : Routes.all()) {
            if (!route.scriptable() || route.isDefault()) {
                continue;
            }
            List<String> verbs = route.anyMethod() ? ANY_VERBS
                    : List.of(route.executedMethod(route.method()).toLowerCase(Locale.ROOT));
            if (route.path().contains("{service}")) {
                for (String service : services) {
                    add(names, EventNames.base(route.path(), Map.of("service", service)), verbs);
                }
            } else {
                add(names, EventNames.base(route.path(), Map.of()), verbs);
            }
        }
        return names;
    }

    private static void add(Set<String> names, String base, List<String> verbs) {
        if (base == null) {
            return;
        }
        for (String verb : verbs) {
            for (String phase : EventNames.PHASES) {
                names.add(EventNames.name(base, verb, phase));
            }
        }
    }
}
