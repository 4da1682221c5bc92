package herald.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import herald.local.LocalHerald;
import herald.testing.HeraldClient.Response;
import herald.testing.HeraldClient;
import herald.testing.LocalHeraldExtension;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The events API end to end: real HTTP to the local runtime, real handlers, real DynamoDB Local. */
@ExtendWith(LocalHeraldExtension.class)
class EventsApiIT {

    private static ExecutorService pool;
    private final HeraldClient api;
    private final LocalHerald herald;

    EventsApiIT(HeraldClient api, LocalHerald herald) {
        this.api = api;
        this.herald = herald;
    }

    @BeforeAll
    static void startPool() {
        pool = Executors.newFixedThreadPool(16);
    }

    @AfterAll
    static void stopPool() {
        pool.shutdownNow();
    }

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "");
    }

    @Test
    void dispatchStoresTheEventWithTheContractsDefaults() {
        Response dispatched = api.post("/api/events", "{\"topic\":\"it.dispatch\"}");
        assertThat(dispatched.status()).isEqualTo(200);
        assertThat(dispatched.raw().headers().firstValue("content-type")).contains("application/json");
        String id = dispatched.json().get("id").asText();
        assertThat(id).matches("[0-9a-f]{32}");

        JsonNode event = api.get("/api/events/" + id).json();
        List<String> keys = new ArrayList<>();
        event.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactlyInAnyOrder("id", "hash", "topic", "sender", "senderType", "project", "user",
                "dependsOn", "status", "retries", "description", "summary", "payload", "createdAt", "updatedAt");
        assertThat(event.get("hash").asText()).isEqualTo(id);
        assertThat(event.get("status").asText()).isEqualTo("finished");
        assertThat(event.get("senderType").asText()).isEqualTo("api");
        assertThat(event.get("user").asText()).isEqualTo("admin");
        assertThat(event.get("sender").isNull()).isTrue();
        assertThat(event.get("project").isNull()).isTrue();
        assertThat(event.get("dependsOn").isNull()).isTrue();
        assertThat(event.get("retries").asInt()).isZero();
        assertThat(event.get("description").asText()).isEmpty();
        assertThat(event.get("summary").isObject() && event.get("summary").isEmpty()).isTrue();
        assertThat(event.get("payload").isObject() && event.get("payload").isEmpty()).isTrue();
        assertThat(event.get("createdAt").asText()).endsWith("+00:00");
        assertThat(OffsetDateTime.parse(event.get("createdAt").asText())).isNotNull();
        assertThat(event.get("updatedAt").asText()).isEqualTo(event.get("createdAt").asText());
    }

    @Test
    void dispatchKeepsEveryFieldItIsGiven() {
        String dependency = api.dispatch("{\"topic\":\"it.source\"}");
        String id = api.dispatch("{\"topic\":\"it.fields\",\"sender\":\"body-sender\",\"hash\":\"" + unique("h") + "\","
                + "\"project\":\"proj_1\",\"dependsOn\":\"" + dependency + "\",\"description\":\"a job\","
                + "\"summary\":{\"entityId\":\"e1\"},\"payload\":{\"newValue\":[1,2.5,\"x\"]},\"finished\":false}");
        JsonNode event = api.get("/api/events/" + id).json();
        assertThat(event.get("sender").asText()).isEqualTo("body-sender");
        assertThat(event.get("project").asText()).isEqualTo("proj_1");
        assertThat(event.get("dependsOn").asText()).isEqualTo(dependency);
        assertThat(event.get("status").asText()).isEqualTo("pending");
        assertThat(event.get("description").asText()).isEqualTo("a job");
        assertThat(event.get("summary").get("entityId").asText()).isEqualTo("e1");
        assertThat(event.get("payload").get("newValue").toString()).isEqualTo("[1,2.5,\"x\"]");
    }

    @Test
    void senderAndSenderTypeComeFromTheHeadersAsInAyon() {
        String id = api.dispatch("{\"topic\":\"it.headers\",\"sender\":\"from-body\"}");
        assertThat(api.get("/api/events/" + id).json().get("sender").asText()).isEqualTo("from-body");
        Response withHeaders = api.post("/api/events", "{\"topic\":\"it.headers\"}",
                "X-Sender", "worker-7", "X-Sender-Type", "service");
        JsonNode event = api.get("/api/events/" + withHeaders.json().get("id").asText()).json();
        assertThat(event.get("sender").asText()).isEqualTo("worker-7");
        assertThat(event.get("senderType").asText()).isEqualTo("service");

        Response invalidHeader = api.post("/api/events", "{\"topic\":\"it.headers\"}", "X-Sender-Type", "not valid!");
        JsonNode defaulted = api.get("/api/events/" + invalidHeader.json().get("id").asText()).json();
        assertThat(defaulted.get("senderType").asText()).isEqualTo("api");
    }

    @Test
    void aDuplicateHashIsAConflict() {
        String hash = unique("dup");
        api.dispatch("{\"topic\":\"it.dup\",\"hash\":\"" + hash + "\"}");
        Response second = api.post("/api/events", "{\"topic\":\"it.dup\",\"hash\":\"" + hash + "\"}");
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.json().get("detail").asText()).startsWith("Event with the same hash already exists");
    }

    @Test
    void concurrentIdenticalDispatchesCreateExactlyOneEvent() throws Exception {
        String hash = unique("race");
        String body = "{\"topic\":\"it.race\",\"hash\":\"" + hash + "\"}";
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Response>> futures = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            futures.add(pool.submit(() -> {
                start.await();
                return api.post("/api/events", body);
            }));
        }
        start.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (Future<Response> future : futures) {
            statuses.add(future.get().status());
        }
        assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 409).hasSize(15);
        assertThat(eventsWithHash(hash)).hasSize(1);
    }

    @Test
    void reuseReplacesTheEventHoldingTheHash() {
        String hash = unique("reuse");
        String first = api.dispatch("{\"topic\":\"it.reuse\",\"hash\":\"" + hash + "\",\"payload\":{\"v\":1}}");
        assertThat(api.patch("/api/events/" + first, "{\"retries\":2}").status()).isEqualTo(204);
        JsonNode original = api.get("/api/events/" + first).json();

        String second = api.dispatch("{\"topic\":\"it.reused\",\"hash\":\"" + hash + "\",\"reuse\":true,"
                + "\"payload\":{\"v\":2},\"finished\":false}");
        assertThat(second).isNotEqualTo(first);
        assertThat(api.get("/api/events/" + first).status()).isEqualTo(404);
        JsonNode replaced = api.get("/api/events/" + second).json();
        assertThat(replaced.get("hash").asText()).isEqualTo(hash);
        assertThat(replaced.get("topic").asText()).isEqualTo("it.reused");
        assertThat(replaced.get("payload").get("v").asInt()).isEqualTo(2);
        assertThat(replaced.get("status").asText()).isEqualTo("pending");
        assertThat(replaced.get("retries").asInt()).isEqualTo(2);
        assertThat(replaced.get("createdAt").asText()).isEqualTo(original.get("createdAt").asText());
        assertThat(eventsWithHash(hash)).hasSize(1);

        assertThat(api.post("/api/events", "{\"topic\":\"it.reuse\",\"hash\":\"" + hash + "\"}").status()).isEqualTo(409);
    }

    @Test
    void reuseWithoutAnExistingEventCreatesOne() {
        String hash = unique("fresh");
        String id = api.dispatch("{\"topic\":\"it.reuse\",\"hash\":\"" + hash + "\",\"reuse\":true}");
        assertThat(api.get("/api/events/" + id).json().get("hash").asText()).isEqualTo(hash);
    }

    @Test
    void fireAndForgetWritesNothing() {
        int before = itemCount();
        Response response = api.post("/api/events", "{\"topic\":\"it.volatile\",\"store\":false,\"hash\":\"x1\"}");
        assertThat(response.status()).isEqualTo(200);
        String id = response.json().get("id").asText();
        assertThat(id).matches("[0-9a-f]{32}");
        assertThat(itemCount()).isEqualTo(before);
        assertThat(api.get("/api/events/" + id).status()).isEqualTo(404);
        assertThat(api.patch("/api/events/" + id, "{\"status\":\"failed\"}").status()).isEqualTo(404);
    }

    @Test
    void updateAppliesTheContractsFieldsAndNeverStoresProgress() {
        String id = api.dispatch("{\"topic\":\"it.update\",\"summary\":{\"a\":1,\"b\":2},\"finished\":false}");
        JsonNode before = api.get("/api/events/" + id).json();
        Response patched = api.patch("/api/events/" + id, "{\"status\":\"in_progress\",\"progress\":55.5,"
                + "\"description\":\"working\",\"summary\":{\"c\":3},\"payload\":{\"p\":true},\"retries\":1,"
                + "\"project\":\"proj_2\",\"user\":\"someone\"}", "X-Sender", "worker-1", "X-Sender-Type", "service");
        assertThat(patched.status()).isEqualTo(204);
        assertThat(patched.body()).isEmpty();

        JsonNode after = api.get("/api/events/" + id).json();
        assertThat(after.get("status").asText()).isEqualTo("in_progress");
        assertThat(after.get("description").asText()).isEqualTo("working");
        assertThat(after.get("summary").toString()).isEqualTo("{\"c\":3}");
        assertThat(after.get("payload").toString()).isEqualTo("{\"p\":true}");
        assertThat(after.get("retries").asInt()).isEqualTo(1);
        assertThat(after.get("project").asText()).isEqualTo("proj_2");
        assertThat(after.get("user").asText()).isEqualTo("someone");
        assertThat(after.get("sender").asText()).isEqualTo("worker-1");
        assertThat(after.get("senderType").asText()).isEqualTo("service");
        assertThat(after.has("progress")).isFalse();
        assertThat(after.get("createdAt").asText()).isEqualTo(before.get("createdAt").asText());
        assertThat(after.get("updatedAt").asText()).isGreaterThan(before.get("updatedAt").asText());

        // senderType is always the caller's: a PATCH without the header resets it to "api".
        assertThat(api.patch("/api/events/" + id, "{\"progress\":60}").status()).isEqualTo(204);
        JsonNode progressed = api.get("/api/events/" + id).json();
        assertThat(progressed.get("senderType").asText()).isEqualTo("api");
        assertThat(progressed.get("status").asText()).isEqualTo("in_progress");
        assertThat(progressed.get("sender").asText()).isEqualTo("worker-1");
    }

    @Test
    void concurrentUpdatesOfDifferentFieldsLoseNone() throws Exception {
        String id = api.dispatch("{\"topic\":\"it.concurrent\",\"finished\":false}");
        List<String> patches = List.of("{\"status\":\"in_progress\"}", "{\"description\":\"d\"}", "{\"retries\":3}",
                "{\"summary\":{\"s\":1}}", "{\"payload\":{\"p\":1}}", "{\"project\":\"proj_c\"}", "{\"user\":\"u1\"}",
                "{\"sender\":\"s1\"}");
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> futures = new ArrayList<>();
        for (String patch : patches) {
            Callable<Integer> call = () -> {
                start.await();
                return api.patch("/api/events/" + id, patch).status();
            };
            futures.add(pool.submit(call));
        }
        start.countDown();
        for (Future<Integer> future : futures) {
            assertThat(future.get()).isEqualTo(204);
        }
        JsonNode event = api.get("/api/events/" + id).json();
        assertThat(event.get("status").asText()).isEqualTo("in_progress");
        assertThat(event.get("description").asText()).isEqualTo("d");
        assertThat(event.get("retries").asInt()).isEqualTo(3);
        assertThat(event.get("summary").toString()).isEqualTo("{\"s\":1}");
        assertThat(event.get("payload").toString()).isEqualTo("{\"p\":1}");
        assertThat(event.get("project").asText()).isEqualTo("proj_c");
        assertThat(event.get("user").asText()).isEqualTo("u1");
        assertThat(event.get("sender").asText()).isEqualTo("s1");
    }

    @Test
    void deleteRemovesTheEventAndReleasesItsHash() {
        String hash = unique("del");
        String id = api.dispatch("{\"topic\":\"it.delete\",\"hash\":\"" + hash + "\"}");
        Response deleted = api.delete("/api/events/" + id);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        assertThat(api.get("/api/events/" + id).status()).isEqualTo(404);
        assertThat(api.delete("/api/events/" + id).status()).isEqualTo(204);
        assertThat(api.delete("/api/events/0123456789abcdef0123456789abcdef").status()).isEqualTo(204);
        assertThat(api.post("/api/events", "{\"topic\":\"it.delete\",\"hash\":\"" + hash + "\"}").status()).isEqualTo(200);
    }

    @Test
    void dependsOnMustNameAnExistingEventAndProtectsIt() {
        int before = itemCount();
        Response orphan = api.post("/api/events", "{\"topic\":\"it.job\",\"dependsOn\":\"0123456789abcdef0123456789abcdef\"}");
        assertThat(orphan.status()).isEqualTo(409);
        assertThat(orphan.json().get("detail").asText())
                .isEqualTo("Event depends on non-existing event 0123456789abcdef0123456789abcdef");
        assertThat(itemCount()).isEqualTo(before);

        String source = api.dispatch("{\"topic\":\"it.source\"}");
        String job = api.dispatch("{\"topic\":\"it.job\",\"dependsOn\":\"" + source + "\"}");
        Response refused = api.delete("/api/events/" + source);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("detail").asText()).contains("other events depend on it");
        assertThat(api.get("/api/events/" + source).status()).isEqualTo(200);

        assertThat(api.delete("/api/events/" + job).status()).isEqualTo(204);
        assertThat(api.delete("/api/events/" + source).status()).isEqualTo(204);
    }

    @Test
    void theServerRoutesAnswerWithoutAKey() {
        HeraldClient anonymous = api.withoutKey();
        assertThat(anonymous.get("/").status()).isEqualTo(200);
        Response info = anonymous.get("/api/info", "Authorization", "Bearer not-a-session");
        assertThat(info.status()).isEqualTo(200);
        assertThat(info.json().get("version").asText()).isEqualTo("1.16.0");
        assertThat(info.json().get("heraldVersion").asText()).isNotBlank();
    }

    /**
     * The cached authorizer's identity source is X-Api-Key, so API Gateway itself refuses a request without it (its
     * own 401 body); the uncached authorizer of the script cache's routes reads the key anywhere the contract allows.
     */
    @Test
    void theKeyIsAcceptedWhereEachAuthorizerReadsIt() {
        String id = api.dispatch("{\"topic\":\"it.auth\"}");
        HeraldClient anonymous = api.withoutKey();
        String key = LocalHeraldExtension.API_KEY;
        assertThat(anonymous.get("/api/events/" + id, "X-Api-Key", key).status()).isEqualTo(200);
        Response gateway = anonymous.get("/api/events/" + id, "Authorization", "ApiKey " + key);
        assertThat(gateway.status()).isEqualTo(401);
        assertThat(gateway.body()).isEqualTo("{\"message\":\"Unauthorized\"}");
        assertThat(anonymous.get("/api/events/" + id + "?api_key=" + key).status()).isEqualTo(401);

        String cache = "/api/v2/system/cache/_event/events.post.pre_process";
        assertThat(anonymous.delete(cache, "Authorization", "ApiKey " + key).status()).isEqualTo(200);
        assertThat(anonymous.delete(cache + "?api_key=" + key).status()).isEqualTo(200);
        assertThat(anonymous.delete(cache + "?token=" + key).status()).isEqualTo(200);
        assertThat(anonymous.delete(cache, "X-Api-Key", key).status()).isEqualTo(200);
    }

    @Test
    void nothingIsWrittenWhenARequestIsRefused() {
        int before = itemCount();
        api.post("/api/events", "{\"topic\":\"it.big\",\"payload\":{\"blob\":\"" + "x".repeat(420_000) + "\"}}");
        api.post("/api/events", "{\"topic\":\"x\"}");
        api.withKey("wrong").post("/api/events", "{\"topic\":\"it.denied\"}");
        api.post("/api/events", "{\"topic\":\"it.bad\",\"finished\":1}");
        assertThat(itemCount()).isEqualTo(before);
    }

    private List<Map<String, AttributeValue>> eventsWithHash(String hash) {
        String table = herald.functionEnvironment("EventsFunction").get("EVENTS_TABLE");
        return herald.dynamoDb().scanPaginator(r -> r.tableName(table)
                        .filterExpression("#hash = :hash")
                        .expressionAttributeNames(Map.of("#hash", "hash"))
                        .expressionAttributeValues(Map.of(":hash", AttributeValue.fromS(hash))))
                .items().stream().toList();
    }

    /** Items in the events and hashes tables: a test-only Scan, to prove that nothing else was written. */
    private int itemCount() {
        Map<String, String> environment = herald.functionEnvironment("EventsFunction");
        int count = 0;
        for (String table : List.of(environment.get("EVENTS_TABLE"), environment.get("EVENT_HASHES_TABLE"))) {
            Iterator<?> items = herald.dynamoDb().scanPaginator(r -> r.tableName(table).consistentRead(true))
                    .items().iterator();
            while (items.hasNext()) {
                items.next();
                count++;
            }
        }
        return count;
    }
}
