package herald.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import herald.kernel.Json;
import herald.local.LocalHerald;
import herald.testing.ApiKeys;
import herald.testing.HeraldClient.Response;
import herald.testing.HeraldClient;
import herald.testing.LocalHeraldExtension;
import herald.testing.SocketClient;
import herald.testing.WebhookListener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Triggers end to end: filters, signed webhooks with retries and their log, notifications, resource events. */
@ExtendWith(LocalHeraldExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TriggersIT {

    private final LocalHerald herald;
    private final HeraldClient admin;
    private final String prefix = "tr" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private WebhookListener listener;

    TriggersIT(LocalHerald herald, HeraldClient admin) {
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

    /** Creates a webhook trigger to {@code path}; returns its secret. */
    private String webhook(String name, String filter, String path) {
        Response created = admin.post("/api/v2/system/trigger", "{\"name\":\"" + name + "\",\"filter\":" + filter
                + ",\"action\":{\"type\":\"webhook\",\"url\":\"" + listener.url(path) + "\",\"max_attempts\":5}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("secret").asText();
    }

    private String dispatch(String topic, String payload) {
        return admin.dispatch("{\"topic\":\"" + topic + "\",\"payload\":" + payload + "}");
    }

    @Test
    void theSeedsFilterMatchesAnItemsvcResourceEventAndNotACustomOne() throws Exception {
        String path = "/" + prefix + "/seed";
        String secret = webhook(prefix + "-seed", "{\"event\":\"resource.ResourceCreated\",\"resource.type\":\"itemsvc.*\","
                + "\"requestId\":\"" + prefix + "\"}", path);
        dispatch("resource.ResourceCreated", "{\"requestId\":\"" + prefix + "\",\"resource\":{\"type\":\"custom.Thing\"}}");
        String item = dispatch("resource.ResourceCreated", "{\"requestId\":\"" + prefix + "\",\"resource\":{\"type\":\"itemsvc.Item\"}}");

        WebhookListener.Received received = listener.await(path, 1).get(0);
        JsonNode body = Json.MAPPER.readTree(received.body());
        assertThat(body.get("type").asText()).isEqualTo("event.created");
        assertThat(body.get("data").get("id").asText()).isEqualTo(item);
        assertThat(listener.at(path)).hasSize(1);

        // Standard Webhooks: v1,<base64 HMAC-SHA256 of id.timestamp.body>, keyed with the secret's bytes
        String expected = WebhookSigner.signature(secret, received.header("webhook-id"),
                Long.parseLong(received.header("webhook-timestamp")), received.body());
        assertThat(received.header("webhook-signature")).isEqualTo(expected);
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(java.util.Base64.getDecoder().decode(secret.substring(6)), "HmacSHA256"));
        String independent = java.util.Base64.getEncoder().encodeToString(mac.doFinal((received.header("webhook-id") + "."
                + received.header("webhook-timestamp") + "." + received.body()).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(received.header("webhook-signature")).isEqualTo("v1," + independent);
    }

    @Test
    void eachEventBridgeOperatorMatches() throws Exception {
        String topic = prefix + ".ops";
        Map<String, String> filters = new java.util.LinkedHashMap<>();
        filters.put("exact", "{\"topic\":[\"" + topic + "\"],\"payload\":{\"color\":[\"red\"]}}");
        filters.put("prefix", "{\"topic\":[{\"prefix\":\"" + prefix + ".o\"}]}");
        filters.put("suffix", "{\"topic\":[\"" + topic + "\"],\"payload\":{\"file\":[{\"suffix\":\".exr\"}]}}");
        filters.put("wildcard", "{\"topic\":[{\"wildcard\":\"" + prefix + ".*\"}],\"payload\":{\"color\":[\"red\"]}}");
        filters.put("anythingbut", "{\"topic\":[\"" + topic + "\"],\"payload\":{\"color\":[{\"anything-but\":[\"blue\"]}]}}");
        filters.put("numeric", "{\"topic\":[\"" + topic + "\"],\"payload\":{\"size\":[{\"numeric\":[\">\",10,\"<=\",20]}]}}");
        filters.put("exists", "{\"topic\":[\"" + topic + "\"],\"payload\":{\"owner\":[{\"exists\":false}]}}");
        filters.put("ignorecase", "{\"topic\":[\"" + topic + "\"],\"payload\":{\"shot\":[{\"equals-ignore-case\":\"SH010\"}]}}");
        filters.put("or", "{\"topic\":[\"" + topic + "\"],\"$or\":[{\"payload\":{\"color\":[\"green\"]}},{\"payload\":{\"size\":[12]}}]}");
        for (String op : filters.keySet()) {
            webhook(prefix + "-op-" + op, filters.get(op), "/" + prefix + "/op/" + op);
        }
        dispatch(topic, "{\"color\":\"blue\",\"size\":99,\"file\":\"a.mov\",\"shot\":\"sh020\",\"owner\":\"x\"}");
        dispatch(topic, "{\"color\":\"red\",\"size\":12,\"file\":\"a.exr\",\"shot\":\"sh010\"}");
        String sentinelPath = "/" + prefix + "/op-sentinel";
        webhook(prefix + "-op-sentinel", "{\"topic\":[\"" + prefix + ".sentinel\"]}", sentinelPath);
        dispatch(prefix + ".sentinel", "{}");
        listener.await(sentinelPath, 1);
        for (String op : filters.keySet()) {
            List<WebhookListener.Received> got = listener.at("/" + prefix + "/op/" + op);
            assertThat(got).as(op).hasSize(op.equals("prefix") ? 2 : 1);
            for (WebhookListener.Received r : got) {
                if (!op.equals("prefix")) {
                    assertThat(Json.MAPPER.readTree(r.body()).get("data").get("payload").get("color").asText()).as(op)
                            .isEqualTo("red");
                }
            }
        }
    }

    @Test
    void aFailingReceiverGetsEveryAttemptWithOneIdAndTheLogShowsThem() throws Throwable {
        String path = "/" + prefix + "/flaky";
        String name = prefix + "-flaky";
        listener.answer(path, 500, 503);
        webhook(name, "{\"event\":\"" + prefix + ".flaky\"}", path);
        dispatch(prefix + ".flaky", "{}");
        listener.await(path, 1);
        awaitAttempts(name, 1);
        herald.runSchedule("DeliveryRetryFunction");
        herald.awaitAsyncInvocations(java.time.Duration.ofSeconds(60));
        herald.runSchedule("DeliveryRetryFunction");
        herald.awaitAsyncInvocations(java.time.Duration.ofSeconds(60));
        List<WebhookListener.Received> attempts = listener.await(path, 3);
        herald.runSchedule("DeliveryRetryFunction");
        herald.awaitAsyncInvocations(java.time.Duration.ofSeconds(60));
        assertThat(listener.at(path)).hasSize(3);
        assertThat(attempts).extracting(r -> r.header("webhook-id")).containsOnly(attempts.get(0).header("webhook-id"));
        assertThat(attempts).extracting(WebhookListener.Received::answered).containsExactly(500, 503, 200);

        JsonNode delivery = deliveries(name).get(0);
        assertThat(delivery.get("id").asText()).isEqualTo(attempts.get(0).header("webhook-id"));
        assertThat(delivery.get("status").asText()).isEqualTo("delivered");
        assertThat(delivery.get("attempts")).extracting(a -> a.get("response_code").asInt()).containsExactly(500, 503, 200);
        assertThat(delivery.get("attempts").get(0).get("duration_ms").isNumber()).isTrue();
        assertThat(delivery.get("attempts")).extracting(a -> a.get("error").asText(null))
                .containsExactly("answered 500", "answered 503", null);
        assertThat(delivery.get("attempts")).extracting(a -> a.get("response_excerpt").asText())
                .containsExactly("{\"answered\": 500}", "{\"answered\": 503}", "{\"answered\": 200}");

        Response retried = admin.post("/api/v2/system/trigger/" + name + "/deliveries/" + delivery.get("id").asText()
                + "/retry", "");
        assertThat(retried.status()).as(retried.body()).isEqualTo(200);
        assertThat(retried.json().get("status").asText()).isEqualTo("pending");
        assertThat(retried.json().get("notes").get(0).get("note").asText()).isEqualTo("retried");
        assertThat(retried.json().get("notes").get(0).get("by").asText()).isEqualTo("admin");
        herald.runSchedule("DeliveryRetryFunction");
        herald.awaitAsyncInvocations(java.time.Duration.ofSeconds(60));
        assertThat(listener.await(path, 4).get(3).header("webhook-id")).isEqualTo(attempts.get(0).header("webhook-id"));
        assertThat(admin.post("/api/v2/system/trigger/" + name + "/deliveries/msg_nothing/retry", "").status()).isEqualTo(404);
    }

    private JsonNode deliveries(String trigger) {
        Response response = admin.get("/api/v2/system/trigger/" + trigger + "/deliveries");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().get("resource");
    }

    private void awaitAttempts(String trigger, int count) {
        await("a delivery of " + trigger + " with " + count + " attempts").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(25))
                .until(() -> deliveries(trigger), list -> list.size() > 0 && list.get(0).get("attempt_count").asInt() >= count);
    }

    @Test
    void aNotificationReachesTheNamedUsersConnectionsOnly() throws Exception {
        String ada = ApiKeys.uniqueName("ada");
        String bob = ApiKeys.uniqueName("bob");
        SocketClient adaSocket = SocketClient.subscribed(herald, ApiKeys.create(admin, ada, "user", null), prefix + ".none", 1);
        SocketClient bobSocket = SocketClient.subscribed(herald, ApiKeys.create(admin, bob, "user", null), prefix + ".none", 2);
        Response created = admin.post("/api/v2/system/trigger", "{\"name\":\"" + prefix + "-input\",\"filter\":"
                + "{\"event\":\"workflowsvc.UserInput\",\"workflow\":\"" + prefix + "\"},"
                + "\"action\":{\"type\":\"notify\",\"user_property\":\"payload.user.id\",\"message\":\"Your input is needed\"}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().has("secret")).isFalse();

        String forAda = dispatch("workflowsvc.UserInput", "{\"workflow\":\"" + prefix + "\",\"user\":{\"id\":\"" + ada + "\"}}");
        JsonNode note = adaSocket.next();
        assertThat(note.get("topic").asText()).isEqualTo("notification");
        assertThat(note.get("message").asText()).isEqualTo("Your input is needed");
        assertThat(note.get("event").get("id").asText()).isEqualTo(forAda);
        String forBob = dispatch("workflowsvc.UserInput", "{\"workflow\":\"" + prefix + "\",\"user\":{\"id\":\"" + bob + "\"}}");
        assertThat(bobSocket.next().get("event").get("id").asText()).isEqualTo(forBob);
        assertThat(adaSocket.nothingUnread()).isTrue();

        // a user whose key is limited to projects hears nothing of another project's event
        String carol = ApiKeys.uniqueName("carol");
        SocketClient carolSocket = SocketClient.subscribed(herald,
                ApiKeys.create(admin, carol, "user", List.of(prefix + "_ours")), prefix + ".none", 3);
        admin.dispatch("{\"topic\":\"workflowsvc.UserInput\",\"project\":\"" + prefix + "_theirs\",\"payload\":"
                + "{\"workflow\":\"" + prefix + "\",\"user\":{\"id\":\"" + carol + "\"}}}");
        String ours = admin.dispatch("{\"topic\":\"workflowsvc.UserInput\",\"project\":\"" + prefix + "_ours\",\"payload\":"
                + "{\"workflow\":\"" + prefix + "\",\"user\":{\"id\":\"" + carol + "\"}}}");
        assertThat(carolSocket.next().get("event").get("id").asText()).isEqualTo(ours);
    }

    @Test
    void aTriggerOnResourceCreatedFiresWhenAScriptIsCreated() throws Exception {
        String path = "/" + prefix + "/scripts";
        webhook(prefix + "-scripts", "{\"event\":\"resource.ResourceCreated\",\"resource.type\":\"herald.EventScript\","
                + "\"resource.id\":\"" + prefix + ".thing.get.pre_process\"}", path);
        Response script = admin.post("/api/v2/system/event_script", "{\"name\":\"" + prefix + ".thing.get.pre_process\","
                + "\"content\":\"return;\"}");
        assertThat(script.status()).as(script.body()).isEqualTo(201);
        JsonNode event = Json.MAPPER.readTree(listener.await(path, 1).get(0).body()).get("data");
        assertThat(event.get("topic").asText()).isEqualTo("resource.ResourceCreated");
        assertThat(event.get("payload").get("user").get("id").asText()).isEqualTo("admin");
        assertThat(event.get("payload").get("requestId").asText()).isNotBlank();
        admin.delete("/api/v2/system/event_script/" + prefix + ".thing.get.pre_process?purge=true");
    }

    @Test
    void aScriptActionRunsWithTheRightsOfWhoeverCausedTheEvent() throws Exception {
        String script = "trigger." + prefix + ".walls.queued";
        String other = prefix + "_other";
        Response created = admin.post("/api/v2/system/event_script", "{\"name\":\"" + script + "\",\"content\":"
                + "\"platform.dispatch({topic: '" + prefix + ".echo', project: '" + other + "', "
                + "payload: {from: event.event.id}});\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        Response trigger = admin.post("/api/v2/system/trigger", "{\"name\":\"" + prefix + "-walls\",\"filter\":"
                + "{\"event\":\"" + prefix + ".knock\"},\"action\":{\"type\":\"script\",\"script\":\"" + script + "\"}}");
        assertThat(trigger.status()).as(trigger.body()).isEqualTo(201);
        try {
            // a key limited to its own project causes the event: the script may not write into another project
            HeraldClient limited = admin.withKey(ApiKeys.create(admin, ApiKeys.uniqueName("walls"), "service",
                    List.of(prefix + "_mine")));
            String knock = limited.dispatch("{\"topic\":\"" + prefix + ".knock\",\"project\":\"" + prefix + "_mine\"}");
            JsonNode log = await("the script's log").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                    .until(() -> logOf(script), found -> found != null);
            assertThat(log.toString()).contains("may not dispatch events of project");
            assertThat(admin.get("/api/events?topics=" + prefix + ".echo").json().get("events")).isEmpty();

            // the same trigger, caused by an admin: the script has an admin's rights, and its event lands
            String second = dispatch(prefix + ".knock", "{}");
            JsonNode echoes = await("the admin's echo").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> admin.get("/api/events?topics=" + prefix + ".echo").json().get("events"),
                            e -> !e.isEmpty());
            assertThat(echoes).hasSize(1);
            assertThat(echoes.get(0).at("/payload/from").asText()).isEqualTo(second).isNotEqualTo(knock);
        } finally {
            admin.delete("/api/v2/system/trigger/" + prefix + "-walls?purge=true");
            admin.delete("/api/v2/system/event_script/" + script + "?purge=true");
        }
    }

    private JsonNode logOf(String script) {
        for (JsonNode event : admin.get("/api/events?topics=log.script&includeLogs=true&limit=200").json().get("events")) {
            if (event.at("/summary/script").asText().equals(script)) {
                return event;
            }
        }
        return null;
    }

    @Test
    void aScriptActionRunsTheScriptWithTheEventAndWhatItDispatchesFiresNoTrigger() throws Exception {
        String script = "trigger." + prefix + ".run.queued";
        Response created = admin.post("/api/v2/system/event_script", "{\"name\":\"" + script + "\",\"content\":"
                + "\"platform.dispatch({topic: '" + prefix + ".pong', payload: {from: event.event.id, change: event.change}});\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        Response trigger = admin.post("/api/v2/system/trigger", "{\"name\":\"" + prefix + "-script\",\"filter\":"
                + "{\"$or\":[{\"event\":\"" + prefix + ".ping\"},{\"event\":\"" + prefix + ".pong\"}]},"
                + "\"action\":{\"type\":\"script\",\"script\":\"" + script + "\"}}");
        assertThat(trigger.status()).as(trigger.body()).isEqualTo(201);
        String ping = dispatch(prefix + ".ping", "{}");
        JsonNode pongs = await("the script's pong").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> admin.get("/api/events?topics=" + prefix + ".pong").json().get("events"), e -> !e.isEmpty());
        assertThat(pongs).hasSize(1);
        JsonNode pong = pongs.get(0);
        assertThat(pong.at("/payload/from").asText()).isEqualTo(ping);
        assertThat(pong.at("/payload/change").asText()).isEqualTo("created");
        assertThat(pong.get("user").asText()).isEqualTo("trigger:" + prefix + "-script");
        // the pong matches the trigger too, but an event a trigger caused fires none: a sentinel proves it ran past
        String path = "/" + prefix + "/after-pong";
        webhook(prefix + "-after", "{\"event\":\"" + prefix + ".after\"}", path);
        dispatch(prefix + ".after", "{}");
        listener.await(path, 1);
        assertThat(admin.get("/api/events?topics=" + prefix + ".pong").json().get("events")).hasSize(1);
        admin.delete("/api/v2/system/trigger/" + prefix + "-script?purge=true");
        admin.delete("/api/v2/system/event_script/" + script + "?purge=true");
    }

    @Test
    void deletingIsSoftUntilPurgedAndEmitsBothEvents() {
        String name = prefix + "-doomed";
        webhook(name, "{\"event\":\"" + prefix + ".never\"}", "/" + prefix + "/never");
        assertThat(admin.delete("/api/v2/system/trigger/" + name).status()).isEqualTo(204);
        assertThat(admin.get("/api/v2/system/trigger").body()).doesNotContain(name);
        assertThat(admin.get("/api/v2/system/trigger?include_deleted=true").body()).contains(name);
        Response restored = admin.post("/api/v2/system/trigger/" + name + "/restore", "");
        assertThat(restored.status()).as(restored.body()).isEqualTo(200);
        assertThat(admin.get("/api/v2/system/trigger").body()).contains(name);
        assertThat(admin.delete("/api/v2/system/trigger/" + name + "?purge=true").status()).isEqualTo(204);
        assertThat(admin.get("/api/v2/system/trigger/" + name).status()).isEqualTo(404);

        String events = admin.get("/api/events?topics=resource.*&limit=200").body();
        for (String topic : List.of("ResourceCreated", "ResourceSoftDeleted", "ResourceUpdated", "ResourceHardDeleted")) {
            assertThat(events).contains("resource." + topic);
        }
        JsonNode list = admin.get("/api/events?topics=resource.ResourceHardDeleted&limit=200").json().get("events");
        assertThat(list.toString()).contains(name);
    }

    @Test
    void badTriggersAreRefusedWithWhatToFix() {
        String name = prefix + "-bad";
        assertBad("{\"name\":\"" + name + "\",\"filter\":{\"topic\":[{\"numeric\":[\"~\",1]}]},\"action\":{\"type\":\"notify\",\"users\":[\"a\"]}}", "Invalid filter");
        assertBad("{\"name\":\"" + name + "\",\"filter\":{},\"action\":{\"type\":\"notify\",\"users\":[\"a\"]}}", "filter");
        assertBad("{\"name\":\"" + name + "\",\"filter\":{\"event\":\"a.b\"},\"action\":{\"type\":\"email\"}}", "webhook, notify or script");
        assertBad("{\"name\":\"" + name + "\",\"filter\":{\"event\":\"a.b\"},\"action\":{\"type\":\"webhook\",\"url\":\"ftp://x\"}}", "http or https");
        assertBad("{\"name\":\"" + name + "\",\"filter\":{\"event\":\"a.b\"},\"on\":\"sometimes\",\"action\":{\"type\":\"notify\",\"users\":[\"a\"]}}", "created, updated or both");
        assertBad("{\"name\":\"" + name + "\",\"filter\":{\"event\":\"a.b\"},\"action\":{\"type\":\"notify\"}}", "user_property");
        assertThat(admin.get("/api/v2/system/trigger/" + name).status()).isEqualTo(404);
    }

    private void assertBad(String body, String detail) {
        Response response = admin.post("/api/v2/system/trigger", body);
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().get("detail").asText()).contains(detail);
    }
}
