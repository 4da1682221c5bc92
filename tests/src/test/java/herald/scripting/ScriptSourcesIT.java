package herald.scripting;

import static herald.scripting.ScriptingIT.JSON;
import static herald.scripting.ScriptingIT.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.local.LocalHerald;
import herald.testing.FakeGitHub;
import herald.testing.HeraldClient.Response;
import herald.testing.HeraldClient;
import herald.testing.LocalHeraldExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Linked script sources and the cache: scripts in the local S3 server and in a GitHub stand-in are fetched once and
 * then served from the cache until a clear (each clear route, the seed's tunnelled POST, the GitHub webhook) makes
 * the next call fetch again.
 */
@ExtendWith(LocalHeraldExtension.class)
class ScriptSourcesIT {

    static final String BUCKET = "scriptsbucket";

    private final HeraldClient api;
    private final LocalHerald herald;
    private final FakeGitHub gitHub;
    private final List<String> created = new ArrayList<>();

    ScriptSourcesIT(HeraldClient api, LocalHerald herald, FakeGitHub gitHub) {
        this.api = api;
        this.herald = herald;
        this.gitHub = gitHub;
    }

    @AfterEach
    void deleteScripts() {
        created.forEach(api::delete);
        created.clear();
    }

    private Response create(ObjectNode record) {
        Response response = api.post("/api/v2/system/event_script", record.toString());
        if (response.status() == 201) {
            created.add("/api/v2/system/event_script/" + record.get("name").asText());
        }
        return response;
    }

    /** A script that stamps every event of its topic with a marker, so a test sees which version ran. */
    private static String stamping(String topic, String marker) {
        return "if (event.request.payload.topic === '" + topic + "') {\n"
                + "  event.request.payload.description = '" + marker + "';\n}\n";
    }

    private String ranVersion(String topic) {
        String id = api.dispatch("{\"topic\":\"" + topic + "\"}");
        return api.get("/api/events/" + id).json().get("description").asText();
    }

    private void putS3(String key, String content) {
        herald.s3().orElseThrow().client().putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(content));
    }

    @Test
    void anS3ScriptIsCachedUntilItsEventScriptIsCleared() {
        String topic = unique("sources.s3");
        String key = "scripts/" + topic + ".js";
        putS3(key, stamping(topic, "v1"));
        assertThat(create(JSON.createObjectNode().put("name", "events.post.pre_process")
                .put("storage_service", "s3").put("storage_path", key).put("allow_event_modification", true))
                .status()).isEqualTo(201);
        assertThat(ranVersion(topic)).isEqualTo("v1");

        putS3(key, stamping(topic, "v2"));
        assertThat(ranVersion(topic)).as("cached forever").isEqualTo("v1");

        Response cleared = api.delete("/api/v2/system/cache/_event/events.post.pre_process");
        assertThat(cleared.status()).isEqualTo(200);
        assertThat(cleared.json()).isEqualTo(JSON.createObjectNode().put("success", true));
        assertThat(ranVersion(topic)).isEqualTo("v2");
    }

    @Test
    void aGitHubScriptIsFetchedOnceAndAgainAfterEachKindOfClear() {
        String topic = unique("sources.github");
        String repo = "acme/" + topic.replace('.', '-');
        String path = "hooks/pre.js";
        gitHub.put(repo, "main", path, stamping(topic, "v1"));
        assertThat(create(JSON.createObjectNode().put("name", "events.post.pre_process").put("scm_repository", repo)
                .put("scm_reference", "main").put("storage_path", path).put("allow_event_modification", true))
                .status()).isEqualTo(201);

        assertThat(ranVersion(topic)).isEqualTo("v1");
        assertThat(ranVersion(topic)).isEqualTo("v1");
        assertThat(gitHub.fetches(repo, path)).as("fetched once, then cached").isEqualTo(1);
        assertThat(gitHub.requests()).anyMatch(r -> r.startsWith("/repos/" + repo) && r.endsWith("Bearer " + FakeGitHub.TOKEN));

        gitHub.put(repo, "main", path, stamping(topic, "v2"));
        // the seed's webhook URL: a POST tunnelled to DELETE, the key in the query; clears the event scripts of 'events'
        Response tunnelled = api.withoutKey().post("/api/v2/system/cache/events?api_key=" + LocalHeraldExtension.API_KEY
                + "&method=DELETE", "{\"zen\":\"anything GitHub sends\"}");
        assertThat(tunnelled.status()).isEqualTo(200);
        assertThat(tunnelled.json().get("success").asBoolean()).isTrue();
        assertThat(ranVersion(topic)).isEqualTo("v2");
        assertThat(gitHub.fetches(repo, path)).isEqualTo(2);

        gitHub.put(repo, "main", path, stamping(topic, "v3"));
        assertThat(api.post("/api/v2/system/cache", "", "X-HTTP-Method-Override", "DELETE").status()).isEqualTo(200);
        assertThat(ranVersion(topic)).isEqualTo("v3");
        assertThat(gitHub.fetches(repo, path)).isEqualTo(3);

        gitHub.put(repo, "main", path, stamping(topic, "v4"));
        assertThat(api.delete("/api/v2/system/cache/_event/events.post.pre_process").status()).isEqualTo(200);
        assertThat(ranVersion(topic)).isEqualTo("v4");
        assertThat(api.delete("/api/v2/system/cache/enroll").status()).as("another service's clear").isEqualTo(200);
        assertThat(ranVersion(topic)).isEqualTo("v4");
        assertThat(gitHub.fetches(repo, path)).isEqualTo(4);
    }

    @Test
    void aPostToTheCacheWithoutAnOverrideIsNotADelete() {
        Response response = api.post("/api/v2/system/cache", "");
        assertThat(response.status()).isEqualTo(405);
        assertThat(response.json().get("detail").asText()).contains("?method=DELETE");
    }

    @Test
    void refreshLoadsTheLinkedScriptsCurrentContent() {
        String topic = unique("sources.refresh");
        String repo = "acme/" + topic.replace('.', '-');
        gitHub.put(repo, "v1.0", "a.js", stamping(topic, "tagged"));
        create(JSON.createObjectNode().put("name", "events.post.post_process").put("scm_repository", repo)
                .put("scm_reference", "v1.0").put("storage_path", "a.js"));
        assertThat(api.get("/api/v2/system/event_script/events.post.post_process").json().get("content").isNull()).isTrue();

        JsonNode refreshed = api.get("/api/v2/system/event_script/events.post.post_process?refresh=true").json();

        assertThat(refreshed.get("content").asText()).isEqualTo(stamping(topic, "tagged"));
        assertThat(refreshed.get("source").asText()).isEqualTo("github");
        Response write = api.patch("/api/v2/system/event_script/events.post.post_process", "{\"content\":\"return 1;\"}");
        assertThat(write.status()).isEqualTo(400);
        assertThat(write.json().get("detail").asText()).contains("read-only");
    }

    @Test
    void aMissingLinkedFileFailsTheCallClearlyAndIsNotCached() {
        String topic = unique("sources.missing");
        String repo = "acme/" + topic.replace('.', '-');
        create(JSON.createObjectNode().put("name", "enroll.post.pre_process").put("scm_repository", repo)
                .put("storage_path", "nowhere.js"));

        Response response = api.post("/api/enroll", "{\"sourceTopic\":\"a.b\",\"targetTopic\":\"c.d\",\"sender\":\"w\"}");

        assertThat(response.status()).isEqualTo(502);
        assertThat(response.json().get("detail").asText()).contains("could not be loaded").contains("nowhere.js");
        gitHub.put(repo, "main", "nowhere.js", "return;");
        // not cached: the file is there now, and the next call loads it (the default branch here is main)
        assertThat(api.post("/api/enroll", "{\"sourceTopic\":\"a.b\",\"targetTopic\":\"c.d\",\"sender\":\"w\"}").status())
                .isIn(200, 204);
    }

    @Test
    void theGitHubWebhookClearsExactlyTheScriptsAPushChanged() throws Exception {
        String topic = unique("sources.webhook");
        String repo = "acme/" + topic.replace('.', '-');
        gitHub.put(repo, "main", "hooks/pre.js", stamping(topic, "v1"));
        gitHub.put(repo, "main", "hooks/other.js", "return;");
        create(JSON.createObjectNode().put("name", "events.post.pre_process").put("scm_repository", repo)
                .put("scm_reference", "main").put("storage_path", "hooks/pre.js").put("allow_event_modification", true));
        create(JSON.createObjectNode().put("name", "events.get.pre_process").put("scm_repository", repo)
                .put("scm_reference", "main").put("storage_path", "hooks/other.js"));
        assertThat(ranVersion(topic)).isEqualTo("v1");
        gitHub.put(repo, "main", "hooks/pre.js", stamping(topic, "v2"));

        String push = JSON.createObjectNode().put("ref", "refs/heads/main")
                .<ObjectNode>set("repository", JSON.createObjectNode().put("full_name", repo).put("default_branch", "main"))
                .set("commits", JSON.createArrayNode().add(JSON.createObjectNode()
                        .<ObjectNode>set("added", JSON.createArrayNode())
                        .<ObjectNode>set("removed", JSON.createArrayNode())
                        .set("modified", JSON.createArrayNode().add("hooks/pre.js").add("README.md"))))
                .toString();
        String delivery = unique("delivery-");

        Response unsigned = deliver("push", delivery, push, null);
        assertThat(unsigned.status()).isEqualTo(401);
        assertThat(unsigned.json().get("detail").asText()).contains("Missing X-Hub-Signature-256");
        Response forged = deliver("push", delivery, push, "sha256=" + "0".repeat(64));
        assertThat(forged.status()).isEqualTo(401);
        assertThat(forged.json().get("detail").asText()).contains("does not match");
        assertThat(ranVersion(topic)).as("refused deliveries clear nothing").isEqualTo("v1");

        Response accepted = deliver("push", delivery, push, sign(push));
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(accepted.json().get("cleared")).containsExactly(JSON.getNodeFactory().textNode("events.post.pre_process"));
        assertThat(ranVersion(topic)).isEqualTo("v2");

        gitHub.put(repo, "main", "hooks/pre.js", stamping(topic, "v3"));
        Response replay = deliver("push", delivery, push, sign(push));
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.json().get("duplicate").asBoolean()).isTrue();
        assertThat(ranVersion(topic)).as("a replayed delivery is not processed again").isEqualTo("v2");

        String ping = "{\"zen\":\"Keep it logically awesome.\",\"hook_id\":42,\"hook\":{\"type\":\"Repository\"}}";
        Response pong = deliver("ping", unique("delivery-"), ping, sign(ping));
        assertThat(pong.status()).isEqualTo(200);
        assertThat(pong.json().get("zen").asText()).isEqualTo("Keep it logically awesome.");
    }

    @Test
    void theSignatureIsGitHubsHmacOfTheRawBody() throws Exception {
        // GitHub's documented test vector
        assertThat(hmac(LocalHeraldExtension.WEBHOOK_SECRET, "Hello, World!"))
                .isEqualTo("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
        Response response = deliver("ping", unique("delivery-"), "Hello, World!",
                "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
        assertThat(response.status()).as("signature accepted; the body is then not JSON").isEqualTo(400);
    }

    private Response deliver(String event, String delivery, String body, String signature) {
        List<String> headers = new ArrayList<>(List.of("X-GitHub-Event", event, "X-GitHub-Delivery", delivery,
                "User-Agent", "GitHub-Hookshot/test", "Content-Type", "application/json"));
        if (signature != null) {
            headers.add("X-Hub-Signature-256");
            headers.add(signature);
        }
        return api.withoutKey().post("/api/v2/system/webhook/github", body, headers.toArray(String[]::new));
    }

    private static String sign(String body) throws Exception {
        return "sha256=" + hmac(LocalHeraldExtension.WEBHOOK_SECRET, body);
    }

    private static String hmac(String secret, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }
}
