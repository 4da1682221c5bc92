package herald.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.kernel.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventJsonTest {

    @Test
    void hasExactlyTheFifteenKeysOfTheContractWithNullsIncluded() {
        Event event = EventItemsTest.event("0123456789abcdef0123456789abcdef", Json.MAPPER.createObjectNode(), 1L);
        ObjectNode json = EventJson.toJson(event);
        List<String> keys = new ArrayList<>();
        json.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("id", "hash", "topic", "sender", "senderType", "project", "user", "dependsOn",
                "status", "retries", "description", "summary", "payload", "createdAt", "updatedAt");
        assertThat(json.get("dependsOn").isNull()).isTrue();
        assertThat(json.get("createdAt").asText()).isEqualTo("2026-11-22T10:00:00.123456+00:00");
        assertThat(json.get("status").asText()).isEqualTo("finished");
        assertThat(json.get("summary").get("k").asText()).isEqualTo("v");
    }
}
