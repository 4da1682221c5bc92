package herald.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import herald.local.LocalHerald;
import herald.testing.LocalHeraldExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a trigger's senders share holds under concurrent senders, on DynamoDB Local: the places among the attempts in
 * flight, the attempts of a second, the waiting list and the lanes of {@code order_by}.
 */
@ExtendWith(LocalHeraldExtension.class)
class EndpointStoreIT {

    private final EndpointStore store;
    private final ExecutorService senders = Executors.newFixedThreadPool(24);

    EndpointStoreIT(LocalHerald herald) {
        this.store = new EndpointStore(herald.dynamoDb(), herald.functionEnvironment("WebhookFunction")
                .get("DELIVERIES_TABLE"));
    }

    @AfterEach
    void stop() {
        senders.shutdownNow();
    }

    private <T> List<T> atOnce(int senders, Callable<T> each) throws Exception {
        List<Callable<T>> tasks = new ArrayList<>();
        for (int i = 0; i < senders; i++) {
            tasks.add(each);
        }
        List<T> results = new ArrayList<>();
        for (Future<T> result : this.senders.invokeAll(tasks)) {
            results.add(result.get());
        }
        return results;
    }

    @Test
    void twentyFourSendersAtOnceGetExactlyTheThreePlaces() throws Exception {
        String trigger = "places-" + UUID.randomUUID();
        Instant now = Instant.now();
        List<String> holders = atOnce(24, () -> {
            String holder = UUID.randomUUID().toString();
            return store.acquire(trigger, holder, 3, now, Duration.ofMinutes(1)) ? holder : null;
        });
        List<String> held = holders.stream().filter(h -> h != null).toList();
        assertThat(held).hasSize(3);
        assertThat(store.get(trigger).holders().keySet()).containsExactlyInAnyOrderElementsOf(held);
        assertThat(store.acquire(trigger, "late", 3, now, Duration.ofMinutes(1))).as("all taken").isFalse();

        store.release(trigger, held.get(0));
        assertThat(store.acquire(trigger, "next", 3, now, Duration.ofMinutes(1))).as("one given back").isTrue();
        assertThat(store.acquire(trigger, "after-a-crash", 3, now.plus(Duration.ofMinutes(2)), Duration.ofMinutes(1)))
                .as("places whose lease ran out (their senders died) are freed").isTrue();
        assertThat(store.get(trigger).holders()).containsOnlyKeys("after-a-crash");
    }

    @Test
    void twentyFourSendersInOneSecondTakeExactlyItsFiveAttempts() throws Exception {
        String trigger = "rate-" + UUID.randomUUID();
        Instant second = Instant.parse("2026-06-01T00:00:00.100Z");
        List<Boolean> taken = atOnce(24, () -> store.takeToken(trigger, 5, second));
        assertThat(taken.stream().filter(t -> t).count()).isEqualTo(5);
        assertThat(store.takeToken(trigger, 5, second.plusMillis(800))).as("the same second").isFalse();
        assertThat(store.takeToken(trigger, 5, second.plusSeconds(1))).as("the next second").isTrue();
    }

    @Test
    void aLaneLetsItsDeliveriesGoOneAfterAnotherInTheOrderRecorded() throws Exception {
        String trigger = "lane-" + UUID.randomUUID();
        for (String id : List.of("msg_a", "msg_b", "msg_c", "msg_d")) {
            assertThat(store.enqueue(trigger, "asset-1", id)).isTrue();
        }
        assertThat(store.enqueue(trigger, "asset-1", "msg_b")).as("queued once").isTrue();
        assertThat(store.lane(trigger, "asset-1")).containsExactly("msg_a", "msg_b", "msg_c", "msg_d");
        assertThat(store.lane(trigger, "asset-2")).isEmpty();

        assertThat(store.finish(trigger, "asset-1", "msg_c")).as("one taken out behind the first").isNull();
        assertThat(store.finish(trigger, "asset-1", "msg_a")).isEqualTo("msg_b");
        // two senders finishing the same delivery at once: it comes off once
        List<String> next = atOnce(2, () -> store.finish(trigger, "asset-1", "msg_b"));
        assertThat(next).contains("msg_d");
        assertThat(store.lane(trigger, "asset-1")).containsExactly("msg_d");
        assertThat(store.finish(trigger, "asset-1", "msg_d")).isNull();
        assertThat(store.lane(trigger, "asset-1")).isEmpty();

        String longKey = "k".repeat(500);
        assertThat(store.enqueue(trigger, longKey, "msg_e")).isTrue();
        assertThat(store.lane(trigger, longKey)).containsExactly("msg_e");
        assertThat(EndpointStore.lane(longKey)).startsWith("lane#sha256:").hasSizeLessThan(100);
    }

    @Test
    void deliveriesWaitForAPlaceOnceEachAndAreTakenOldestFirst() throws Exception {
        String trigger = "waiting-" + UUID.randomUUID();
        atOnce(12, () -> {
            store.await(trigger, "msg_same");
            return null;
        });
        store.await(trigger, "msg_second");
        store.await(trigger, "msg_third");
        assertThat(store.get(trigger).waiting()).containsExactly("msg_same", "msg_second", "msg_third");
        List<List<String>> taken = atOnce(3, () -> store.takeWaiting(trigger, 2));
        assertThat(taken.stream().flatMap(List::stream).toList())
                .as("each taken by one sender").containsExactlyInAnyOrder("msg_same", "msg_second", "msg_third");
        assertThat(store.anyWaiting(trigger)).isFalse();
    }

    @Test
    void anEndpointFailsInARowUntilASuccessAndIsDisabledOnce() {
        String trigger = "health-" + UUID.randomUUID();
        Instant start = Instant.parse("2026-06-01T00:00:00Z");
        store.failed(trigger, start);
        EndpointStore.Endpoint twice = store.failed(trigger, start.plusSeconds(60));
        assertThat(twice.failures()).isEqualTo(2);
        assertThat(twice.failingSince()).isEqualTo(start);
        store.succeeded(trigger);
        assertThat(store.get(trigger).failures()).isZero();
        assertThat(store.get(trigger).failingSince()).isNull();
        assertThat(store.failed(trigger, start.plusSeconds(120)).failingSince()).isEqualTo(start.plusSeconds(120));

        assertThat(store.disable(trigger, start)).isTrue();
        assertThat(store.disable(trigger, start)).as("once").isFalse();
        assertThat(store.enable(trigger)).isTrue();
        assertThat(store.get(trigger).disabledAt()).isNull();
        assertThat(store.get(trigger).failures()).isZero();
        assertThat(store.enable(trigger)).as("not disabled").isFalse();
    }
}
