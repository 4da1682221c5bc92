package herald.scripting;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.local.LocalHerald;
import herald.testing.FakeGitHub;
import herald.testing.HeraldClient.Response;
import herald.testing.HeraldClient;
import herald.testing.LocalHeraldExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Event scripting end to end: scripts created through the admin API, run by the real handlers of the local
 * runtime around real calls, with sources inline, in the local S3 server and in a local GitHub stand-in.
 * Every script a test binds is deleted after it, so other test classes sharing the runtime never meet it.
 */
@ExtendWith(LocalHeraldExtension.class)
class ScriptingIT {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HeraldClient api;
    private final LocalHerald herald;
    private final FakeGitHub gitHub;
    private final List<String> created = new ArrayList<>();

    ScriptingIT(HeraldClient api, LocalHerald herald, FakeGitHub gitHub) {
        this.api = api;
        this.herald = herald;
        this.gitHub = gitHub;
    }

    @AfterEach
    void deleteScripts() {
        for (String path : created) {
            api.delete(path);
        }
        created.clear();
    }

    static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    static String encode(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8);
    }

    /** Creates an event script; the test's scripts are deleted after it. */
    Response script(String name, String content, boolean allowModification, String... more) {
        ObjectNode record = JSON.createObjectNode().put("name", name).put("type", "javascript")
                .put("allow_event_modification", allowModification);
        if (content != null) {
            record.put("content", content);
        }
        for (int i = 0; i < more.length; i += 2) {
            record.put(more[i], more[i + 1]);
        }
        Response response = api.post("/api/v2/system/event_script", record.toString());
        if (response.status() == 201) {
            created.add("/api/v2/system/event_script/" + encode(name));
        }
        return response;
    }

    JsonNode event(String id) {
        Response response = api.get("/api/events/" + id);
        assertThat(response.status()).isEqualTo(200);
        return response.json();
    }

    List<JsonNode> logsOf(String script) {
        Response response = api.get("/api/events?topics=log.script&includeLogs=true&limit=500");
        assertThat(response.status()).isEqualTo(200);
        List<JsonNode> logs = new ArrayList<>();
        response.json().get("events").forEach(e -> {
            if (e.at("/summary/script").asText().equals(script)) {
                logs.add(e);
            }
        });
        return logs;
    }

    @Test
    void aPreProcessScriptRewritesTheDispatchedEventsPayload() {
        String topic = unique("scripting.rewrite");
        assertThat(script("events.post.pre_process", """
                if (event.request.payload && event.request.payload.topic === '%s') {
                  event.request.payload.payload = { rewritten: true, was: event.request.payload.payload.n,
                      by: platform.session.user.name, seen: event.event_name };
                }""".formatted(topic), true).status()).isEqualTo(201);

        String id = api.dispatch("{\"topic\":\"" + topic + "\",\"payload\":{\"n\":7}}");

        assertThat(event(id).get("payload")).isEqualTo(JSON.createObjectNode().put("rewritten", true).put("was", 7)
                .put("by", "admin").put("seen", "events.post.pre_process"));
    }

    @Test
    void aScriptSeesTheUserACallIsMadeFor() {
        String topic = unique("scripting.acting");
        assertThat(script("events.post.pre_process", """
                if (event.request.payload && event.request.payload.topic === '%s') {
                  event.request.payload.payload = { by: platform.session.user.name, role: platform.session.role };
                }""".formatted(topic), true).status()).isEqualTo(201);

        Response dispatched = api.post("/api/events", "{\"topic\":\"" + topic + "\"}", "X-as-user", "alice");
        assertThat(dispatched.status()).as(dispatched.body()).isEqualTo(200);

        JsonNode stored = event(dispatched.json().get("id").asText());
        assertThat(stored.get("payload")).isEqualTo(JSON.createObjectNode().put("by", "alice").put("role", "service"));
        assertThat(stored.get("user").asText()).isEqualTo("alice");
    }

    @Test
    void withoutTheModificationFlagAChangeIsDiscardedAndTheLogSaysSo() {
        String topic = unique("scripting.unflagged");
        script("events.post.pre_process", """
                if (event.request.payload && event.request.payload.topic === '%s') {
                  event.request.payload.payload = { rewritten: true };
                }""".formatted(topic), false);

        String id = api.dispatch("{\"topic\":\"" + topic + "\",\"payload\":{\"n\":7}}");

        assertThat(event(id).get("payload")).isEqualTo(JSON.createObjectNode().put("n", 7));
        assertThat(logsOf("events.post.pre_process")).anySatisfy(log -> {
            assertThat(log.at("/summary/level").asText()).isEqualTo("warning");
            assertThat(log.get("description").asText()).contains("allow_event_modification is false");
        });
    }

    @Test
    void aPreProcessScriptRejectsTheCallWithItsStatusAndNothingIsWritten() {
        String topic = unique("scripting.forbidden");
        script("events.post.pre_process", """
                if (event.request.payload.topic === '%s') {
                  throw { status: 403, message: 'Topic ' + event.request.payload.topic + ' is closed' };
                }""".formatted(topic), false);

        Response response = api.post("/api/events", "{\"topic\":\"" + topic + "\"}");

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.json()).isEqualTo(JSON.createObjectNode().put("code", 403)
                .put("detail", "Topic " + topic + " is closed"));
        assertThat(api.get("/api/events?topics=" + topic).json().get("events")).isEmpty();
    }

    @Test
    void aPostProcessScriptChangesTheResponseOnlyWithTheFlag() {
        String topic = unique("scripting.post");
        String id = api.dispatch("{\"topic\":\"" + topic + "\",\"description\":\"original\"}");
        String content = """
                if (event.response.content.topic === '%s') {
                  event.response.content.description = 'seen by ' + event.event_name;
                  event.response.headers['x-scripted'] = 'yes';
                }""".formatted(topic);
        script("events.get.post_process", content, true);

        Response changed = api.get("/api/events/" + id);
        assertThat(changed.json().get("description").asText()).isEqualTo("seen by events.get.post_process");
        assertThat(changed.raw().headers().firstValue("x-scripted")).contains("yes");

        assertThat(api.patch("/api/v2/system/event_script/events.get.post_process",
                "{\"allow_event_modification\":false}").status()).isEqualTo(200);
        assertThat(api.get("/api/events/" + id).json().get("description").asText()).isEqualTo("original");
    }

    @Test
    void aPreProcessResponseSkipsTheHandler() {
        String topic = unique("scripting.answered");
        script("events.post.pre_process", """
                if (event.request.payload.topic === '%s') {
                  event.response = { status_code: 202, content: { answeredBy: 'script' } };
                }""".formatted(topic), true);

        // the script's answer is the script's: the contract describes Herald's own
        Response response = api.withoutContract().post("/api/events", "{\"topic\":\"" + topic + "\"}");

        assertThat(response.status()).isEqualTo(202);
        assertThat(response.json().get("answeredBy").asText()).isEqualTo("script");
        assertThat(api.get("/api/events?topics=" + topic).json().get("events")).isEmpty();
    }

    @Test
    void aRunawayScriptIsStoppedAndTheCallGetsAClearError() {
        String topic = unique("scripting.loop");
        script("events.post.pre_process", """
                if (event.request.payload.topic === '%s') {
                  while (true) {}
                }""".formatted(topic), false);

        Response response = api.post("/api/events", "{\"topic\":\"" + topic + "\"}");

        assertThat(response.status()).isEqualTo(500);
        assertThat(response.json().get("detail").asText()).startsWith("Script 'events.post.pre_process' was stopped: it ran");
        assertThat(logsOf("events.post.pre_process")).anySatisfy(log ->
                assertThat(log.at("/payload/error/kind").asText()).isEqualTo("stopped"));
    }

    @Test
    void aScriptThatLoopsOverPlatformCallsStopsWithItsRun() {
        String topic = unique("scripting.loop");
        assertThat(script("events.post.pre_process", """
                const p = event.request.payload || {};
                if (String(p.topic || "").startsWith("scripting.loop")) {
                  while (true) { try { platform.dispatch({topic: p.topic + ".echo", store: true}); } catch (e) { } }
                }
                """, false).status()).isEqualTo(201);
        Response response = api.post("/api/events", "{\"topic\":\"" + topic + "\"}");
        assertThat(response.status()).isEqualTo(500);
        assertThat(response.json().get("detail").asText()).contains("was stopped");
        // at most 100 platform calls a run, and none once its request has its answer
        int made = api.get("/api/events?topics=" + topic + ".echo&limit=500").json().get("events").size();
        assertThat(made).isBetween(1, 100);
        org.awaitility.Awaitility.await("no dispatch after the run ended").during(java.time.Duration.ofSeconds(2))
                .atMost(java.time.Duration.ofSeconds(5)).until(() -> api.get("/api/events?topics=" + topic
                        + ".echo&limit=500").json().get("events").size() == made);
    }

    @Test
    void hostClassesFilesProcessesAndTheNetworkAreOutOfReach() {
        String topic = unique("scripting.escape");
        script("events.post.pre_process", "return 1;", false);
        for (String attempt : List.of(
                "Java.type('java.lang.System').exit(1);",
                "load('/etc/passwd');",
                "require('fs').readFileSync('/etc/passwd');",
                "fetch('http://169.254.169.254/latest/meta-data/');",
                "new XMLHttpRequest().open('GET', 'http://example.com');",
                "Polyglot.eval('js', '1');",
                "process.env.AWS_SECRET_ACCESS_KEY;")) {
            Response replaced = api.put("/api/v2/system/event_script/events.post.pre_process", JSON.createObjectNode()
                    .put("content", "if (event.request.payload.topic === '" + topic + "') {\n  " + attempt + "\n}")
                    .toString());
            assertThat(replaced.status()).as(attempt).isEqualTo(200);

            Response response = api.post("/api/events", "{\"topic\":\"" + topic + "\"}");

            assertThat(response.status()).as(attempt).isEqualTo(500);
            assertThat(response.json().get("detail").asText()).as(attempt)
                    .startsWith("Script 'events.post.pre_process' failed at line 2:");
        }
        assertThat(api.get("/api/events?topics=" + topic).json().get("events")).isEmpty();
    }

    @Test
    void consoleOutputAndErrorsAreKeptAsLogEvents() {
        String topic = unique("scripting.logs");
        script("events.post.pre_process", """
                if (event.request.payload.topic === '%s') {
                  console.log('dispatching', event.request.payload.topic);
                  platform.log('from platform');
                }""".formatted(topic), false);

        api.dispatch("{\"topic\":\"" + topic + "\"}");

        assertThat(logsOf("events.post.pre_process")).anySatisfy(log -> {
            assertThat(log.get("topic").asText()).isEqualTo("log.script");
            assertThat(log.get("senderType").asText()).isEqualTo("script");
            assertThat(log.at("/payload/lines/0").asText()).isEqualTo("info: dispatching " + topic);
            assertThat(log.at("/payload/lines/1").asText()).isEqualTo("info: from platform");
        });
    }
}
