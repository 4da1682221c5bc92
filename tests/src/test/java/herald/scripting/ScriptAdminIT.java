package herald.scripting;

import static herald.scripting.ScriptingIT.JSON;
import static herald.scripting.ScriptingIT.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import herald.local.LocalHerald;
import herald.testing.HeraldClient.Response;
import herald.testing.HeraldClient;
import herald.testing.LocalHeraldExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The scripting admin API, scripted services and queued scripts, through the local runtime: the scriptable names
 * generated from the routes, record validation (each a 400 that says what to fix, and nothing stored), and scripts
 * that answer routes of their own or run after the call.
 */
@ExtendWith(LocalHeraldExtension.class)
class ScriptAdminIT {

    private final HeraldClient api;
    private final LocalHerald herald;
    private final List<String> created = new ArrayList<>();

    ScriptAdminIT(HeraldClient api, LocalHerald herald) {
        this.api = api;
        this.herald = herald;
    }

    @AfterEach
    void deleteScripts() {
        created.forEach(api::delete);
        created.clear();
    }

    private Response create(String resource, String body) {
        Response response = api.post("/api/v2/system/" + resource, body);
        if (response.status() == 201) {
            response.json().path("resource").forEach(r ->
                    created.add("/api/v2/system/" + resource + "/" + r.get("name").asText()));
            if (response.json().has("name")) {
                created.add("/api/v2/system/" + resource + "/" + response.json().get("name").asText());
            }
        }
        return response;
    }


    @Test
    void theScriptableEventNamesComeFromTheRoutes() {
        create("service", "{\"name\":\"inventory\",\"content\":\"return 1;\"}");
        Response response = api.get("/api/v2/system/event");
        assertThat(response.status()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        response.json().get("resource").forEach(n -> names.add(n.asText()));
        assertThat(names).contains("events.post.pre_process", "events.get.post_process", "events.patch.queued",
                "enroll.post.pre_process", "graphql.post.post_process", "info.get.pre_process",
                "system.event_script.put.pre_process", "system.cache.delete.post_process",
                "inventory.get.pre_process", "inventory.delete.queued");
        assertThat(names).isSorted().noneMatch(n -> n.contains("{") || n.contains("}"));
    }

    @Test
    void badRecordsAreRefusedWithWhatToFixAndNothingIsStored() {
        String[][] cases = {
                {"{\"name\":\"events.post\",\"content\":\"1\"}", "is not an event name"},
                {"{\"name\":\"events.post.pre_process\",\"content\":\"1\",\"is_activ\":true}", "Unknown field 'is_activ'"},
                {"{\"name\":\"events.post.pre_process\",\"type\":\"php\",\"content\":\"1\"}", "type 'php' is not supported"},
                {"{\"name\":\"events.post.pre_process\"}", "has no source"},
                {"{\"name\":\"events.post.pre_process\",\"content\":\"const x = ;\"}", "syntax error at line 1"},
                {"{\"name\":\"events.post.pre_process\",\"storage_service\":\"s3\",\"storage_path\":\"../../etc/passwd\"}",
                        "'..' segments"},
                {"{\"name\":\"events.post.pre_process\",\"storage_service\":\"s3\",\"storage_path\":\"/abs.js\"}",
                        "must be relative"},
                {"{\"name\":\"events.post.pre_process\",\"scm_repository\":\"acme/x\",\"storage_path\":\"a\\\\b.js\"}",
                        "backslashes"},
                {"{\"name\":\"events.post.pre_process\",\"storage_service\":\"ftp\",\"storage_path\":\"a.js\"}",
                        "Unknown storage_service 'ftp'"},
                {"{\"name\":\"events.post.pre_process\",\"scm_repository\":\"not a repo\",\"storage_path\":\"a.js\"}",
                        "must be owner/repo"},
                {"{\"name\":\"events.post.pre_process\",\"content\":1}", "'content' must be a string"},
                {"{\"name\":\"events.post.pre_process\",\"content\":\"1\",\"config\":[]}", "'config' must be a JSON object"},
                {"[1,2]", "must be a JSON object"},
                {"{\"name\":", "not valid JSON"},
        };
        for (String[] c : cases) {
            Response response = api.post("/api/v2/system/event_script", c[0]);
            assertThat(response.status()).as(c[0]).isEqualTo(400);
            assertThat(response.json().get("detail").asText()).as(c[0]).contains(c[1]);
        }
        assertThat(api.get("/api/v2/system/event_script/events.post.pre_process").status()).isEqualTo(404);
        assertThat(create("service", "{\"name\":\"system\",\"content\":\"1\"}").status()).isEqualTo(400);
    }

    @Test
    void flagsAreTrueOrFalseInAnyCaseAndAnythingElseIsRefusedByName() {
        assertThat(create("service", "{\"name\":\"flagged\",\"content\":\"return 1;\"}").status()).isEqualTo(201);
        Response yes = api.get("/api/v2/system/service/flagged?refresh=yes");
        assertThat(yes.status()).isEqualTo(400);
        assertThat(yes.json().get("detail").asText()).contains("'refresh'").contains("true or false");
        assertThat(api.get("/api/v2/system/service/flagged?refresh=FALSE").status()).isEqualTo(200);
        assertThat(api.delete("/api/v2/system/service/flagged?purge=TRUE").status()).isEqualTo(200);
        assertThat(api.post("/api/v2/system/service/flagged/restore", "").status())
                .as("purged, so there is nothing to restore").isEqualTo(404);
    }

    @Test
    void scriptsAreCreatedReadReplacedPatchedAndDeleted() {
        Response bulk = create("event_script", "{\"resource\":[{\"name\":\"graphql.post.queued\",\"content\":\"return 1;\","
                + "\"is_active\":false},{\"name\":\"info.get.post_process\",\"content\":\"return 2;\",\"is_active\":false}]}");
        assertThat(bulk.status()).isEqualTo(201);
        assertThat(bulk.json().get("resource")).hasSize(2);
        assertThat(api.post("/api/v2/system/event_script", "{\"name\":\"graphql.post.queued\",\"content\":\"1\"}").status())
                .isEqualTo(409);

        JsonNode read = api.get("/api/v2/system/event_script/graphql.post.queued").json();
        assertThat(read.get("is_active").asBoolean()).isFalse();
        assertThat(read.get("allow_event_modification").asBoolean()).isFalse();
        assertThat(read.get("type").asText()).isEqualTo("javascript");
        assertThat(read.get("last_modified_by").asText()).isEqualTo("admin");

        assertThat(api.patch("/api/v2/system/event_script/graphql.post.queued", "{\"type\":\"nodejs\"}").json()
                .get("type").asText()).isEqualTo("nodejs");
        assertThat(api.put("/api/v2/system/event_script/graphql.post.queued", "{\"content\":\"return 3;\",\"is_active\":false}")
                .json().get("content").asText()).isEqualTo("return 3;");
        assertThat(api.get("/api/v2/system/event_script").json().get("resource").findValuesAsText("name"))
                .contains("graphql.post.queued", "info.get.post_process");

        assertThat(api.delete("/api/v2/system/event_script/graphql.post.queued").status()).isEqualTo(200);
        assertThat(api.get("/api/v2/system/event_script/graphql.post.queued").status()).isEqualTo(404);
        assertThat(api.delete("/api/v2/system/event_script/graphql.post.queued").status()).isEqualTo(404);
        assertThat(api.withoutKey().get("/api/v2/system/event_script").status()).isEqualTo(401);
    }

    @Test
    void aScriptedServiceAnswersItsOwnRoutes() {
        assertThat(create("service", """
                {"name": "greeting", "content": "if (event.request.method === 'DELETE') {\\n  throw {status: 409, message: 'greetings stay'};\\n}\\nreturn { hello: event.request.parameters.name || 'world', resource: event.resource, user: platform.session.user.name };"}
                """).status()).isEqualTo(201);

        Response hello = api.get("/api/v2/greeting/people/42?name=ada");
        assertThat(hello.status()).isEqualTo(200);
        assertThat(hello.json()).isEqualTo(JSON.createObjectNode().put("hello", "ada").put("resource", "people/42")
                .put("user", "admin"));
        assertThat(api.get("/api/v2/greeting").json().get("hello").asText()).isEqualTo("world");
        Response refused = api.delete("/api/v2/greeting/x");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("detail").asText()).isEqualTo("greetings stay");

        assertThat(api.get("/api/v2/nosuchservice").status()).isEqualTo(404);
        assertThat(api.get("/api/v2/system/nothing-here").status()).isEqualTo(404);
        assertThat(api.withoutKey().get("/api/v2/greeting").status()).isEqualTo(401);
    }

