package herald.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import herald.local.LocalHerald;
import herald.testing.HeraldClient.Response;
import herald.testing.HeraldClient;
import herald.testing.LocalHeraldExtension;
import herald.testing.SocketClient;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What is never stored reaches WebSocket subscribers however it was dispatched: {@code EventService} announces a
 * fire-and-forget event and a progress report itself, so a script's {@code platform.dispatch({store: false})} and
 * {@code platform.update(id, {progress})} arrive exactly as those of an HTTP call do.
 */
@ExtendWith(LocalHeraldExtension.class)
class AnnouncementsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HeraldClient api;
    private final LocalHerald herald;
    private final String service = "announce" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);

    AnnouncementsIT(HeraldClient api, LocalHerald herald) {
        this.api = api;
        this.herald = herald;
    }

    @AfterEach
    void deleteService() {
        api.delete("/api/v2/system/service/" + service + "?purge=true");
    }

    private void createService(String content) {
        String record = JSON.createObjectNode().put("name", service).put("content", content).toString();
        assertThat(api.post("/api/v2/system/service", record).status()).isEqualTo(201);
    }

    @Test
    void aScriptedServicesFireAndForgetEventReachesSubscribers() throws Exception {
        String topic = "announced." + service;
        createService("const r = platform.dispatch({topic: '" + topic + "', store: false, "
                + "summary: {from: 'script'}}); return {id: r.id};");
        SocketClient socket = SocketClient.subscribed(herald, LocalHeraldExtension.API_KEY, topic, 1);

        Response called = api.get("/api/v2/" + service);
        assertThat(called.status()).as(called.body()).isEqualTo(200);
        String id = called.json().get("id").asText();

        JsonNode message = socket.next(id);
        assertThat(message.get("topic").asText()).isEqualTo(topic);
        assertThat(message.get("sender").asText()).isEqualTo(service);
        assertThat(message.get("senderType").asText()).isEqualTo("script");
        assertThat(message.get("summary").get("from").asText()).isEqualTo("script");
        assertThat(api.get("/api/events/" + id).status()).as("never stored").isEqualTo(404);
    }

    @Test
    void aScriptsProgressReportReachesSubscribers() throws Exception {
        String topic = "progress." + service;
        Response dispatched = api.post("/api/events", "{\"topic\":\"" + topic + "\",\"finished\":false}");
        assertThat(dispatched.status()).isEqualTo(200);
        String id = dispatched.json().get("id").asText();
        createService("platform.update(event.request.parameters.id, {progress: 40, status: 'in_progress'}); "
                + "return {ok: true};");
        SocketClient socket = SocketClient.subscribed(herald, LocalHeraldExtension.API_KEY, topic, 1);

        Response called = api.get("/api/v2/" + service + "?id=" + id);
        assertThat(called.status()).as(called.body()).isEqualTo(200);

        JsonNode message = socket.next(id);
        while (!message.has("progress")) {
            message = socket.next(id); // the stream's message of the stored change may come first
        }
        assertThat(message.get("progress").asDouble()).isEqualTo(40.0);
        assertThat(message.get("status").asText()).isEqualTo("in_progress");
    }
}
