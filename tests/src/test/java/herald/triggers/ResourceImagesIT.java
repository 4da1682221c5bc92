package herald.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import herald.kernel.Json;
import herald.testing.HeraldClient;
import herald.testing.HeraldClient.Response;
import herald.testing.LocalHeraldExtension;
import herald.testing.WebhookListener;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Resource events carry the resource before and after the change ({@code payload.old}, {@code payload.new}), so a
 * trigger can match on what changed for triggers, scripts and keys alike; an image never shows what not every reader
 * of events may see (a webhook's URL, a script's source or config, a key's prefix).
 */
@ExtendWith(LocalHeraldExtension.class)
class ResourceImagesIT {

    private final HeraldClient admin;
    private final String prefix = "img" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);

    ResourceImagesIT(HeraldClient admin) {
        this.admin = admin;
    }

    /** The payloads of the resource events of one resource, oldest first. */
    private List<JsonNode> changes(String type, String id) {
        List<JsonNode> found = new ArrayList<>();
        admin.get("/api/events?topics=resource.*&limit=2000").json().get("events").forEach(e -> {
            if (e.at("/payload/resource/type").asText().equals(type) && e.at("/payload/resource/id").asText().equals(id)) {
                found.add(0, e);
            }
        });
        return found;
    }

    @Test
    void aTriggerCanMatchWhenAnotherTriggerIsTurnedOff() throws Exception {
        try (WebhookListener listener = new WebhookListener()) {
            String watched = prefix + "-watched";
            // deactivations only: is_active was true and is now false
            Response watcher = admin.post("/api/v2/system/trigger", "{\"name\":\"" + prefix + "-watcher\",\"filter\":"
                    + "{\"topic\":\"resource.ResourceUpdated\",\"payload.resource.type\":\"herald.Trigger\","
                    + "\"payload.resource.id\":\"" + watched + "\",\"payload.old.is_active\":[true],"
                    + "\"payload.new.is_active\":[false]},\"action\":{\"type\":\"webhook\",\"url\":\""
                    + listener.url("/off") + "\"}}");
            assertThat(watcher.status()).as(watcher.body()).isEqualTo(201);
            String url = listener.url("/hook") + "?token=very-secret";
            assertThat(admin.post("/api/v2/system/trigger", "{\"name\":\"" + watched + "\",\"filter\":{\"topic\":\""
                    + prefix + ".x\"},\"action\":{\"type\":\"webhook\",\"url\":\"" + url + "\"}}").status())
                    .isEqualTo(201);
            assertThat(admin.patch("/api/v2/system/trigger/" + watched, "{\"filter\":{\"topic\":\"" + prefix + ".y\"}}")
                    .status()).isEqualTo(200);
            assertThat(admin.patch("/api/v2/system/trigger/" + watched, "{\"is_active\":false}").status()).isEqualTo(200);

            JsonNode heard = Json.MAPPER.readTree(listener.await("/off", 1).get(0).body()).get("data");
            assertThat(heard.at("/payload/old/filter/topic").asText()).isEqualTo(prefix + ".y");
            assertThat(heard.at("/payload/reason").asText()).isEqualTo("disabled by admin");
            List<JsonNode> changes = changes("herald.Trigger", watched);
            assertThat(changes).extracting(e -> e.get("topic").asText())
                    .containsExactly("resource.ResourceCreated", "resource.ResourceUpdated", "resource.ResourceUpdated");
            assertThat(changes.get(0).at("/payload/old").isMissingNode()).as("nothing before it").isTrue();
            assertThat(changes.get(1).at("/payload/old/filter/topic").asText()).isEqualTo(prefix + ".x");
            assertThat(changes.get(1).at("/payload/new/filter/topic").asText()).isEqualTo(prefix + ".y");
            assertThat(changes.get(0).at("/payload/new/action/host").asText()).isEqualTo("127.0.0.1");
            assertThat(changes.toString()).as("the URL and its token are not shown").doesNotContain("very-secret")
                    .doesNotContain("/hook");
            assertThat(listener.at("/off")).as("the filter change was not a deactivation").hasSize(1);

            admin.delete("/api/v2/system/trigger/" + watched + "?purge=true");
            List<JsonNode> gone = changes("herald.Trigger", watched);
            JsonNode purged = gone.get(gone.size() - 1);
            assertThat(purged.get("topic").asText()).isEqualTo("resource.ResourceHardDeleted");
            assertThat(purged.at("/payload/old/name").asText()).isEqualTo(watched);
            assertThat(purged.at("/payload/new").isMissingNode()).as("nothing after it").isTrue();
            admin.delete("/api/v2/system/trigger/" + prefix + "-watcher?purge=true");
        }
    }

    @Test
    void scriptsAndKeysCarryTheirImagesWithoutTheirSecrets() {
        String script = prefix + ".get.pre_process";
        Response created = admin.post("/api/v2/system/event_script", "{\"name\":\"" + script + "\",\"content\":"
                + "\"var secretSauce = 1;\",\"config\":{\"token\":\"cfg-secret\"}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(admin.patch("/api/v2/system/event_script/" + script, "{\"is_active\":false}").status()).isEqualTo(200);
        assertThat(admin.delete("/api/v2/system/event_script/" + script).status()).isIn(200, 204);
        List<JsonNode> scripts = changes("herald.EventScript", script);
        assertThat(scripts).hasSize(3);
        assertThat(scripts.get(1).at("/payload/old/is_active").asBoolean()).isTrue();
        assertThat(scripts.get(1).at("/payload/new/is_active").asBoolean()).isFalse();
        assertThat(scripts.get(2).at("/payload/new/deleted_date").isTextual()).isTrue();
        assertThat(scripts.toString()).doesNotContain("secretSauce").doesNotContain("cfg-secret");
        admin.delete("/api/v2/system/event_script/" + script + "?purge=true");

        String key = prefix + "-key";
        Response made = admin.post("/api/v2/system/api_key", "{\"name\":\"" + key + "\",\"role\":\"user\"}");
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        String secret = made.json().get("key").asText();
        assertThat(admin.patch("/api/v2/system/api_key/" + key, "{\"role\":\"service\"}").status()).isEqualTo(200);
        List<JsonNode> keys = changes("herald.ApiKey", key);
        assertThat(keys).hasSize(2);
        assertThat(keys.get(1).at("/payload/old/role").asText()).isEqualTo("user");
        assertThat(keys.get(1).at("/payload/new/role").asText()).isEqualTo("service");
        assertThat(keys.toString()).doesNotContain("key_prefix").doesNotContain(secret.substring(0, 12));
        admin.delete("/api/v2/system/api_key/" + key + "?purge=true");
    }
}
