package herald.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import herald.local.LocalHerald;
import herald.testing.HeraldClient.Response;
import herald.testing.HeraldClient;
import herald.testing.LocalHeraldExtension;
import herald.testing.WebhookListener;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Running webhook deliveries, against a real receiver: the states (the dead letter among them) and their listings,
 * the retry policy (what is not retried, Retry-After, a maximum age), recovery of a time window, cancel, and bad
 * input, each a 400 that names the field.
 */
@ExtendWith(LocalHeraldExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeliveryOperationsIT {

    private final LocalHerald herald;
    private final HeraldClient admin;
    private final String prefix = "dops" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private WebhookListener listener;

    DeliveryOperationsIT(LocalHerald herald, HeraldClient admin) {
        this.herald = herald;
        this.admin = admin;
    }

    @BeforeAll
    void listen() throws Exception {
        listener = new WebhookListener();
    }

    @AfterAll
    void stop() {
        listener.close();
    }

    /** A webhook trigger on topic {@code <prefix>.<suffix>} to path {@code /<prefix>/<suffix>}. */
    private String trigger(String suffix, String actionExtra) {
        String name = prefix + "-" + suffix;
        Response created = admin.post("/api/v2/system/trigger", "{\"name\":\"" + name + "\",\"filter\":{\"topic\":\""
                + prefix + "." + suffix + "\"},\"action\":{\"type\":\"webhook\",\"url\":\""
                + listener.url("/" + prefix + "/" + suffix) + "\"" + actionExtra + "}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return name;
    }

    private JsonNode settled(String trigger, String suffix) {
        admin.dispatch("{\"topic\":\"" + prefix + "." + suffix + "\"}");
        return await(trigger + "'s delivery settled").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(25))
                .until(() -> deliveries(trigger, ""), list -> list.size() == 1 && list.get(0).get("attempt_count").asInt() > 0
                        && !list.get(0).get("status").asText().equals("delivering"))
                .get(0);
    }

    private JsonNode deliveries(String trigger, String query) {
        Response listed = admin.get("/api/v2/system/trigger/" + trigger + "/deliveries" + query);
        assertThat(listed.status()).as(listed.body()).isEqualTo(200);
        return listed.json().get("resource");
    }

    @Test
    void aDeliveryOutOfAttemptsIsADeadLetterListedByStateAndRecovered() throws Throwable {
        String suffix = "dead";
        String path = "/" + prefix + "/" + suffix;
        listener.answer(path, 500, 502);
        String name = trigger(suffix, ",\"max_attempts\":2");
        Instant before = Instant.now().minusSeconds(5);
        JsonNode first = settled(name, suffix);
        assertThat(first.get("status").asText()).isEqualTo("pending");
        assertThat(first.get("retry").get("retry_statuses")).extracting(JsonNode::asInt).containsExactly(408, 409, 425, 429);
        herald.runSchedule("DeliveryRetryFunction");
        herald.awaitAsyncInvocations(java.time.Duration.ofSeconds(60));
        JsonNode dead = deliveries(name, "?status=failed").get(0);
        assertThat(dead.get("attempt_count").asInt()).isEqualTo(2);
        assertThat(dead.get("notes").get(0).get("note").asText()).contains("failed", "2 attempts are spent");
        assertThat(deliveries(name, "?status=pending")).isEmpty();

        Response across = admin.get("/api/v2/system/deliveries?status=failed&since=" + before);
        assertThat(across.status()).as(across.body()).isEqualTo(200);
        assertThat(across.json().get("resource").findValuesAsText("id")).contains(dead.get("id").asText());

        Response recovered = admin.post("/api/v2/system/trigger/" + name + "/recover", "{\"since\":\"" + before + "\"}");
        assertThat(recovered.status()).as(recovered.body()).isEqualTo(200);
        assertThat(recovered.json().get("recovered").asInt()).isEqualTo(1);
        JsonNode again = deliveries(name, "").get(0);
        assertThat(again.get("status").asText()).isEqualTo("pending");
        assertThat(again.get("notes").get(1).get("note").asText()).startsWith("recovered");
        assertThat(admin.post("/api/v2/system/trigger/" + name + "/recover", "{\"since\":\"" + before + "\"}")
                .json().get("recovered").asInt()).as("nothing left to recover").isEqualTo(0);
        herald.runSchedule("DeliveryRetryFunction");
        herald.awaitAsyncInvocations(java.time.Duration.ofSeconds(60));
        assertThat(deliveries(name, "").get(0).get("status").asText()).isEqualTo("delivered");
        assertThat(listener.at(path)).extracting(WebhookListener.Received::answered).containsExactly(500, 502, 200);

        // a window that holds it recovers nothing once it is delivered; one before it holds nothing
        Response window = admin.post("/api/v2/system/trigger/" + name + "/recover", "{\"since\":\""
                + before.minusSeconds(3600) + "\",\"until\":\"" + before + "\"}");
        assertThat(window.json().get("recovered").asInt()).isEqualTo(0);
    }

    @Test
    void whatWillNeverSucceedIsNotRetried() {
        for (int status : List.of(400, 410)) {
            String suffix = "never" + status;
            listener.answer("/" + prefix + "/" + suffix, status);
            JsonNode delivery = settled(trigger(suffix, ""), suffix);
            assertThat(delivery.get("status").asText()).as("after a " + status).isEqualTo("failed");
            assertThat(delivery.get("attempt_count").asInt()).isEqualTo(1);
            assertThat(delivery.get("notes").get(0).get("note").asText()).contains(status == 410 ? "410 Gone"
                    : "a 400 is not retried");
        }
        // a 4xx the policy names is retried
        String suffix = "conflict";
        listener.answer("/" + prefix + "/" + suffix, 409);
        JsonNode retried = settled(trigger(suffix, ",\"retry\":{\"retry_statuses\":[409]}"), suffix);
        assertThat(retried.get("status").asText()).isEqualTo("pending");
    }

    @Test
    void retryAfterIsHonouredUpToTheCapAndTheMaximumAgeEndsRetrying() {
        String suffix = "later";
        String path = "/" + prefix + "/" + suffix;
        listener.answer(path, 429);
        listener.retryAfter(path, "7");
        JsonNode delivery = settled(trigger(suffix, ""), suffix);
        assertThat(delivery.get("status").asText()).isEqualTo("pending");
        JsonNode attempt = delivery.get("attempts").get(0);
        assertThat(attempt.get("retry_after_seconds").asInt()).isEqualTo(7);
        Duration wait = Duration.between(OffsetDateTime.parse(attempt.get("at").asText()).toInstant(),
                OffsetDateTime.parse(delivery.get("next_attempt_at").asText()).toInstant());
        assertThat(wait).isBetween(Duration.ofSeconds(7), Duration.ofSeconds(8));

        String capped = "capped";
        listener.answer("/" + prefix + "/" + capped, 503);
        listener.retryAfter("/" + prefix + "/" + capped, "86400");
        JsonNode short1 = settled(trigger(capped, ",\"retry\":{\"base_seconds\":5,\"cap_seconds\":30}"), capped);
        Duration cappedWait = Duration.between(OffsetDateTime.parse(short1.get("attempts").get(0).get("at").asText())
                .toInstant(), OffsetDateTime.parse(short1.get("next_attempt_at").asText()).toInstant());
        assertThat(cappedWait).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(31));

        String old = "old";
        listener.answer("/" + prefix + "/" + old, 503);
        listener.retryAfter("/" + prefix + "/" + old, "3600");
        JsonNode aged = settled(trigger(old, ",\"retry\":{\"max_age_seconds\":60}"), old);
        assertThat(aged.get("status").asText()).isEqualTo("failed");
        assertThat(aged.get("notes").get(0).get("note").asText()).contains("maximum age of 60 s");
    }

    @Test
    void aPendingDeliveryIsCancelledOnceAndADeliveredOneNever() throws Throwable {
        String suffix = "cancel";
        String path = "/" + prefix + "/" + suffix;
        listener.answer(path, 503);
        listener.retryAfter(path, "3600");
        String name = trigger(suffix, "");
        JsonNode pending = settled(name, suffix);
        String cancel = "/api/v2/system/trigger/" + name + "/deliveries/" + pending.get("id").asText() + "/cancel";
        Response cancelled = admin.post(cancel, "");
        assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
        assertThat(cancelled.json().get("status").asText()).isEqualTo("cancelled");
        assertThat(cancelled.json().get("next_attempt_at").isNull()).isTrue();
        assertThat(admin.post(cancel, "").json().get("status").asText()).as("idempotent").isEqualTo("cancelled");
        assertThat(deliveries(name, "?status=cancelled")).hasSize(1);

        // retried, it goes; delivered, it cannot be cancelled
        admin.post(cancel.replace("/cancel", "/retry"), "");
        herald.runSchedule("DeliveryRetryFunction");
        herald.awaitAsyncInvocations(java.time.Duration.ofSeconds(60));
        assertThat(deliveries(name, "").get(0).get("status").asText()).isEqualTo("delivered");
        Response late = admin.post(cancel, "");
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.json().get("detail").asText()).contains("delivered", "only a pending delivery");
        assertThat(admin.post("/api/v2/system/trigger/" + name + "/deliveries/msg_none/cancel", "").status())
                .isEqualTo(404);
    }

    @Test
    void badInputIsA400ThatNamesTheField() {
        String name = trigger("bad", "");
        String base = "{\"name\":\"" + prefix + "-x\",\"filter\":{\"topic\":\"x.y\"},\"action\":{\"type\":\"webhook\","
                + "\"url\":\"" + listener.url("/x") + "\",\"retry\":";
        for (String[] retry : new String[][] {
                {"{\"base_second\":5}", "action.retry.base_second"},
                {"{\"base_seconds\":-1}", "action.retry.base_seconds"},
                {"{\"base_seconds\":60,\"cap_seconds\":10}", "action.retry.cap_seconds"},
                {"{\"max_age_seconds\":10}", "action.retry.max_age_seconds"},
                {"{\"max_age_seconds\":99999999}", "action.retry.max_age_seconds"},
                {"{\"retry_statuses\":[410]}", "action.retry.retry_statuses"},
                {"{\"retry_statuses\":[500]}", "action.retry.retry_statuses"},
                {"\"often\"", "action.retry"}}) {
            Response refused = admin.post("/api/v2/system/trigger", base + retry[0] + "}}");
            assertThat(refused.status()).as(retry[0]).isEqualTo(400);
            assertThat(refused.json().get("detail").asText()).as(retry[0]).contains(retry[1]);
        }
        String recover = "/api/v2/system/trigger/" + name + "/recover";
        assertThat(admin.post(recover, "{}").json().get("detail").asText()).contains("'since' is required");
        assertThat(admin.post(recover, "{\"since\":\"yesterday\"}").json().get("detail").asText()).contains("'since'");
        Response inverted = admin.post(recover, "{\"since\":\"2026-11-30T00:00:00Z\",\"until\":\"2026-11-29T00:00:00Z\"}");
        assertThat(inverted.status()).isEqualTo(400);
        assertThat(inverted.json().get("detail").asText()).contains("'until' must come after 'since'");
        assertThat(admin.post(recover, "{\"since\":\"2026-11-30T00:00:00Z\",\"all\":true}").json().get("detail")
                .asText()).contains("Unknown field 'all'");
        assertThat(admin.get("/api/v2/system/trigger/" + name + "/deliveries?status=lost").json().get("detail").asText())
                .contains("'status'", "failed");
        assertThat(admin.get("/api/v2/system/deliveries").json().get("detail").asText()).contains("'status' is required");
        assertThat(admin.get("/api/v2/system/deliveries?status=failed&since=soon").status()).isEqualTo(400);
        assertThat(admin.get("/api/v2/system/deliveries?status=failed&limit=0").status()).isEqualTo(400);
        assertThat(admin.get("/api/v2/system/deliveries?status=failed&limit=100000").status()).isEqualTo(400);
    }
}
