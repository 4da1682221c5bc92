package herald.query;

import static org.assertj.core.api.Assertions.assertThat;

import herald.testing.ApiKeys;
import herald.testing.HeraldClient.Response;
import herald.testing.HeraldClient;
import herald.testing.LocalHeraldExtension;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code GET /api/events?dependsOn=<id>}: the events that depend on one (its jobs), from the byDependsOn index. */
@ExtendWith(LocalHeraldExtension.class)
class DependantsIT {

    private final HeraldClient admin;

    DependantsIT(HeraldClient admin) {
        this.admin = admin;
    }

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    private List<String> dependants(HeraldClient client, String id) {
        Response listed = client.get("/api/events?dependsOn=" + id);
        assertThat(listed.status()).as(listed.body()).isEqualTo(200);
        assertThat(listed.json().get("cursor").isNull()).isTrue();
        return listed.json().findValuesAsText("id");
    }

    @Test
    void theEventsThatDependOnOneAreListedNewestFirst() {
        String project = unique("dep");
        String source = admin.dispatch("{\"topic\":\"dependants.source\",\"project\":\"" + project + "\"}");
        String first = admin.dispatch("{\"topic\":\"dependants.job.a\",\"dependsOn\":\"" + source + "\",\"project\":\""
                + project + "\"}");
        String second = admin.dispatch("{\"topic\":\"dependants.job.b\",\"dependsOn\":\"" + source + "\"}");
        String unrelated = admin.dispatch("{\"topic\":\"dependants.job.c\"}");

        assertThat(dependants(admin, source)).containsExactly(second, first).doesNotContain(unrelated);
        assertThat(dependants(admin, first)).isEmpty();
        assertThat(admin.get("/api/events?dependsOn=" + source + "&limit=1").json().get("events")).hasSize(1);

        // a key limited to another project sees the dependant of no project only
        String limited = ApiKeys.create(admin, ApiKeys.uniqueName("dependants"), "user", List.of(unique("other")));
        assertThat(dependants(admin.withKey(limited), source)).containsExactly(second);
    }

    @Test
    void dependsOnTakesAnIdAndOnlyALimit() {
        Response malformed = admin.get("/api/events?dependsOn=not-an-id");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("detail").asText()).contains("dependsOn");
        Response combined = admin.get("/api/events?dependsOn=0123456789abcdef0123456789abcdef&topics=a.b");
        assertThat(combined.status()).isEqualTo(400);
        assertThat(combined.json().get("detail").asText()).contains("only 'limit'", "topics");
    }
}
