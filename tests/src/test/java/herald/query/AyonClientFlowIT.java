package herald.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import herald.testing.AyonQueries;
import herald.testing.HeraldClient.Response;
import herald.testing.HeraldClient;
import herald.testing.LocalHeraldExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The sequence Ayon's Python client runs against a server, request by request as it sends them: the bootstrap on
 * connect, a user by name, a dispatch for another user ({@code as_username}), the project names, then dispatch, get,
 * update, the GraphQL listings it sends (a range of one instant included), and enroll.
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
        String project = "ayon" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);

        // get_user_by_name("admin"): a GraphQL users query
        JsonNode users = service.post("/graphql", AyonQueries.users("[\"admin\"]")).json();
        assertThat(users.at("/data/users/edges/0/node/name").asText()).as(users.toString()).isEqualTo("admin");
        assertThat(users.at("/data/users/edges/0/node/accessGroups").asText()).isEqualTo("{}");
        // get_user("admin"): REST
        assertThat(service.get("/api/users/admin").json().get("isAdmin").asBoolean()).isTrue();

        // with ayon_api.as_username("alice"): dispatch_event(..., project_name=project)
        Response asAlice = service.post("/api/events", "{\"topic\":\"" + topic + "\",\"sender\":\"svc\","
                + "\"hash\":null,\"project\":\"" + project + "\",\"user\":null,\"description\":\"for alice\","
                + "\"summary\":{},\"payload\":{},\"finished\":true,\"store\":true}", "X-as-user", "alice");
        assertThat(asAlice.status()).as(asAlice.body()).isEqualTo(200);
        JsonNode alicesEvent = service.get("/api/events/" + asAlice.json().get("id").asText()).json();
        assertThat(alicesEvent.get("user").asText()).isEqualTo("alice");

        // get_project_names(): GET /api/projects?active=true, then get_project(name)
        Response projects = service.get("/api/projects?active=true");
        assertThat(projects.status()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        projects.json().get("projects").forEach(p -> names.add(p.get("name").asText()));
        assertThat(names).contains(project);
        assertThat(service.get("/api/projects/" + project).json().get("name").asText()).isEqualTo(project);
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
        assertThat(events.get("edges")).hasSize(2);
        assertThat(events.get("edges").get(1).get("node").get("description").asText()).isEqualTo("updated");
        assertThat(events.get("pageInfo").get("hasNextPage").asBoolean()).isFalse();

        // get_events(topics=[...], newer_than=t, older_than=t): the same instant is an empty range, not an error
        String createdAt = alicesEvent.get("createdAt").asText();
        String ranged = "query Events($eventTopics: [String!],$newerThanFilter: String!,$olderThanFilter: String!,"
                + "$includeLogsFilter: Boolean!) {\n  events(topics: $eventTopics, newerThan: $newerThanFilter, "
                + "olderThan: $olderThanFilter, includeLogs: $includeLogsFilter, first: 300) {\n"
                + "    edges { node { id topic } }\n    pageInfo { endCursor hasNextPage }\n  }\n}";
        JsonNode empty = service.post("/graphql", "{\"query\":" + new com.fasterxml.jackson.databind.node.TextNode(
                ranged) + ",\"variables\":{\"eventTopics\":[\"" + topic + "\"],\"newerThanFilter\":\"" + createdAt
                + "\",\"olderThanFilter\":\"" + createdAt + "\",\"includeLogsFilter\":false}}").json();
        assertThat(empty.has("errors")).as(empty.toString()).isFalse();
        assertThat(empty.at("/data/events/edges")).isEmpty();

        // enroll_event_job(source_topic, target_topic, sender, ...)
        Response job = service.post("/api/enroll", "{\"sourceTopic\":\"" + topic + "\",\"targetTopic\":\"" + topic
                + ".done\",\"sender\":\"svc\",\"maxRetries\":3,\"sequential\":false,\"description\":null,"
                + "\"filter\":null,\"ignoreOlderThan\":3,\"ignoreSenderTypes\":null}");
        assertThat(job.status()).isEqualTo(200);
        // the oldest source first: the event dispatched for alice
        assertThat(job.json().get("dependsOn").asText()).isEqualTo(alicesEvent.get("id").asText());
        assertThat(service.patch("/api/events/" + job.json().get("id").asText(), "{\"status\":\"finished\"}").status())
                .isEqualTo(204);
    }
}
