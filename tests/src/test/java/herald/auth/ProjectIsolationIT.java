package herald.auth;

import static herald.auth.ApiKeysApiIT.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import herald.local.LocalHerald;
import herald.testing.ApiKeys;
import herald.testing.HeraldClient.Response;
import herald.testing.HeraldClient;
import herald.testing.LocalHeraldExtension;
import herald.testing.SocketClient;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A key limited to projects never reads, lists, updates, deletes, enrolls on or receives an event of another
 * project, nor dispatches into one; events of no project are everybody's.
 */
@ExtendWith(LocalHeraldExtension.class)
class ProjectIsolationIT {

    private final LocalHerald herald;
    private final HeraldClient admin;
    private final String prefix = "iso" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private final String mine = prefix + "_mine";
    private final String theirs = prefix + "_theirs";

    ProjectIsolationIT(LocalHerald herald, HeraldClient admin) {
        this.herald = herald;
        this.admin = admin;
    }

    private HeraldClient limited(String role) {
        return admin.withKey(ApiKeys.create(admin, ApiKeys.uniqueName("iso-" + role), role, List.of(mine)));
    }

    private String dispatch(String topic, String project) {
        return admin.dispatch("{\"topic\":\"" + topic + "\"" + (project == null ? "" : ",\"project\":\"" + project + "\"") + "}");
    }

    @Test
    void readsAndListsOnlyItsProjects() {
        HeraldClient user = limited("user");
        String topic = prefix + ".read";
        String ours = dispatch(topic, mine);
        String other = dispatch(topic, theirs);
        String shared = dispatch(topic, null);

        assertThat(user.get("/api/events/" + ours).status()).isEqualTo(200);
        assertThat(user.get("/api/events/" + shared).status()).isEqualTo(200);
        assertError(user.get("/api/events/" + other), 403, "limited to projects");

        String listing = user.get("/api/events?topics=" + topic).body();
        assertThat(listing).contains(ours, shared).doesNotContain(other);
        Response graphql = user.post("/graphql", "{\"query\":\"{ events(topics: [\\\"" + topic + "\\\"]) { edges { node { id } } } }\"}");
        assertThat(graphql.body()).contains(ours, shared).doesNotContain(other);
        Response byProject = user.post("/graphql", "{\"query\":\"{ events(projects: [\\\"" + theirs + "\\\"]) { edges { node { id } } } }\"}");
        assertThat(byProject.body()).doesNotContain(other);
    }

    @Test
    void anotherProjectsHashIsNeverReplacedAndItsEventsAreNoDependency() {
        HeraldClient service = limited("service");
        String topic = prefix + ".walls";
        String hash = prefix + "-their-hash";
        String other = admin.dispatch("{\"topic\":\"" + topic + "\",\"project\":\"" + theirs + "\",\"hash\":\""
                + hash + "\"}");

        // reuse of a hash another project's event holds replaces nothing: the same 409 as any taken hash
        Response reused = service.post("/api/events", "{\"topic\":\"" + topic + "\",\"project\":\"" + mine
                + "\",\"hash\":\"" + hash + "\",\"reuse\":true}");
        assertError(reused, 409, "same hash already exists");
        assertThat(reused.body()).doesNotContain(other).doesNotContain(theirs);
        assertThat(admin.get("/api/events/" + other).status()).as("their event is still there").isEqualTo(200);

        // an event the key may not read is no dependency: as if it did not exist
        assertError(service.post("/api/events", "{\"topic\":\"" + topic + "\",\"project\":\"" + mine
                + "\",\"dependsOn\":\"" + other + "\"}"), 409, "non-existing event " + other);
        assertThat(admin.delete("/api/events/" + other).status()).as("nothing came to depend on it").isEqualTo(204);

        // the same key may still reuse a hash of its own project
        String own = prefix + "-own-hash";
        service.post("/api/events", "{\"topic\":\"" + topic + "\",\"project\":\"" + mine + "\",\"hash\":\"" + own + "\"}");
        assertThat(service.post("/api/events", "{\"topic\":\"" + topic + "\",\"project\":\"" + mine + "\",\"hash\":\""
                + own + "\",\"reuse\":true}").status()).isEqualTo(200);
    }

    @Test
    void aScriptRunsWithTheCallersProjectsAndNoMore() {
        String service = prefix + "svc";
        assertThat(admin.post("/api/v2/system/service", "{\"name\":\"" + service + "\",\"content\":"
                + "\"return platform.dispatch({topic: '" + prefix + ".scripted', project: event.request.parameters.p});\"}")
                .status()).isEqualTo(201);
        try {
            HeraldClient limited = limited("service");
            Response refused = limited.get("/api/v2/" + service + "?p=" + theirs);
            assertThat(refused.status()).as(refused.body()).isEqualTo(500);
            assertThat(refused.json().get("detail").asText()).contains("may not dispatch events of project");
            assertThat(limited.get("/api/v2/" + service + "?p=" + mine).status()).isEqualTo(200);
            assertThat(admin.get("/api/events?topics=" + prefix + ".scripted&projects=" + theirs).json().get("events"))
                    .as("nothing was written into the other project").isEmpty();
        } finally {
            admin.delete("/api/v2/system/service/" + service + "?purge=true");
        }
    }

