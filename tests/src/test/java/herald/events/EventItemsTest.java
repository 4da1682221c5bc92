package herald.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.kernel.Json;
import herald.kernel.PayloadTooLargeException;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class EventItemsTest {

    static Event event(String id, ObjectNode payload, Long expiresAt) {
        Instant created = Instant.parse("2026-11-22T10:00:00.123456Z");
        return new Event(id, "hash-" + id, "entity.task.created", "sender", "api", "proj", "admin", null,
                EventStatus.FINISHED, 2, "desc", (ObjectNode) Json.MAPPER.createObjectNode().put("k", "v"), payload,
                created, created.plusSeconds(5), expiresAt, null, null);
    }

    @Test
    void roundTripsEveryField() {
        ObjectNode payload = (ObjectNode) Json.readStored("{\"nested\":{\"n\":1.5,\"big\":12345678901234567890.25,"
                + "\"list\":[\"é\",3,null,true]}}");
        Event event = event("0123456789abcdef0123456789abcdef", payload, 1_900_000_000L);
        assertThat(EventItems.fromItem(EventItems.toItem(event))).isEqualTo(event);
    }

    @Test
    void absentFieldsAreAbsentAttributesSoIndexesStaySparse() {
        Instant now = Instant.parse("2026-11-22T10:00:00Z");
        Event bare = new Event("0123456789abcdef0123456789abcdef", "h", "a.b", null, "api", null, "admin", null,
                EventStatus.PENDING, 0, "", Json.MAPPER.createObjectNode(), Json.MAPPER.createObjectNode(), now, now, null, null,
                null);
        Map<String, AttributeValue> item = EventItems.toItem(bare);
        assertThat(item).doesNotContainKeys("project", "dependsOn", "sender", "expiresAt");
        assertThat(item.get("createdKey").s()).isEqualTo("2026-11-22T10:00:00.000000+00:00#0123456789abcdef0123456789abcdef");
        assertThat(EventItems.fromItem(item)).isEqualTo(bare);
    }

    @Test
    void sizeCountsNamesAndUtf8Values() {
        assertThat(EventItems.sizeOf(Map.of("ab", AttributeValue.fromS("é")))).isEqualTo(2 + 2);
        assertThat(EventItems.sizeOf(Map.of("n", AttributeValue.fromN("12345")))).isEqualTo(1 + 4);
        assertThat(EventItems.sizeOf(Map.of("b", AttributeValue.fromBool(true)))).isEqualTo(2);
    }

    @Test
    void anEventOverTheItemLimitIsRefusedWithTheLimitInTheMessage() {
        ObjectNode payload = Json.MAPPER.createObjectNode().put("blob", "x".repeat(EventItems.MAX_ITEM_BYTES));
        Map<String, AttributeValue> item = EventItems.toItem(event("0123456789abcdef0123456789abcdef", payload, null));
        assertThatThrownBy(() -> EventItems.requireStorable(item))
                .isInstanceOf(PayloadTooLargeException.class)
                .hasMessageContaining("409600 bytes (400 KB)");
    }

    @Test
    void anEventJustUnderTheLimitIsStorable() {
        ObjectNode payload = Json.MAPPER.createObjectNode().put("blob", "x".repeat(EventItems.MAX_ITEM_BYTES - 2_000));
        Map<String, AttributeValue> item = EventItems.toItem(event("0123456789abcdef0123456789abcdef", payload, null));
        assertThat(EventItems.requireStorable(item)).isSameAs(item);
    }
}
