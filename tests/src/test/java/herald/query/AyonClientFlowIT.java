package herald.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import herald.testing.HeraldClient.Response;
import herald.testing.HeraldClient;
import herald.testing.LocalHeraldExtension;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The sequence Ayon's Python client runs against a server, request by request as it sends them: the bootstrap on
 * connect, then dispatch, get, update, the GraphQL listing it sends, and enroll.
 */
@ExtendWith(LocalHeraldExtension.class)
class AyonClientFlowIT {

    private final HeraldClient api;

    AyonClientFlowIT(HeraldClient api) {
        this.api = api;
    }

    @Test
    void anAyonServiceConnectsAndWorks() {
        HeraldClient anonymous = api.withoutKey();
        String key = LocalHeraldExtension.API_KEY;
        // ServerAPI(url, token=key): GET / with no headers, then /api/info and /api/users/me with Bearer.
        assertThat(anonymous.get("/").status()).isEqualTo(200);
        Response info = anonymous.get("/api/info", "Authorization", "Bearer " + key);
        assertThat(info.status()).isEqualTo(200);
        assertThat(info.json().get("version").asText()).matches("\\d+\\.\\d+\\.\\d+");
        assertThat(anonymous.get("/api/users/me", "Authorization", "Bearer " + key).status()).isEqualTo(401);
        // ... so the client retries with X-Api-Key, and treats itself as a service from then on.
        Response me = anonymous.get("/api/users/me", "X-Api-Key", key);
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("name").asText()).isEqualTo("admin");
        assertThat(me.json().get("attrib").isObject()).isTrue();
        assertThat(me.json().get("isService").asBoolean()).isTrue();
        assertThat(anonymous.get("/api/attributes", "X-Api-Key", key).json().get("attributes").isArray()).isTrue();

        HeraldClient service = anonymous.withKey(key);
        String topic = "ayon" + UUID.randomUUID().toString().replace("-", "").substring(0, 8) + ".test";
        String headers = "{\"topic\":\"" + topic + "\",\"sender\":\"svc\",\"hash\":null,\"project\":null,\"user\":null,"
                + "\"description\":\"from the client\",\"summary\":{},\"payload\":{\"k\":1},\"finished\":true,\"store\":true}";
        Response dispatched = service.post("/api/events", headers, "x-sender-type", "service", "x-sender", "svc");
        assertThat(dispatched.status()).isEqualTo(200);
        String id = dispatched.json().get("id").asText();
        assertThat(service.get("/api/events/" + id).json().get("payload").get("k").asInt()).isEqualTo(1);
        assertThat(service.patch("/api/events/" + id, "{\"description\":\"updated\",\"progress\":50}").status())
                .isEqualTo(204);

        // get_events(topics=[...]) sends exactly this.
        String query = "query Events($eventTopics: [String!],$includeLogsFilter: Boolean!) {\n"
                + "  events(topics: $eventTopics, includeLogs: $includeLogsFilter, first: 300) {\n"
                + "    edges { node { description topic status id retries createdAt dependsOn project user sender "
                + "updatedAt hash } }\n    pageInfo { endCursor hasNextPage }\n  }\n}";
        String body = "{\"query\":" + new com.fasterxml.jackson.databind.node.TextNode(query) + ",\"variables\":"
                + "{\"eventTopics\":[\"" + topic.replace(".test", ".*") + "\"],\"includeLogsFilter\":false}}";
        JsonNode events = service.post("/graphql", body).json().get("data").get("events");
        assertThat(events.get("edges")).hasSize(1);
        assertThat(events.get("edges").get(0).get("node").get("description").asText()).isEqualTo("updated");
        assertThat(events.get("pageInfo").get("hasNextPage").asBoolean()).isFalse();

        // enroll_event_job(source_topic, target_topic, sender, ...)
        Response job = service.post("/api/enroll", "{\"sourceTopic\":\"" + topic + "\",\"targetTopic\":\"" + topic
                + ".done\",\"sender\":\"svc\",\"maxRetries\":3,\"sequential\":false,\"description\":null,"
                + "\"filter\":null,\"ignoreOlderThan\":3,\"ignoreSenderTypes\":null}");
        assertThat(job.status()).isEqualTo(200);
        assertThat(job.json().get("dependsOn").asText()).isEqualTo(id);
        assertThat(service.patch("/api/events/" + job.json().get("id").asText(), "{\"status\":\"finished\"}").status())
                .isEqualTo(204);
    }
}