    @Test
    void aQueuedScriptRunsWithTheProjectsOfTheCallerWhoCausedIt() {
        String script = "events.post.queued";
        String topic = prefix + ".queued";
        assertThat(admin.post("/api/v2/system/event_script", "{\"name\":\"" + script + "\",\"content\":"
                + "\"if (String(event.request.payload.topic).startsWith('" + prefix + ".queued')) { platform.dispatch("
                + "{topic: '" + prefix + ".leaked', project: '" + theirs + "'}); }\"}").status()).isEqualTo(201);
        try {
            HeraldClient limited = limited("service");
            String cause = limited.dispatch("{\"topic\":\"" + topic + "\",\"project\":\"" + mine + "\"}");
            // the job the call left runs later, from the stream, as the limited key's caller: its dispatch is refused
            org.awaitility.Awaitility.await("the queued job ends").atMost(java.time.Duration.ofSeconds(20))
                    .pollInterval(java.time.Duration.ofMillis(50))
                    .until(() -> jobOf(cause) != null && !jobOf(cause).get("status").asText().equals("pending"));
            assertThat(jobOf(cause).get("status").asText()).isEqualTo("failed");
            assertThat(admin.get("/api/events?topics=" + prefix + ".leaked").json().get("events"))
                    .as("nothing was written into the other project").isEmpty();
        } finally {
            admin.delete("/api/v2/system/event_script/" + script + "?purge=true");
        }
    }

    /** The queued-script job that a call with this dispatched event left (its payload holds the call). */
    private JsonNode jobOf(String eventId) {
        for (JsonNode job : admin.get("/api/events?topics=script.queued&limit=200").json().get("events")) {
            JsonNode full = admin.get("/api/events/" + job.get("id").asText()).json();
            if (full.path("payload").path("event").path("response").path("content").path("id").asText()
                    .equals(eventId)) {
                return full;
            }
        }
        return null;
    }

    @Test
    void writesOnlyIntoItsProjects() {
        HeraldClient service = limited("service");
        String topic = prefix + ".write";
        String other = dispatch(topic, theirs);
        String ours = dispatch(topic, mine);

        assertError(service.post("/api/events", "{\"topic\":\"" + topic + "\",\"project\":\"" + theirs + "\"}"), 403,
                "may not dispatch events of project");
        assertError(service.patch("/api/events/" + other, "{\"description\":\"mine now\"}"), 403, "limited to projects");
        assertError(service.patch("/api/events/" + ours, "{\"project\":\"" + theirs + "\"}"), 403, "move events");
        assertError(service.delete("/api/events/" + other), 403, "limited to projects");

        JsonNode untouched = admin.get("/api/events/" + other).json();
        assertThat(untouched.get("description").asText()).isNotEqualTo("mine now");
        assertThat(admin.get("/api/events/" + ours).json().get("project").asText()).isEqualTo(mine);
        assertThat(admin.get("/api/events?topics=" + topic).json().get("events")).hasSize(2);

        assertThat(service.patch("/api/events/" + ours, "{\"description\":\"ours\"}").status()).isEqualTo(204);
        assertThat(service.delete("/api/events/" + ours).status()).isEqualTo(204);
    }

    @Test
    void enrollHandsOutOnlySourcesOfItsProjects() {
        HeraldClient worker = limited("service");
        String source = prefix + ".src";
        String target = prefix + ".job";
        Set<String> visible = Set.of(dispatch(source, mine), dispatch(source, null));
        String other = dispatch(source, theirs);
        String enroll = "{\"sourceTopic\":\"" + source + "\",\"targetTopic\":\"" + target + "\",\"sender\":\"w\"}";

        Set<String> taken = new HashSet<>();
        for (Response job = worker.post("/api/enroll", enroll); job.status() == 200; job = worker.post("/api/enroll", enroll)) {
            taken.add(job.json().get("dependsOn").asText());
            admin.patch("/api/events/" + job.json().get("id").asText(), "{\"status\":\"finished\"}");
        }
        assertThat(taken).isEqualTo(visible);
        Response forOthers = admin.post("/api/enroll", enroll);
        assertThat(forOthers.status()).isEqualTo(200);
        assertThat(forOthers.json().get("dependsOn").asText()).isEqualTo(other);
    }

    @Test
    void receivesOverWebSocketOnlyEventsOfItsProjects() throws Exception {
        String key = ApiKeys.create(admin, ApiKeys.uniqueName("iso-socket"), "user", List.of(mine));
        String topic = prefix + ".live";
        SocketClient limited = SocketClient.subscribed(herald, key, topic, 1);
        SocketClient witness = SocketClient.subscribed(herald, LocalHeraldExtension.API_KEY, topic, 2);

        String other = dispatch(topic, theirs);
        assertThat(witness.next(other)).isNotNull();
        String ours = dispatch(topic, mine);
        String shared = dispatch(topic, null);
        limited.next(shared);
        assertThat(limited.all).extracting(m -> m.path("id").asText()).contains(ours, shared).doesNotContain(other);
    }

    @Test
    void aWrongOrRevokedKeyCannotConnect() throws Exception {
        String name = ApiKeys.uniqueName("iso-revoked");
        String key = ApiKeys.create(admin, name, "user", null);
        admin.patch("/api/v2/system/api_key/" + name, "{\"revoked\":true}");
        for (String refused : List.of(key, "hk_nothing")) {
            Throwable failure = null;
            try {
                SocketClient.connect(herald, "?token=" + refused);
            } catch (Exception e) {
                failure = e;
            }
            assertThat(failure).as("connecting with " + refused).isNotNull();
        }
    }
}
