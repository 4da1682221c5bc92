package herald.query;

import static org.assertj.core.api.Assertions.assertThat;

import herald.auth.Principal;
import herald.auth.Role;
import herald.events.TopicRegistry;
import herald.local.LocalHerald;
import herald.testing.HeraldClient;
import herald.testing.LocalHeraldExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Project scoping of listings: a caller limited to projects sees only their events (and events of no project),
 * whichever filters it sends. Keys limited to projects come with access control; the scope is enforced here
 * already, on the query engine the handler uses.
 */
@ExtendWith(LocalHeraldExtension.class)
class QueryScopeIT {

    private final HeraldClient api;
    private final EventsGraphql graphql;
    private final String prefix = "sc" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    QueryScopeIT(HeraldClient api, LocalHerald herald) {
        this.api = api;
        Map<String, String> environment = herald.functionEnvironment("QueryFunction");
        this.graphql = new EventsGraphql(new QueryStore(herald.dynamoDb(), environment.get("EVENTS_TABLE"),
                new TopicRegistry(herald.dynamoDb(), environment.get("TOPICS_TABLE"))),
                new herald.keys.Users(new herald.auth.ApiKeyStore(herald.dynamoDb(), environment.get("API_KEYS_TABLE")),
                        java.time.Clock.systemUTC()));
    }

    @SuppressWarnings("unchecked")
    private List<String> ids(String arguments, Principal caller) {
        Map<String, Object> result = graphql.execute("{ events(" + arguments + ") { edges { node { id } } } }",
                Map.of(), null, caller);
        Map<String, Object> events = (Map<String, Object>) ((Map<String, Object>) result.get("data")).get("events");
        List<String> ids = new ArrayList<>();
        for (Object edge : (List<Object>) events.get("edges")) {
            ids.add((String) ((Map<String, Object>) ((Map<String, Object>) edge).get("node")).get("id"));
        }
        return ids;
    }

    @Test
    void aCallerLimitedToProjectsSeesOnlyThoseAndProjectlessEvents() {
        String mine = api.dispatch("{\"topic\":\"" + prefix + ".a\",\"project\":\"" + prefix + "_mine\"}");
        String theirs = api.dispatch("{\"topic\":\"" + prefix + ".a\",\"project\":\"" + prefix + "_theirs\"}");
        String shared = api.dispatch("{\"topic\":\"" + prefix + ".a\"}");
        Principal limited = new Principal("limited", Role.ADMIN, Set.of(prefix + "_mine"));
        Principal everyone = new Principal("admin", Role.ADMIN, null);

        assertThat(ids("topics: [\"" + prefix + ".*\"]", everyone)).containsExactly(mine, theirs, shared);
        assertThat(ids("topics: [\"" + prefix + ".*\"]", limited)).containsExactly(mine, shared);
        assertThat(ids("projects: [\"" + prefix + "_theirs\"]", limited)).isEmpty();
        assertThat(ids("ids: [\"" + theirs + "\", \"" + mine + "\"]", limited)).containsExactly(mine);
    }
}
