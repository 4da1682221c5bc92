package herald.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import herald.local.LocalHerald;
import herald.testing.LocalHeraldExtension;
import herald.testing.SocketClient;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Ayon's heartbeat: the scheduled {@code HeartbeatFunction} sends {@code {"topic": "heartbeat"}} to every
 * authenticated connection, so that an idle client stays connected; a connection that has not authenticated gets
 * none. The test runs the schedule itself instead of waiting for it.
 */
@ExtendWith(LocalHeraldExtension.class)
class HeartbeatIT {

    private final LocalHerald herald;

    HeartbeatIT(LocalHerald herald) {
        this.herald = herald;
    }

    @Test
    void anIdleAuthenticatedClientReceivesAHeartbeat() throws Throwable {
        String topic = "hb" + UUID.randomUUID().toString().replace("-", "").substring(0, 10) + ".idle";
        SocketClient idle = SocketClient.subscribed(herald, LocalHeraldExtension.API_KEY, topic, 1);
        SocketClient anonymous = SocketClient.connect(herald, "");

        Object answer = herald.runSchedule("HeartbeatFunction");

        JsonNode heartbeat = idle.heartbeats.poll(20, TimeUnit.SECONDS);
        assertThat(heartbeat).as("a heartbeat").isNotNull();
        assertThat(heartbeat.toString()).isEqualTo("{\"topic\":\"heartbeat\"}");
        assertThat(String.valueOf(answer)).contains("sent");
        assertThat(anonymous.heartbeats).as("no heartbeat before authenticating").isEmpty();
        assertThat(idle.closed).isNotDone();
        assertThat(idle.all).as("nothing but the heartbeat").isEmpty();
    }
}
