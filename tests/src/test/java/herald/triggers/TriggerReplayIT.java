package herald.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import herald.kernel.Json;
import herald.local.LocalHerald;
import herald.testing.ApiKeys;
import herald.testing.HeraldClient;
import herald.testing.HeraldClient.Response;
import herald.testing.LocalHeraldExtension;
import herald.testing.WebhookListener;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Trigger replay end to end, with a real receiver: the stored events of a window evaluated in creation order and
 * delivered as new, signed deliveries marked {@code replay}; a long replay that goes on in ReplayFunction from where
 * the request's step stopped; {@code start} on creation; cancel; and bad input, each a clear error.
 */
@ExtendWith(LocalHeraldExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TriggerReplayIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final LocalHerald herald;
    private final HeraldClient admin;
    private final String prefix = "rp" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private WebhookListener listener;

    TriggerReplayIT(LocalHerald herald, HeraldClient admin) {
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

    @Test
    void aReplayDeliversTheWindowsMatchesInCreationOrderAsNewSignedDeliveries() {
        Response created = trigger("window", "", null);
        String name = created.json().get("name").asText();
        String secret = created.json().get("secret").asText();
        dispatch("window", 0);
        Instant since = instantAfterNow();
        List<String> inWindow = new ArrayList<>();
        inWindow.add(dispatch("window", 1));
        dispatch("other", 2); // not the trigger's topic
        inWindow.add(dispatch("window", 3));
        inWindow.add(dispatch("window", 4));
        Instant until = instantAfterNow();
        dispatch("window", 5);
        List<WebhookListener.Received> live = listener.await(path("window"), 5);

        Response replay = admin.post("/api/v2/system/trigger/" + name + "/replay",
                "{\"since\":\"" + since + "\",\"until\":\"" + until + "\"}");
        assertThat(replay.status()).as(replay.body()).isEqualTo(202);
        JsonNode answer = replay.json();
        assertThat(answer.get("state").asText()).as("a short window is done in the request").isEqualTo("done");
        assertThat(answer.get("matched").asInt()).isEqualTo(3);
        assertThat(answer.get("queued").asInt()).isEqualTo(3);
        String replayId = answer.get("replayId").asText();

        List<WebhookListener.Received> all = listener.await(path("window"), 8);
        List<WebhookListener.Received> replayed = all.subList(5, 8);
        List<String> replayedEvents = new ArrayList<>();
        Set<String> liveIds = new HashSet<>();
        live.forEach(r -> liveIds.add(r.header("webhook-id")));
        for (WebhookListener.Received received : replayed) {
            JsonNode body = json(received.body());
            assertThat(body.get("replay").asBoolean()).isTrue();
            assertThat(body.get("replay_id").asText()).isEqualTo(replayId);
            assertThat(body.get("type").asText()).isEqualTo("event.created");
            replayedEvents.add(body.at("/data/id").asText());
            assertThat(liveIds).as("a webhook-id of its own, so a receiver that drops repeats keeps it")
                    .doesNotContain(received.header("webhook-id"));
            assertThat(received.header("webhook-signature")).isEqualTo(WebhookSigner.signature(secret,
                    received.header("webhook-id"), Long.parseLong(received.header("webhook-timestamp")),
                    received.body()));
        }
        assertThat(replayedEvents).containsExactlyElementsOf(inWindow);

        // in the delivery log, marked; and the replay is listed with its counts
        JsonNode deliveries = admin.get("/api/v2/system/trigger/" + name + "/deliveries?limit=100").json().get("resource");
        assertThat(deliveries).hasSize(8);
        assertThat(deliveries).filteredOn(d -> d.get("replay").asBoolean()).hasSize(3)
                .allSatisfy(d -> assertThat(d.get("replay_id").asText()).isEqualTo(replayId));
        JsonNode listed = admin.get("/api/v2/system/trigger/" + name + "/replay").json().get("resource");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("replayId").asText()).isEqualTo(replayId);
        JsonNode read = admin.get("/api/v2/system/trigger/" + name + "/replay/" + replayId).json();
        assertThat(read.get("state").asText()).isEqualTo("done");
        assertThat(read.get("read").asInt()).as("every stored event of the window, whatever its topic")
                .isGreaterThanOrEqualTo(4);
    }

    @Test
    void aLongReplayGoesOnInReplayFunctionFromWhereTheRequestsStepStopped() throws Throwable {
        String name = trigger("long", "", null).json().get("name").asText();
        Instant since = instantAfterNow();
        List<String> hits = new ArrayList<>();
        // more events than the request's first step reads (500), few of them the trigger's
        for (int i = 0; i < 560; i++) {
            if (i % 20 == 7) {
                hits.add(dispatch("long", i));
            } else {
                dispatch("noise", i);
            }
        }
        listener.await(path("long"), hits.size());
        Response replay = admin.post("/api/v2/system/trigger/" + name + "/replay", "{\"since\":\"" + since + "\"}");
        assertThat(replay.status()).as(replay.body()).isEqualTo(202);
        assertThat(replay.json().get("state").asText()).isEqualTo("running");
        assertThat(replay.json().get("read").asInt()).isLessThan(560);
        String replayId = replay.json().get("replayId").asText();

        JsonNode done = await("the replay done").atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> admin.get("/api/v2/system/trigger/" + name + "/replay/" + replayId).json(),
                        r -> r.get("state").asText().equals("done"));
        assertThat(done.get("matched").asInt()).isEqualTo(hits.size());
        assertThat(done.get("queued").asInt()).isEqualTo(hits.size());
        assertThat(done.get("read").asInt()).isGreaterThanOrEqualTo(560);
        List<WebhookListener.Received> all = listener.await(path("long"), 2 * hits.size());
        List<String> replayed = new ArrayList<>();
        all.stream().map(r -> json(r.body())).filter(b -> b.path("replay").asBoolean())
                .forEach(b -> replayed.add(b.at("/data/id").asText()));
        assertThat(replayed).as("each match once, across the steps").containsExactlyInAnyOrderElementsOf(hits);
        // the schedule takes up nothing of it again: a done replay is not due
        assertThat(herald.runSchedule("ReplayFunction")).asString().contains("resumed");
        assertThat(admin.get("/api/v2/system/trigger/" + name + "/replay/" + replayId).json().get("queued").asInt())
                .isEqualTo(hits.size());
    }

    @Test
    void aTriggerCreatedWithStartReplaysAndACancelledReplaysDeliveriesAreNotMade() {
        Instant since = instantAfterNow();
        List<String> before = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            before.add(dispatch("started", i));
        }
        listener.hold(path("started"));
        String name;
        String replayId;
        try {
            Response created = trigger("started", ",\"max_in_flight\":1", since.toString());
            name = created.json().get("name").asText();
            JsonNode replay = created.json().get("replay");
            assertThat(replay.get("state").asText()).isEqualTo("done");
            assertThat(replay.get("matched").asInt()).isEqualTo(4);
            replayId = replay.get("replayId").asText();
            // one attempt is being answered (held); the three others wait for its place
            await("one replayed delivery in flight").atMost(PATIENCE)
                    .until(() -> listener.at(path("started")).size() == 1);
            Response cancelled = admin.post("/api/v2/system/trigger/" + name + "/replay/" + replayId + "/cancel", "");
            assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
            assertThat(cancelled.json().get("state").asText()).isEqualTo("cancelled");
            assertThat(cancelled.json().get("reason").asText()).isEqualTo("cancelled by admin");
        } finally {
            listener.release(path("started"));
        }
        JsonNode deliveries = await("the waiting deliveries cancelled").atMost(PATIENCE)
                .until(() -> admin.get("/api/v2/system/trigger/" + name + "/deliveries?limit=100").json().get("resource"),
                        list -> count(list, "cancelled") == 3 && count(list, "delivered") == 1);
        assertThat(deliveries).allSatisfy(d -> assertThat(d.get("replay_id").asText()).isEqualTo(replayId));
        assertThat(listener.at(path("started"))).as("only the attempt made before the cancel").hasSize(1);
        assertThat(before).contains(json(listener.at(path("started")).get(0).body()).at("/data/id").asText());
        // cancelling again changes nothing
        Response again = admin.post("/api/v2/system/trigger/" + name + "/replay/" + replayId + "/cancel", "");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("state").asText()).isEqualTo("cancelled");
    }

    @Test
    void badReplayRequestsAreClearErrorsAndChangeNothing() {
        String name = trigger("bad", "", null).json().get("name").asText();
        String replay = "/api/v2/system/trigger/" + name + "/replay";
        assertError(admin.post(replay, "{\"since\":\"2026-11-30T12:00:00Z\",\"until\":\"2026-11-30T11:00:00Z\"}"), 400,
                "is before since");
        assertError(admin.post(replay, "{\"since\":\"yesterday\"}"), 400, "since must be an ISO-8601 time");
        assertError(admin.post(replay, "{\"until\":\"2026-11-30T11:00:00Z\"}"), 400, "since is required");
        assertError(admin.post(replay, "{\"since\":\"2999-01-01T00:00:00Z\"}"), 400, "in the future");
        assertError(admin.post(replay, "{\"since\":\"2026-11-30T11:00:00Z\",\"from\":1}"), 400, "from");
        assertError(admin.post("/api/v2/system/trigger/" + prefix + "-none/replay", "{\"since\":\"2026-11-30T11:00:00Z\"}"),
                404, "no trigger named");
        assertError(admin.get(replay + "/replay_00000000000000000000000000000000"), 404, "has no replay");
        assertError(admin.post(replay + "/nothing/cancel", ""), 404, "has no replay");
        String userKey = ApiKeys.create(admin, ApiKeys.uniqueName("replayer"), "user", null);
        assertThat(admin.withKey(userKey).post(replay, "{\"since\":\"2026-11-30T11:00:00Z\"}").status()).isEqualTo(403);
        String notify = prefix + "-notify";
        assertThat(admin.post("/api/v2/system/trigger", "{\"name\":\"" + notify + "\",\"filter\":{\"topic\":\"" + prefix
                + ".n\"},\"action\":{\"type\":\"notify\",\"users\":[\"admin\"]}}").status()).isEqualTo(201);
        assertError(admin.post("/api/v2/system/trigger/" + notify + "/replay", "{\"since\":\"2026-11-30T11:00:00Z\"}"),
                400, "delivers through a webhook action only");
        assertThat(admin.get(replay).json().get("resource")).as("no replay was recorded").isEmpty();

        // start: only on creation, never in the future; a refused creation creates nothing
        assertError(admin.post("/api/v2/system/trigger", "{\"name\":\"" + prefix + "-future\",\"filter\":{\"topic\":\""
                + prefix + ".f\"},\"action\":{\"type\":\"webhook\",\"url\":\"" + listener.url(path("f"))
                + "\"},\"start\":\"2999-01-01T00:00:00Z\"}"), 400, "start (2999-01-01T00:00:00Z) is in the future");
        assertThat(admin.get("/api/v2/system/trigger/" + prefix + "-future").status()).isEqualTo(404);
        assertError(admin.patch("/api/v2/system/trigger/" + name, "{\"start\":\"2026-11-30T11:00:00Z\"}"), 400,
                "start is for creating a trigger");
    }

    private static long count(JsonNode deliveries, String status) {
        long count = 0;
        for (JsonNode delivery : deliveries) {
            if (delivery.get("status").asText().equals(status)) {
                count++;
            }
        }
        return count;
    }

    private static void assertError(Response response, int status, String detail) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.json().get("code").asInt()).isEqualTo(status);
        assertThat(response.json().get("detail").asText()).contains(detail);
    }

    private String path(String suffix) {
        return "/" + prefix + "/" + suffix;
    }

    /** A webhook trigger on topic {@code <prefix>.<suffix>}, with {@code start} when given. */
    private Response trigger(String suffix, String actionExtra, String start) {
        Response created = admin.post("/api/v2/system/trigger", "{\"name\":\"" + prefix + "-" + suffix
                + "\",\"filter\":{\"topic\":\"" + prefix + "." + suffix + "\"},\"action\":{\"type\":\"webhook\",\"url\":\""
                + listener.url(path(suffix)) + "\"" + actionExtra + "}" + (start == null ? "" : ",\"start\":\"" + start
                + "\"") + "}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created;
    }

    private String dispatch(String suffix, int i) {
        return admin.dispatch("{\"topic\":\"" + prefix + "." + suffix + "\",\"payload\":{\"i\":" + i + "}}");
    }

    /** A time after every event created so far and before every one created next. */
    private static Instant instantAfterNow() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS).plusMillis(1);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(1))
                .until(() -> Instant.now().isAfter(now.plusMillis(1)));
        return now;
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError(text, e);
        }
    }
}
