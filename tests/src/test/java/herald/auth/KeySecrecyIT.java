package herald.auth;

import static org.assertj.core.api.Assertions.assertThat;

import herald.local.LocalHerald;
import herald.testing.ApiKeys;
import herald.testing.HeraldClient;
import herald.testing.LocalHeraldExtension;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Keys are shown once and then exist only as hashes: never in a table, never in a log line. */
@ExtendWith(LocalHeraldExtension.class)
class KeySecrecyIT {

    private final LocalHerald herald;
    private final HeraldClient admin;

    KeySecrecyIT(LocalHerald herald, HeraldClient admin) {
        this.herald = herald;
        this.admin = admin;
    }

    @Test
    void aKeyIsNeitherStoredNorLogged() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream err = System.err;
        System.setOut(new PrintStream(new Tee(out, captured), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(err, captured), true, StandardCharsets.UTF_8));
        String name = ApiKeys.uniqueName("secret");
        String key;
        String wrong = "hk_" + "w".repeat(20) + "NeverValid" + "w".repeat(13);
        try {
            key = ApiKeys.create(admin, name, "admin", null);
            HeraldClient holder = admin.withKey(key);
            holder.get("/api/users/me");
            holder.withoutKey().delete("/api/v2/system/cache?api_key=" + key);
            holder.withoutKey().delete("/api/v2/system/cache", "Authorization", "ApiKey " + key);
            admin.withKey(wrong).get("/api/users/me");
            admin.withoutKey().delete("/api/v2/system/cache?api_key=" + wrong);
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create(herald.webSocketUrl().orElseThrow() + "/?token=" + key), new WebSocket.Listener() { })
                    .get(10, TimeUnit.SECONDS);
            socket.sendText("{\"topic\":\"auth\",\"token\":\"" + wrong + "\",\"subscribe\":[\"x.y\"]}", true)
                    .get(5, TimeUnit.SECONDS);
            try {
                HttpClient.newHttpClient().newWebSocketBuilder()
                        .buildAsync(URI.create(herald.webSocketUrl().orElseThrow() + "/?token=" + wrong),
                                new WebSocket.Listener() { })
                        .get(10, TimeUnit.SECONDS);
            } catch (Exception refused) {
                // refused, as it should be
            }
            admin.patch("/api/v2/system/api_key/" + name, "{\"revoked\":true}");
            admin.get("/api/v2/system/api_key");
        } finally {
            System.setOut(out);
            System.setErr(err);
        }

        String logs = captured.toString(StandardCharsets.UTF_8);
        assertThat(logs).doesNotContain(key).doesNotContain(key.substring(9)).doesNotContain(wrong);

        String keysTable = herald.functionEnvironment("ApiKeysFunction").get("API_KEYS_TABLE");
        StringBuilder stored = new StringBuilder();
        herald.dynamoDb().scanPaginator(r -> r.tableName(keysTable)).items()
                .forEach(item -> item.values().forEach(v -> stored.append(flatten(v)).append('\n')));
        assertThat(stored.toString()).contains(ApiKeyAuthenticator.hash(key)).contains(name)
                .doesNotContain(key).doesNotContain(key.substring(9));
        String eventsTable = herald.functionEnvironment("EventsFunction").get("EVENTS_TABLE");
        herald.dynamoDb().scanPaginator(r -> r.tableName(eventsTable)).items()
                .forEach(item -> assertThat(item.toString()).doesNotContain(key).doesNotContain(wrong));
    }

    private static String flatten(AttributeValue value) {
        return value.toString();
    }

    /** Writes to two streams: the console and the capture. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public synchronized void write(int b) throws java.io.IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) throws java.io.IOException {
            first.write(bytes, offset, length);
            second.write(bytes, offset, length);
        }
    }
}
