package herald.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import herald.kernel.Json;
import herald.local.LocalHerald;
import herald.testing.HeraldClient;
import herald.testing.HeraldClient.Response;
import herald.testing.LocalHeraldExtension;
import herald.testing.WebhookListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Webhook deliveries that respect their receivers and each other, end to end on the local runtime with a real
 * receiver: a slow receiver holds up only its own trigger, {@code max_in_flight} and {@code rate_per_second} hold,
 * {@code order_by} delivers one key at a time in order while the others go on, an endpoint that keeps failing (or
 * answers 410) disables its trigger with the events that say why, and bad rules are a 400 that names the field.
 * Nothing here waits for time to pass: a held receiver shows what goes on while it is held.
 */
@ExtendWith(LocalHeraldExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeliveryPacingIT {

    private final LocalHerald herald;
    private final HeraldClient admin;
    private final EndpointStore endpoints;
    private final String prefix = "pace" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private WebhookListener listener;

    DeliveryPacingIT(LocalHerald herald, HeraldClient admin) {
        this.herald = herald;
        this.admin = admin;
        this.endpoints = new EndpointStore(herald.dynamoDb(), table());
    }

    private String table() {
        return herald.functionEnvironment("WebhookFunction").get("DELIVERIES_TABLE");
    }

    @BeforeAll
    void listen() throws Exception {
        listener = new WebhookListener();
    }

    @AfterAll
    void stop() {
        listener.close();
    }

    private String path(String suffix) {
        return "/" + prefix + "/" + suffix;
    }

    /** A webhook trigger on topic {@code <prefix>.<suffix>} to {@link #path}. */
    private String trigger(String suffix, String actionExtra) {
        String name = prefix + "-" + suffix;
        Response created = admin.post("/api/v2/system/trigger", "{\"name\":\"" + name + "\",\"filter\":{\"topic\":\""
                + prefix + "." + suffix + "\"},\"action\":{\"type\":\"webhook\",\"url\":\"" + listener.url(path(suffix))
                + "\"" + actionExtra + "}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return name;
    }

    private String dispatch(String suffix, String payload) {
        return admin.dispatch("{\"topic\":\"" + prefix + "." + suffix + "\",\"payload\":" + payload + "}");
    }

    private JsonNode deliveries(String trigger) {
        Response listed = admin.get("/api/v2/system/trigger/" + trigger + "/deliveries?limit=100");
        assertThat(listed.status()).as(listed.body()).isEqualTo(200);
        return listed.json().get("resource");
    }

    private JsonNode deliveryOf(String trigger, String eventId) {
        return await("the delivery of " + eventId).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(25))
                .until(() -> find(trigger, eventId), d -> d != null);
    }

    private JsonNode find(String trigger, String eventId) {
        for (JsonNode delivery : deliveries(trigger)) {
            if (delivery.get("event_id").asText().equals(eventId)) {
                return delivery;
            }
        }
        return null;
    }

    private JsonNode awaitStatus(String trigger, String eventId, String status) {
        return await(eventId + " " + status).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(25))
                .until(() -> find(trigger, eventId), d -> d != null && d.get("status").asText().equals(status));
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError(text, e);
        }
    }

    /** The event ids the receiver got at {@code path}, in the order it got them. */
    private List<String> receivedEvents(String suffix) {
        List<String> ids = new ArrayList<>();
        listener.at(path(suffix)).forEach(r -> ids.add(json(r.body()).at("/data/id").asText()));
        return ids;
    }

    @Test
    void aSlowReceiverHoldsUpOnlyItsOwnTrigger() {
        String slow = trigger("slow", "");
        String fast = trigger("fast", "");
        listener.hold(path("slow"));
        String held;
        try {
            held = dispatch("slow", "{}");
            listener.await(path("slow"), 1); // being answered, slowly
            String event = dispatch("fast", "{}");
            awaitStatus(fast, event, "delivered");
            assertThat(listener.at(path("slow"))).as("still held").hasSize(1);
        } finally {
            listener.release(path("slow"));
        }
        awaitStatus(slow, held, "delivered");
    }

    @Test
    void atMostMaxInFlightAttemptsAreMadeAtOnceAcrossSenders() {
        String name = trigger("inflight", ",\"max_in_flight\":2");
        listener.hold(path("inflight"));
        List<String> events = new ArrayList<>();
        try {
            // one event after another, each looked at by a sender before the next is sent: two are being answered
            // (held), and the four senders after them find both places taken and put their delivery on the waiting list
            for (int i = 0; i < 6; i++) {
                String event = dispatch("inflight", "{\"i\":" + i + "}");
                events.add(event);
                int sent = i;
                boolean inFlight = i < 2;
                await("event " + i + (inFlight ? " being answered" : " waiting")).atMost(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(25)).until(() -> {
                            JsonNode delivery = find(name, event);
                            return delivery != null && (inFlight ? listener.at(path("inflight")).size() == sent + 1
                                    : endpoints.get(name).waiting().contains(delivery.get("id").asText()));
                        });
            }
            assertThat(listener.at(path("inflight"))).as("no third attempt while two are held").hasSize(2);
            assertThat(endpoints.get(name).holders()).hasSize(2);
            assertThat(endpoints.get(name).waiting()).hasSize(4);
        } finally {
            listener.release(path("inflight"));
        }
        // the senders holding the places take the waiting ones
        for (String event : events) {
            awaitStatus(name, event, "delivered");
        }
        assertThat(listener.mostAtOnce(path("inflight"))).isEqualTo(2);
        await("places given back").atMost(Duration.ofSeconds(20))
                .until(() -> endpoints.get(name).holders().isEmpty());
        assertThat(endpoints.get(name).waiting()).isEmpty();
    }

    @Test
    void noMoreThanRatePerSecondAttemptsBeginInAnySecond() {
        String name = trigger("rate", ",\"rate_per_second\":2");
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            events.add(dispatch("rate", "{\"i\":" + i + "}"));
        }
        for (String event : events) {
            awaitStatus(name, event, "delivered");
        }
        List<Integer> perSecond = new ArrayList<>();
        herald.dynamoDb().query(r -> r.tableName(table()).keyConditionExpression("#t = :t AND begins_with(id, :r)")
                .expressionAttributeNames(Map.of("#t", "trigger"))
                .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(name), ":r", AttributeValue.fromS("rate#"))))
                .items().forEach(item -> perSecond.add(Integer.parseInt(item.get("n").n())));
        assertThat(perSecond).allSatisfy(n -> assertThat(n).isBetween(1, 2));
        assertThat(perSecond.stream().mapToInt(Integer::intValue).sum()).isEqualTo(5);
        assertThat(perSecond.size()).as("five attempts at two a second take three seconds").isGreaterThanOrEqualTo(3);
    }

    @Test
    void aFailingDeliveryHoldsBackOnlyItsOwnKeyUntilItIsDelivered() throws Throwable {
        // retried by hand below, never by the schedule meanwhile
        String name = trigger("ordered", ",\"order_by\":\"payload.asset\",\"retry\":{\"base_seconds\":3600}");
        listener.answer(path("ordered"), 500);
        String first = dispatch("ordered", "{\"asset\":\"a1\",\"n\":1}");
        await("the first attempt failed").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(25))
                .until(() -> find(name, first), d -> d != null && d.get("status").asText().equals("pending")
                        && d.get("attempt_count").asInt() == 1);
        assertThat(find(name, first).get("order_key").asText()).isEqualTo("a1");

        String second = dispatch("ordered", "{\"asset\":\"a1\",\"n\":2}");
        String other = dispatch("ordered", "{\"asset\":\"a2\"}");
        String unkeyed = dispatch("ordered", "{}");
        awaitStatus(name, other, "delivered");
        awaitStatus(name, unkeyed, "delivered");
        assertThat(deliveryOf(name, second).get("attempt_count").asInt()).as("waits for the first of its key").isZero();
        assertThat(endpoints.lane(name, "a1")).containsExactly(find(name, first).get("id").asText(),
                find(name, second).get("id").asText());

        // the first is retried and delivered; the second follows it
        admin.post("/api/v2/system/trigger/" + name + "/deliveries/" + find(name, first).get("id").asText() + "/retry", "");
        herald.runSchedule("DeliveryRetryFunction");
        herald.awaitAsyncInvocations(Duration.ofSeconds(60));
        awaitStatus(name, first, "delivered");
        awaitStatus(name, second, "delivered");
        List<String> a1 = receivedEvents("ordered").stream().filter(id -> id.equals(first) || id.equals(second)).toList();
        assertThat(a1).containsExactly(first, first, second);
        assertThat(endpoints.lane(name, "a1")).isEmpty();
    }

    @Test
    void aDeadLetterLetsTheNextOfItsKeyGo() {
        String name = trigger("released", ",\"order_by\":\"payload.asset\",\"max_attempts\":1");
        listener.answer(path("released"), 500);
        listener.hold(path("released"));
        String first;
        String second;
        try {
            first = dispatch("released", "{\"asset\":\"b1\"}");
            listener.await(path("released"), 1);
            second = dispatch("released", "{\"asset\":\"b1\"}");
            assertThat(deliveryOf(name, second).get("attempt_count").asInt()).isZero();
        } finally {
            listener.release(path("released"));
        }
        awaitStatus(name, first, "failed");
        awaitStatus(name, second, "delivered");
        assertThat(receivedEvents("released")).containsExactly(first, second);
    }

    @Test
    void anEndpointThatKeepsFailingDisablesItsTriggerAndSaysWhy() {
        String name = trigger("failing", ",\"max_attempts\":1,\"disable_after\":{\"failures\":2}");
        // another trigger hears of it, as an admin's notification would
        Response watcher = admin.post("/api/v2/system/trigger", "{\"name\":\"" + prefix + "-watch\",\"filter\":{\"topic\":"
                + "\"herald.trigger.disabled\",\"payload.trigger\":\"" + name + "\"},\"action\":{\"type\":\"webhook\","
                + "\"url\":\"" + listener.url(path("watch")) + "\"}}");
        assertThat(watcher.status()).as(watcher.body()).isEqualTo(201);
        listener.answer(path("failing"), 500, 503);
        awaitStatus(name, dispatch("failing", "{}"), "failed");
        assertThat(admin.get("/api/v2/system/trigger/" + name).json().get("is_active").asBoolean()).isTrue();
        awaitStatus(name, dispatch("failing", "{}"), "failed");

        JsonNode disabled = admin.get("/api/v2/system/trigger/" + name).json();
        assertThat(disabled.get("is_active").asBoolean()).isFalse();
        JsonNode heard = json(listener.await(path("watch"), 1).get(0).body()).get("data");
        assertThat(heard.get("topic").asText()).isEqualTo("herald.trigger.disabled");
        assertThat(heard.at("/payload/reason").asText()).contains("2 attempts in a row failed");
        assertThat(heard.at("/payload/failures").asInt()).isEqualTo(2);
        assertThat(heard.at("/payload/last_response_code").asInt()).isEqualTo(503);
        assertThat(heard.at("/payload/host").asText()).isEqualTo("127.0.0.1");
        assertThat(heard.at("/payload/url").isMissingNode()).as("a URL may carry a token").isTrue();
        assertThat(reasons(name)).anySatisfy(reason -> assertThat(reason).startsWith("disabled: 2 attempts in a row"));

        // turned on again by an admin, it starts healthy, and the reason says so
        Response enabled = admin.patch("/api/v2/system/trigger/" + name, "{\"is_active\":true}");
        assertThat(enabled.status()).as(enabled.body()).isEqualTo(200);
        assertThat(reasons(name)).anySatisfy(reason -> assertThat(reason)
                .contains("enabled by admin", "Herald had disabled it"));
        assertThat(endpoints.get(name).failures()).isZero();
        String after = dispatch("failing", "{}");
        awaitStatus(name, after, "delivered");
    }

    @Test
    void aReceiverThatAnswers410DisablesItsTriggerAtOnce() {
        String name = trigger("gone", "");
        listener.answer(path("gone"), 410);
        JsonNode failed = awaitStatus(name, dispatch("gone", "{}"), "failed");
        assertThat(failed.get("attempt_count").asInt()).isEqualTo(1);
        assertThat(admin.get("/api/v2/system/trigger/" + name).json().get("is_active").asBoolean()).isFalse();
        assertThat(reasons(name)).anySatisfy(reason -> assertThat(reason).contains("410 Gone"));
    }

    /** The reasons of the ResourceUpdated events of trigger {@code name}. */
    private List<String> reasons(String name) {
        List<String> reasons = new ArrayList<>();
        admin.get("/api/events?topics=resource.ResourceUpdated&limit=2000").json().get("events").forEach(e -> {
            if (e.at("/payload/resource/id").asText().equals(name) && e.at("/payload/reason").isTextual()) {
                reasons.add(e.at("/payload/reason").asText());
            }
        });
        return reasons;
    }

    @Test
    void badRulesAreA400ThatNamesTheField() {
        String base = "{\"name\":\"" + prefix + "-bad\",\"filter\":{\"topic\":\"x.y\"},\"action\":{\"type\":\"webhook\","
                + "\"url\":\"" + listener.url("/x") + "\",";
        for (String[] bad : new String[][] {
                {"\"max_in_flight\":0", "action.max_in_flight must be a whole number from 1 to 100"},
                {"\"max_in_flight\":101", "action.max_in_flight"},
                {"\"max_in_flight\":1.5", "action.max_in_flight"},
                {"\"rate_per_second\":\"fast\"", "action.rate_per_second must be a whole number from 1 to 500"},
                {"\"rate_per_second\":-3", "action.rate_per_second"},
                {"\"order_by\":\"payload..id\"", "action.order_by must be a dotted path"},
                {"\"order_by\":7", "action.order_by"},
                {"\"disable_after\":{}", "action.disable_after must be an object with seconds and/or failures"},
                {"\"disable_after\":{\"hours\":1}", "Unknown field action.disable_after.hours"},
                {"\"disable_after\":{\"seconds\":10}", "action.disable_after.seconds must be a whole number from 60"},
                {"\"disable_after\":{\"failures\":0}", "action.disable_after.failures"},
                {"\"throttle\":1", "Unknown field action.throttle"}}) {
            Response response = admin.post("/api/v2/system/trigger", base + bad[0] + "}}");
            assertThat(response.status()).as(bad[0] + ": " + response.body()).isEqualTo(400);
            assertThat(response.json().get("detail").asText()).as(bad[0]).contains(bad[1]);
        }
        assertThat(admin.get("/api/v2/system/trigger/" + prefix + "-bad").status()).as("nothing written").isEqualTo(404);
    }
}
