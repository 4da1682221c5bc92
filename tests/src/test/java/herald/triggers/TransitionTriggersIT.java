package herald.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import herald.kernel.Json;
import herald.testing.HeraldClient.Response;
import herald.testing.HeraldClient;
import herald.testing.LocalHeraldExtension;
import herald.testing.WebhookListener;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Triggers on a transition: a filter over the event before ({@code old.}) and after ({@code new.}) a change and the
 * fields that changed ({@code changed}), delivered with {@code old} and {@code changed} beside {@code data}.
 */
@ExtendWith(LocalHeraldExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransitionTriggersIT {

    private final HeraldClient admin;
    private final String prefix = "tt" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private WebhookListener listener;

    TransitionTriggersIT(HeraldClient admin) {
        this.admin = admin;
    }

    @BeforeAll
    void listen() throws Exception {
        listener = new WebhookListener();
    }

    @AfterAll
    void stop() {
        listener.close();
    }

    private void trigger(String name, String on, String filter, String path) {
        Response created = admin.post("/api/v2/system/trigger", "{\"name\":\"" + name + "\",\"on\":\"" + on
                + "\",\"filter\":" + filter + ",\"action\":{\"type\":\"webhook\",\"url\":\"" + listener.url(path) + "\"}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }

    private void patch(String id, String body) {
        assertThat(admin.patch("/api/events/" + id, body).status()).isEqualTo(204);
    }

    @Test
    void aTriggerFiresWhenTheStatusBecomesFinishedAndOnlyThen() throws Exception {
        String topic = prefix + ".render";
        String path = "/" + prefix + "/finished";
        trigger(prefix + "-finished", "updated", "{\"topic\":\"" + topic + "\",\"new.status\":\"finished\","
                + "\"old.status\":[{\"anything-but\":\"finished\"}]}", path);
        String described = "/" + prefix + "/described";
        trigger(prefix + "-described", "updated", "{\"topic\":\"" + topic + "\",\"changed\":[\"description\"]}", described);

        String id = admin.dispatch("{\"topic\":\"" + topic + "\",\"finished\":false,\"description\":\"queued\"}");
        patch(id, "{\"status\":\"in_progress\"}");
        patch(id, "{\"status\":\"finished\"}");
        patch(id, "{\"description\":\"done, and checked\"}");
        patch(id, "{\"status\":\"finished\",\"retries\":1}");

        WebhookListener.Received became = listener.await(path, 1).get(0);
        JsonNode body = Json.MAPPER.readTree(became.body());
        assertThat(body.get("type").asText()).isEqualTo("event.updated");
        assertThat(body.get("data").get("status").asText()).isEqualTo("finished");
        assertThat(body.get("old").get("status").asText()).isEqualTo("in_progress");
        assertThat(body.get("changed")).extracting(JsonNode::asText).contains("status", "updatedAt")
                .doesNotContain("topic", "description");

        WebhookListener.Received describedOnce = listener.await(described, 1).get(0);
        assertThat(Json.MAPPER.readTree(describedOnce.body()).get("data").get("description").asText())
                .isEqualTo("done, and checked");
        // a last change of the same event (so after the others on its stream shard) that the second trigger takes:
        // once it is in, the changes before it are too, and the first trigger took only the one that made it finished
        patch(id, "{\"description\":\"final\"}");
        listener.await(described, 2);
        assertThat(listener.at(path)).as("only in_progress -> finished").hasSize(1);
        assertThat(listener.at(described)).hasSize(2);
    }

    @Test
    void aCreatedTriggerCannotReadWhatOnlyAChangeHas() {
        for (String filter : new String[] {"{\"old.status\":\"pending\"}", "{\"changed\":[\"status\"]}",
                "{\"$or\":[{\"topic\":\"a.b\"},{\"old.user\":\"ada\"}]}"}) {
            Response refused = admin.post("/api/v2/system/trigger", "{\"name\":\"" + prefix + "-bad\",\"filter\":"
                    + filter + ",\"action\":{\"type\":\"webhook\",\"url\":\"" + listener.url("/x") + "\"}}");
            assertThat(refused.status()).as(filter).isEqualTo(400);
            assertThat(refused.json().get("detail").asText()).contains("'old' or 'changed'", "\"updated\"");
        }
        // new. is there on creation too
        trigger(prefix + "-new", "created", "{\"new.topic\":\"" + prefix + ".fresh\"}", "/" + prefix + "/new");
    }
}
