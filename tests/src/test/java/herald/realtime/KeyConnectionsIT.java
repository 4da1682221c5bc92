package herald.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import herald.auth.Principal;
import herald.auth.Role;
import herald.local.LocalHerald;
import herald.testing.AdjustableClock;
import herald.testing.ApiKeys;
import herald.testing.HeraldClient;
import herald.testing.LocalHeraldExtension;
import herald.testing.SocketClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A WebSocket connection holds the rights of the key it authenticated with for as long as it is open (up to two
 * hours), so a key that changes has its connections closed at once, and a key that expires stops receiving.
 */
@ExtendWith(LocalHeraldExtension.class)
class KeyConnectionsIT {

    private final HeraldClient admin;
    private final LocalHerald herald;
    private final String topic = "kc" + UUID.randomUUID().toString().replace("-", "").substring(0, 10) + ".live";

    KeyConnectionsIT(HeraldClient admin, LocalHerald herald) {
        this.admin = admin;
        this.herald = herald;
    }

    @Test
    void aRevokedChangedOrDeletedKeyHasItsConnectionsClosedAtOnce() throws Exception {
        Map<String, String> changes = Map.of(
                "revoked", "{\"revoked\":true}",
                "narrowed", "{\"projects\":[\"elsewhere\"]}",
                "demoted", "{\"role\":\"user\"}");
        int subscribers = 0;
        SocketClient witness = SocketClient.subscribed(herald, LocalHeraldExtension.API_KEY, topic, ++subscribers);
        for (Map.Entry<String, String> change : changes.entrySet()) {
            String name = ApiKeys.uniqueName("kc-" + change.getKey());
            SocketClient holder = SocketClient.subscribed(herald, ApiKeys.create(admin, name, "service", null), topic,
                    ++subscribers);
            SocketClient other = SocketClient.subscribed(herald,
                    ApiKeys.create(admin, ApiKeys.uniqueName("kc-other"), "service", null), topic, ++subscribers);
            String before = dispatch();
            holder.next(before);

            HeraldClient.Response changed = admin.patch("/api/v2/system/api_key/" + name, change.getValue());
            assertThat(changed.status()).as(changed.body()).isEqualTo(200);
            // closed before the change is answered: no event after it can reach the connection
            assertThat(holder.closed.get(20, TimeUnit.SECONDS)).as(change.getKey()).isEqualTo(1000);
            subscribers--;

            String after = dispatch();
            witness.next(after);
            other.next(after);
            assertThat(holder.all).as(change.getKey()).extracting(m -> m.path("id").asText()).doesNotContain(after);
            assertThat(other.closed).as("another key's connection").isNotDone();
        }

        String name = ApiKeys.uniqueName("kc-deleted");
        SocketClient holder = SocketClient.subscribed(herald, ApiKeys.create(admin, name, "user", null), topic,
                ++subscribers);
        assertThat(admin.delete("/api/v2/system/api_key/" + name).status()).isEqualTo(204);
        assertThat(holder.closed.get(20, TimeUnit.SECONDS)).isEqualTo(1000);
    }

    /**
     * Expiry needs no change to close anything: each subscription carries its key's expiry, and neither fan-out nor
     * a user's notifications reach it afterwards. On the registry itself, with a clock the test moves.
     */
    @Test
    void aConnectionStopsReceivingWhenItsKeyExpires() {
        Map<String, String> environment = herald.functionEnvironment("RealtimeFunction");
        AdjustableClock clock = new AdjustableClock();
        ConnectionRegistry registry = new ConnectionRegistry(herald.dynamoDb(), environment.get("CONNECTIONS_TABLE"),
                environment.get("SUBSCRIPTIONS_TABLE"), clock);
        String user = "kc-expiring-" + UUID.randomUUID();
        String expiring = "kc-exp-" + UUID.randomUUID();
        String lasting = "kc-last-" + UUID.randomUUID();
        Principal principal = new Principal(user, Role.USER, null);
        registry.subscribe(expiring, principal, clock.instant().plus(Duration.ofMinutes(1)),
                Subscriptions.of(List.of(topic)), null, false);
        registry.subscribe(lasting, principal, null, Subscriptions.of(List.of(topic)), null, false);
        try {
            assertThat(registry.subscribers(topic, null)).extracting(ConnectionRegistry.Subscriber::connectionId)
                    .contains(expiring, lasting);
            assertThat(registry.connectionsOf(user, null)).containsExactlyInAnyOrder(expiring, lasting);

            clock.advance(Duration.ofSeconds(61));
            assertThat(registry.subscribers(topic, null)).extracting(ConnectionRegistry.Subscriber::connectionId)
                    .contains(lasting).doesNotContain(expiring);
            assertThat(registry.connectionsOf(user, null)).containsExactly(lasting);
        } finally {
            registry.close(expiring);
            registry.close(lasting);
        }
    }

    private String dispatch() {
        HeraldClient.Response response = admin.post("/api/events", "{\"topic\":\"" + topic + "\",\"description\":\"x\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().get("id").asText();
    }
}
