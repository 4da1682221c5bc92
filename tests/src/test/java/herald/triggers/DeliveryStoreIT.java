package herald.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import herald.local.LocalHerald;
import herald.testing.LocalHeraldExtension;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The deliveries table's sort keys sort in time order, also within one second (they once did not). */
@ExtendWith(LocalHeraldExtension.class)
class DeliveryStoreIT {

    private final DeliveryStore store;

    DeliveryStoreIT(LocalHerald herald) {
        this.store = new DeliveryStore(herald.dynamoDb(),
                herald.functionEnvironment("DeliveryRetryFunction").get("DELIVERIES_TABLE"));
    }

    private static final RetryPolicy RETRY = RetryPolicy.of(herald.kernel.Json.MAPPER.createObjectNode(),
            java.time.Duration.ofSeconds(30));

    private Delivery pending(String trigger, Instant due) {
        return new Delivery(trigger, "msg_" + UUID.randomUUID().toString().replace("-", ""), "e".repeat(32), "a.b.c",
                "https://example.com/hook", "{}", "pending", List.of(), 8, due, due.minusSeconds(60), RETRY, List.of(),
                DeliveryRules.NONE, null, null);
    }

    @Test
    void aDeliveryDueOnAWholeSecondIsDueAFractionLater() {
        // far in the past, so that no other test's delivery is due before these
        Instant second = Instant.parse("2001-01-01T00:00:00Z");
        String trigger = "order-" + UUID.randomUUID();
        Delivery onTheSecond = pending(trigger, second);
        Delivery within = pending(trigger, second.plusMillis(500));
        Delivery later = pending(trigger, second.plusMillis(1_500));
        store.save(later);
        store.save(within);
        store.save(onTheSecond);

        List<String> due = store.due(second.plusMillis(700), 1_000).stream()
                .filter(d -> d.trigger().equals(trigger)).map(Delivery::id).toList();
        assertThat(due).containsExactly(onTheSecond.id(), within.id());
    }

    @Test
    void theListingReadsPastOnePageAndShowsTheNewestFirst() {
        String trigger = "pages-" + UUID.randomUUID();
        Instant start = Instant.parse("2026-06-01T00:00:00Z");
        String large = "{\"x\":\"" + "y".repeat(200_000) + "\"}";
        for (int i = 0; i < 12; i++) {
            Instant at = start.plusSeconds(i);
            // 12 deliveries of 200 KB: more than the 1 MB one Query page holds
            store.save(new Delivery(trigger, "msg_" + UUID.randomUUID().toString().replace("-", ""), "e".repeat(32),
                    "a.b.c", "https://example.com/hook", large, "delivered", List.of(), 8, null, at, RETRY, List.of(),
                    DeliveryRules.NONE, null, null));
        }
        List<Delivery> listed = store.list(trigger, Delivery.STATES, 50);
        assertThat(listed).hasSize(12);
        assertThat(listed.get(0).createdAt()).isEqualTo(start.plusSeconds(11));
        assertThat(listed.get(11).createdAt()).isEqualTo(start);
        assertThat(store.list(trigger, Delivery.STATES, 3)).extracting(Delivery::createdAt)
                .containsExactly(start.plusSeconds(11), start.plusSeconds(10), start.plusSeconds(9));
    }

    @Test
    void oneSenderHoldsADeliveryUntilItsLeaseRunsOut() {
        Instant now = Instant.parse("2026-06-01T12:00:00Z");
        Delivery delivery = pending("lease-" + UUID.randomUUID(), now);
        store.save(delivery);
        java.time.Duration minute = java.time.Duration.ofMinutes(1);
        Delivery held = store.claim(delivery.trigger(), delivery.id(), now, minute).orElseThrow();
        assertThat(held.status()).isEqualTo("delivering");
        assertThat(held.nextAttemptAt()).isEqualTo(now.plus(minute));
        assertThat(held.body()).as("the claim reads the delivery").isEqualTo(delivery.body());
        assertThat(store.claim(delivery.trigger(), delivery.id(), now.plusSeconds(30), minute)).as("held").isEmpty();
        assertThat(store.get(delivery.trigger(), delivery.id()).orElseThrow().status()).isEqualTo("delivering");
        assertThat(store.claim(delivery.trigger(), delivery.id(), now.plusSeconds(61), minute))
                .as("a sender that died: its lease ran out").isPresent();
        assertThat(store.claim(delivery.trigger(), "msg_none", now, minute)).as("no such delivery").isEmpty();
    }

    @Test
    void theDeliveriesOfAStateAreReadAcrossTriggersAndShardsNewestFirst() {
        Instant start = Instant.parse("2003-03-03T00:00:00Z");
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Delivery failed = new Delivery("state-" + (i % 3) + "-" + UUID.randomUUID(), "msg_" + UUID.randomUUID()
                    .toString().replace("-", ""), "e".repeat(32), "a.b.c", "https://example.com/hook", "{}", "failed",
                    List.of(), 8, null, start.plusSeconds(i), RETRY, List.of(), DeliveryRules.NONE, null, null);
            store.save(failed);
            ids.add(0, failed.id());
        }
        List<Delivery> found = store.inState("failed", start, 1_000).stream()
                .filter(d -> !d.createdAt().isAfter(start.plusSeconds(19))).toList();
        assertThat(found).extracting(Delivery::id).containsExactlyElementsOf(ids);
        assertThat(found.stream().map(d -> DeliveryStore.shard(d.id())).distinct().count()).isGreaterThan(1);
        assertThat(store.inState("failed", start.plusSeconds(15), 1_000).stream()
                .filter(d -> !d.createdAt().isAfter(start.plusSeconds(19))).toList()).hasSize(5);
    }
}
