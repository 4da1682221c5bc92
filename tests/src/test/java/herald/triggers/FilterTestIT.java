package herald.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import herald.testing.ApiKeys;
import herald.testing.HeraldClient.Response;
import herald.testing.HeraldClient;
import herald.testing.LocalHeraldExtension;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code POST /api/v2/system/trigger/_test}: whether a filter (given, or a trigger's) matches an event (given, or a
 * stored one), decided by event-ruler as the triggers decide, with each condition's verdict and the value the event
 * holds there. It changes nothing.
 */
@ExtendWith(LocalHeraldExtension.class)
class FilterTestIT {

    private static final String TEST = "/api/v2/system/trigger/_test";

    private final HeraldClient admin;

    FilterTestIT(HeraldClient admin) {
        this.admin = admin;
    }

    private JsonNode test(String body) {
        Response tested = admin.post(TEST, body);
        assertThat(tested.status()).as(tested.body()).isEqualTo(200);
        return tested.json();
    }

    private static Map<String, JsonNode> byPath(JsonNode answer) {
        Map<String, JsonNode> conditions = new HashMap<>();
        answer.get("conditions").forEach(c -> conditions.put(c.get("path").asText(), c));
        return conditions;
    }

    @Test
    void itSaysWhichConditionsFailAndWhatTheEventHolds() {
        JsonNode answer = test("""
                {"filter": {"event": "entity.*", "resource.type": ["task"], "priority": [{"numeric": [">=", 2]}],
                            "$or": [{"project": ["demo"]}, {"user": ["ada"]}]},
                 "event": {"topic": "entity.task.created", "project": "other", "user": "bob",
                           "payload": {"resource": {"type": "task"}, "priority": 1}}}
                """);
        assertThat(answer.get("matches").asBoolean()).isFalse();
        assertThat(answer.get("pattern").get("topic").get(0).get("wildcard").asText()).isEqualTo("entity.*");
        Map<String, JsonNode> conditions = byPath(answer);
        assertThat(conditions).containsOnlyKeys("topic", "payload.resource.type", "payload.priority", "$or");
        assertThat(conditions.get("topic").get("matches").asBoolean()).isTrue();
        assertThat(conditions.get("payload.resource.type").get("matches").asBoolean()).isTrue();
        assertThat(conditions.get("payload.resource.type").get("value").asText()).isEqualTo("task");
        assertThat(conditions.get("payload.priority").get("matches").asBoolean()).isFalse();
        assertThat(conditions.get("payload.priority").get("value").asInt()).isEqualTo(1);
        assertThat(conditions.get("$or").get("matches").asBoolean()).isFalse();

        JsonNode matching = test("""
                {"filter": {"event": "entity.*", "priority": [{"numeric": [">=", 2]}]},
                 "event": {"topic": "entity.task.created", "payload": {"priority": 3}}}
                """);
        assertThat(matching.get("matches").asBoolean()).isTrue();
        assertThat(matching.get("conditions")).allMatch(c -> c.get("matches").asBoolean());

        JsonNode missing = test("{\"filter\": {\"shot\": [12]}, \"event\": {\"topic\": \"a.b\"}}");
        assertThat(byPath(missing).get("payload.shot").get("value").isNull()).as("nothing there").isTrue();
    }

    @Test
    void aTriggersFilterAndAStoredEventCanBeNamed() {
        String name = "filter-test-" + UUID.randomUUID().toString().substring(0, 8);
        Response created = admin.post("/api/v2/system/trigger", "{\"name\":\"" + name + "\",\"filter\":{\"topic\":"
                + "\"filter.test.*\",\"shot\":[12]},\"action\":{\"type\":\"notify\",\"users\":[\"nobody\"]}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = admin.dispatch("{\"topic\":\"filter.test.render\",\"payload\":{\"shot\":12}}");

        JsonNode answer = test("{\"trigger\":\"" + name + "\",\"event_id\":\"" + id + "\"}");
        assertThat(answer.get("matches").asBoolean()).isTrue();
        assertThat(answer.get("event").get("id").asText()).isEqualTo(id);

        Response unknownEvent = admin.post(TEST, "{\"trigger\":\"" + name + "\",\"event_id\":\""
                + "0123456789abcdef0123456789abcdef\"}");
        assertThat(unknownEvent.status()).isEqualTo(404);
        assertThat(admin.post(TEST, "{\"trigger\":\"no-such-trigger\",\"event\":{}}").status()).isEqualTo(404);

        // a key limited to other projects cannot test against an event it may not read
        String project = "ftp" + UUID.randomUUID().toString().substring(0, 6);
        String hidden = admin.dispatch("{\"topic\":\"filter.test.render\",\"project\":\"" + project + "\"}");
        String limited = ApiKeys.create(admin, ApiKeys.uniqueName("filter-admin"), "admin", List.of("elsewhere"));
        assertThat(admin.withKey(limited).post(TEST, "{\"trigger\":\"" + name + "\",\"event_id\":\"" + hidden + "\"}")
                .status()).isEqualTo(404);
    }

    @Test
    void badInputIsA400ThatSaysWhatToFixAndNothingIsWritten() {
        int before = admin.get("/api/v2/system/trigger?include_deleted=true").json().get("resource").size();
        Response both = admin.post(TEST, "{\"filter\":{\"topic\":\"a\"},\"trigger\":\"x\",\"event\":{}}");
        assertThat(both.status()).isEqualTo(400);
        assertThat(both.json().get("detail").asText()).contains("either 'filter'", "or 'trigger'");
        assertThat(admin.post(TEST, "{\"filter\":{\"topic\":\"a\"}}").json().get("detail").asText())
                .contains("either 'event'");
        assertThat(admin.post(TEST, "{\"filter\":{},\"event\":{}}").json().get("detail").asText())
                .contains("non-empty object");
        Response refused = admin.post(TEST, "{\"filter\":{\"n\":[{\"numeric\":[\"<<\",1]}]},\"event\":{}}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("detail").asText()).startsWith("Invalid filter");
        assertThat(admin.post(TEST, "{\"filter\":{\"topic\":\"a\"},\"event\":{},\"verbose\":true}").json()
                .get("detail").asText()).contains("Unknown field 'verbose'");
        assertThat(admin.post(TEST, "{\"filter\":{\"topic\":\"a\"},\"event_id\":\"nope\"}").status()).isEqualTo(400);
        assertThat(admin.post(TEST, "{\"filter\":{\"topic\":\"a\"},\"event\":[1]}").status()).isEqualTo(400);
        assertThat(admin.get("/api/v2/system/trigger?include_deleted=true").json().get("resource").size())
                .isEqualTo(before);

        String service = ApiKeys.create(admin, ApiKeys.uniqueName("filter-service"), "service", null);
        assertThat(admin.withKey(service).post(TEST, "{\"filter\":{\"topic\":\"a\"},\"event\":{}}").status())
                .as("admins only").isEqualTo(403);
    }
}