    @Test
    void aQueuedScriptRunsAfterTheCallFromTheEventsStream() throws Exception {
        String topic = unique("queued.source");
        assertThat(create("event_script", JSON.createObjectNode().put("name", "events.post.queued").put("content", """
                if (event.request.payload.topic === '%s') {
                  platform.dispatch({ topic: '%s.done', summary: { status: event.response.status_code,
                      id: event.response.content.id } });
                }""".formatted(topic, topic)).toString()).status()).isEqualTo(201);

        String id = api.dispatch("{\"topic\":\"" + topic + "\"}");

        JsonNode done = await("the queued script's event").atMost(Duration.ofSeconds(30))
                .until(() -> api.get("/api/events?topics=" + topic + ".done").json().get("events"), e -> !e.isEmpty())
                .get(0);
        assertThat(done.get("summary")).isEqualTo(JSON.createObjectNode().put("status", 200).put("id", id));
        assertThat(done.get("sender").asText()).isEqualTo("events.post.queued");
        assertThat(done.get("senderType").asText()).isEqualTo("script");
        JsonNode job = await("the queued call's job, finished").atMost(Duration.ofSeconds(30)).until(() -> {
            for (JsonNode candidate : api.get("/api/events?topics=script.queued&limit=100").json().get("events")) {
                if (candidate.at("/payload/event/request/payload/topic").asText().equals(topic)
                        && candidate.get("status").asText().equals("finished")) {
                    return candidate;
                }
            }
            return null;
        }, java.util.Objects::nonNull);
        assertThat(job.at("/summary/script").asText()).isEqualTo("events.post.queued");
        assertThat(job.at("/payload/event/request/headers").has("x-api-key")).as("no credentials queued").isFalse();
    }
}
