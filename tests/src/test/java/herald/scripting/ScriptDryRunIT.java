package herald.scripting;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import herald.testing.ApiKeys;
import herald.testing.HeraldClient.Response;
import herald.testing.HeraldClient;
import herald.testing.LocalHeraldExtension;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code POST /api/v2/system/<kind>/{name}/dry_run}: a script runs in the real sandbox against a sample and reports
 * what it would have done (changes, dispatches, updates, log, failure with its line) while nothing happens: no event
 * is dispatched or changed, no log is kept, the script itself is not changed.
 */
@ExtendWith(LocalHeraldExtension.class)
class ScriptDryRunIT {

    private final HeraldClient admin;

    ScriptDryRunIT(HeraldClient admin) {
        this.admin = admin;
    }

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    private String create(String kind, String name, String content, boolean modification) {
        Response created = admin.post("/api/v2/system/" + kind, "{\"name\":\"" + name + "\",\"content\":"
                + herald.kernel.Json.write(herald.kernel.Json.MAPPER.getNodeFactory().textNode(content))
                + ",\"allow_event_modification\":" + modification + "}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return name;
    }

    private JsonNode dryRun(String kind, String name, String body) {
        Response ran = admin.post("/api/v2/system/" + kind + "/" + name + "/dry_run", body);
        assertThat(ran.status()).as(ran.body()).isEqualTo(200);
        return ran.json();
    }

    private List<String> topicsOf(String topic) {
        return admin.get("/api/events?topics=" + topic + "&limit=100").json().findValuesAsText("topic");
    }

    @Test
    void aStoredScriptReportsWhatItWouldDoAndNothingHappens() {
        String effect = unique("dry.effect.t");
        String existing = admin.dispatch("{\"topic\":\"dry.existing\",\"finished\":false}");
        String name = create("event_script", unique("dryt") + ".post.pre_process", """
                console.log('saw ' + event.request.payload.topic);
                event.request.payload.description = 'changed by the script';
                var made = platform.dispatch({topic: '%s', payload: {n: 1}});
                console.log('dispatched ' + made.id);
                platform.update('%s', {progress: 50, status: 'in_progress'});
                return {ok: true};
                """.formatted(effect, existing), false);
        String before = admin.get("/api/v2/system/event_script/" + name).body();

        JsonNode run = dryRun("event_script", name, "{\"request\":{\"payload\":{\"topic\":\"hello.world\"}}}");

        assertThat(run.get("outcome").asText()).isEqualTo("completed");
        assertThat(run.get("error").isNull()).isTrue();
        assertThat(run.get("source").asText()).isEqualTo("inline");
        assertThat(run.get("event").get("request").get("method").asText()).isEqualTo("POST");
        assertThat(run.get("log").get(0).asText()).isEqualTo("info: saw hello.world");
        assertThat(run.get("changes").get("request").get("payload").get("description").asText())
                .isEqualTo("changed by the script");
        assertThat(run.get("changes").get("result").get("ok").asBoolean()).isTrue();
        assertThat(run.get("would_apply").asBoolean()).as("allow_event_modification is off").isFalse();
        JsonNode dispatched = run.get("dispatched").get(0);
        assertThat(dispatched.get("event").get("topic").asText()).isEqualTo(effect);
        assertThat(run.get("log").get(1).asText()).isEqualTo("info: dispatched " + dispatched.get("id").asText());
        assertThat(run.get("updated").get(0).get("id").asText()).isEqualTo(existing);
        assertThat(run.get("updated").get(0).get("changes").get("progress").asInt()).isEqualTo(50);
        assertThat(admin.get("/api/events/" + existing).json().get("status").asText()).as("not updated")
                .isEqualTo("pending");

        assertThat(topicsOf(effect)).as("nothing dispatched").isEmpty();
        assertThat(admin.get("/api/events?topics=log.script&limit=2000").body()).as("no log kept").doesNotContain(name);
        assertThat(admin.get("/api/v2/system/event_script/" + name).body()).as("the script unchanged").isEqualTo(before);
    }

    @Test
    void theFlagDecidesWhetherChangesWouldApply() {
        String name = create("event_script", unique("dryt") + ".post.post_process",
                "event.response.content = {replaced: true};", true);
        JsonNode run = dryRun("event_script", name, "{}");
        assertThat(run.get("event").get("response").get("status_code").asInt()).isEqualTo(200);
        assertThat(run.get("changes").get("response").get("content").get("replaced").asBoolean()).isTrue();
        assertThat(run.get("would_apply").asBoolean()).isTrue();
        JsonNode off = dryRun("event_script", name, "{\"allow_event_modification\":false}");
        assertThat(off.get("would_apply").asBoolean()).isFalse();
    }

    @Test
    void unsavedContentRunsWithoutARecordAndFailuresComeWithTheirLine() {
        String name = unique("dryt") + ".get.pre_process";
        assertThat(admin.post("/api/v2/system/event_script/" + name + "/dry_run", "{}").status())
                .as("no such script and no content").isEqualTo(404);

        JsonNode fine = dryRun("event_script", name, "{\"content\":\"console.warn('unsaved');\"}");
        assertThat(fine.get("source").asText()).isEqualTo("content");
        assertThat(fine.get("log").get(0).asText()).isEqualTo("warn: unsaved");
        assertThat(fine.get("event").get("request").get("method").asText()).isEqualTo("GET");
        assertThat(admin.get("/api/v2/system/event_script/" + name).status()).as("nothing created").isEqualTo(404);

        JsonNode thrown = dryRun("event_script", name, "{\"content\":\"var a = 1;\\n\\nnull.boom;\"}");
        assertThat(thrown.get("outcome").asText()).isEqualTo("failed");
        assertThat(thrown.get("error").get("line").asInt()).isEqualTo(3);
        assertThat(thrown.get("error").get("detail").asText()).contains("at line 3");
        assertThat(thrown.has("changes")).isFalse();

        JsonNode syntax = dryRun("event_script", name, "{\"content\":\"var a = ;\"}");
        assertThat(syntax.get("outcome").asText()).isEqualTo("syntax_error");
        assertThat(syntax.get("error").get("line").asInt()).isEqualTo(1);

        JsonNode rejected = dryRun("event_script", name,
                "{\"content\":\"throw {status: 403, message: 'not on Sundays'};\"}");
        assertThat(rejected.get("outcome").asText()).isEqualTo("rejected");
        assertThat(rejected.get("error").get("status").asInt()).isEqualTo(403);
        assertThat(rejected.get("error").get("message").asText()).isEqualTo("not on Sundays");

        JsonNode stopped = dryRun("event_script", name, "{\"content\":\"while (true) {}\"}");
        assertThat(stopped.get("outcome").asText()).as("the real run's limits").isEqualTo("stopped");
    }

    @Test
    void aScriptedServiceRunsOnItsSampleRequest() {
        String name = create("service", unique("drysvc"), "return {hello: event.request.parameters.name};", false);
        JsonNode run = dryRun("service", name, "{\"request\":{\"parameters\":{\"name\":\"Ada\"}}}");
        assertThat(run.get("event").get("request").get("uri").asText()).isEqualTo("/api/v2/" + name);
        assertThat(run.get("changes").get("result").get("hello").asText()).isEqualTo("Ada");
    }

    @Test
    void aStoredEventIsASampleOnlyForAKeyThatMayReadIt() {
        String project = unique("dryp");
        String id = admin.dispatch("{\"topic\":\"dry.sample\",\"project\":\"" + project + "\",\"payload\":{\"shot\":7}}");
        String name = create("event_script", unique("dryt") + ".post.pre_process",
                "console.log('shot ' + event.request.payload.payload.shot);", false);
        JsonNode run = dryRun("event_script", name, "{\"event_id\":\"" + id + "\"}");
        assertThat(run.get("log").get(0).asText()).isEqualTo("info: shot 7");
        assertThat(run.get("event").get("request").get("payload").get("id").asText()).isEqualTo(id);

        String other = ApiKeys.create(admin, ApiKeys.uniqueName("dry-admin"), "admin", List.of(unique("dryo")));
        Response hidden = admin.withKey(other).post("/api/v2/system/event_script/" + name + "/dry_run",
                "{\"event_id\":\"" + id + "\"}");
        assertThat(hidden.status()).as(hidden.body()).isEqualTo(404);

        // the script has the caller's rights, as in a real run: a dispatch into a project the key may not touch
        // fails the script where it is made
        JsonNode refused = admin.withKey(other).post("/api/v2/system/event_script/" + name + "/dry_run",
                "{\"content\":\"platform.dispatch({topic: 'dry.elsewhere', project: '" + project + "'});\"}").json();
        assertThat(refused.get("dispatched")).isEmpty();
        assertThat(refused.get("outcome").asText()).isEqualTo("failed");
        assertThat(refused.get("error").get("message").asText()).contains("platform.dispatch", project);
        assertThat(refused.get("error").get("line").asInt()).isEqualTo(1);
    }

    @Test
    void badInputIsA400ThatSaysWhatToFix() {
        String name = create("event_script", unique("dryt") + ".post.pre_process", "platform.dispatch('nope');", false);
        String path = "/api/v2/system/event_script/" + name + "/dry_run";
        Response unknown = admin.post(path, "{\"requests\":{}}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("detail").asText()).contains("Unknown field 'requests'", "request");
        assertThat(admin.post(path, "{\"request\":[]}").status()).isEqualTo(400);
        assertThat(admin.post(path, "{\"request\":{\"headers\":\"x\"}}").json().get("detail").asText())
                .contains("request.headers");
        assertThat(admin.post(path, "{\"event_id\":\"not-an-id\"}").status()).isEqualTo(400);
        assertThat(admin.post(path, "{\"response\":{\"status_code\":\"ok\"}}").status()).isEqualTo(400);

        // what a real run's platform.dispatch refuses is refused here too, and recorded as nothing
        JsonNode run = dryRun("event_script", name, "{}");
        assertThat(run.get("dispatched")).isEmpty();
        assertThat(run.get("error").get("message").asText()).contains("pass an object with at least a topic");

        String user = ApiKeys.create(admin, ApiKeys.uniqueName("dry-user"), "service", null);
        assertThat(admin.withKey(user).post(path, "{}").status()).as("admins only").isEqualTo(403);
    }
}
