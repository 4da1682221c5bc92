package herald.enroll;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import herald.testing.HeraldClient.Response;
import herald.testing.HeraldClient;
import herald.testing.LocalHeraldExtension;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code POST /api/enroll} over real HTTP: the Ayon client's scenarios, and where Herald goes beyond Ayon. */
@ExtendWith(LocalHeraldExtension.class)
class EnrollApiIT {

    private final HeraldClient api;
    private final String source = "src" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final String target = "job" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    EnrollApiIT(HeraldClient api) {
        this.api = api;
    }

    private String dispatch(String topic) {
        return api.dispatch("{\"topic\":\"" + topic + "\"}");
    }

    private Response enroll(String sender, boolean sequential, String extra) {
        return api.post("/api/enroll", "{\"sourceTopic\":\"" + source + "\",\"targetTopic\":\"" + target
                + "\",\"sender\":\"" + sender + "\",\"sequential\":" + sequential + extra + "}");
    }

    private JsonNode job(Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private void finish(String jobId, String status) {
        assertThat(api.patch("/api/events/" + jobId, "{\"status\":\"" + status + "\"}").status()).isEqualTo(204);
    }

    @Test
    void nothingToDoIsA204WithAnEmptyBody() {
        Response response = enroll("s1", false, "");
        assertThat(response.status()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void aJobIsAPendingTargetEventThatDependsOnItsSource() {
        String first = dispatch(source);
        JsonNode job = job(enroll("worker-a", false, ",\"description\":\"convert it\""));
        assertThat(job.get("dependsOn").asText()).isEqualTo(first);
        assertThat(job.get("status").asText()).isEqualTo("pending");
        assertThat(job.get("hash").asText()).hasSize(64);
        List<String> keys = new ArrayList<>();
        job.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactlyInAnyOrder("id", "dependsOn", "hash", "status");

        JsonNode stored = api.get("/api/events/" + job.get("id").asText()).json();
        assertThat(stored.get("topic").asText()).isEqualTo(target);
        assertThat(stored.get("sender").asText()).isEqualTo("worker-a");
        assertThat(stored.get("description").asText()).isEqualTo("convert it");
        assertThat(stored.get("dependsOn").asText()).isEqualTo(first);
    }

    @Test
    void sequentialQueuesHandOutOneJobAtATime() {
        dispatch(source);
        dispatch(source);
        JsonNode first = job(enroll("s1", true, ""));
        assertThat(enroll("s2", true, "").status()).isEqualTo(204);
        finish(first.get("id").asText(), "finished");
        JsonNode second = job(enroll("s2", true, ""));
        assertThat(second.get("dependsOn").asText()).isNotEqualTo(first.get("dependsOn").asText());
    }

    @Test
    void aFailedJobIsTakenOverByTheNextWorker() {
        dispatch(source);
        JsonNode first = job(enroll("s1", true, ""));
        finish(first.get("id").asText(), "failed");
        JsonNode again = job(enroll("s2", true, ""));
        assertThat(again).isEqualTo(first);
        JsonNode stored = api.get("/api/events/" + again.get("id").asText()).json();
        assertThat(stored.get("sender").asText()).isEqualTo("s2");
        assertThat(stored.get("retries").asInt()).isEqualTo(1);
        assertThat(stored.get("description").asText()).isEqualTo("Restarting failed event");
    }

    @Test
    void theSameSenderAskingTwiceGetsTheSameJob() {
        dispatch(source);
        dispatch(source);
        assertThat(job(enroll("s1", false, ""))).isEqualTo(job(enroll("s1", false, "")));
        assertThat(job(enroll("s1", true, ""))).isEqualTo(job(enroll("s1", true, "")));
    }

    @Test
    void parallelSendersEachGetADistinctSource() {
        for (int i = 0; i < 3; i++) {
            dispatch(source);
        }
        Set<String> sources = new HashSet<>();
        for (String sender : List.of("s1", "s2", "s3")) {
            sources.add(job(enroll(sender, false, "")).get("dependsOn").asText());
        }
        assertThat(sources).hasSize(3);
        assertThat(enroll("s4", false, "").status()).isEqualTo(204);
    }

    @Test
    void sourcesAreHandedOutOldestFirstAndOnlyWhenFinished() {
        String pending = api.dispatch("{\"topic\":\"" + source + "\",\"finished\":false}");
        String done = dispatch(source);
        assertThat(job(enroll("s1", false, "")).get("dependsOn").asText()).isEqualTo(done);
        assertThat(enroll("s2", false, "").status()).isEqualTo(204);
        finish(pending, "finished");
        assertThat(job(enroll("s2", false, "")).get("dependsOn").asText()).isEqualTo(pending);
    }

    @Test
    void retriesRunOutAfterMaxRetries() {
        dispatch(source);
        String extra = ",\"maxRetries\":1";
        String id = job(enroll("s1", false, extra)).get("id").asText();
        finish(id, "failed");
        assertThat(job(enroll("s1", false, extra)).get("id").asText()).isEqualTo(id);
        finish(id, "failed");
        assertThat(job(enroll("s1", false, extra)).get("id").asText()).isEqualTo(id);
        finish(id, "failed");
        assertThat(api.get("/api/events/" + id).json().get("retries").asInt()).isEqualTo(2);
        assertThat(enroll("s1", false, extra).status()).isEqualTo(204);
    }

    @Test
    void anAbortedJobDoesNotBlockASequentialQueue() {
        dispatch(source);
        dispatch(source);
        JsonNode first = job(enroll("s1", true, ""));
        finish(first.get("id").asText(), "aborted");
        JsonNode second = job(enroll("s2", true, ""));
        assertThat(second.get("dependsOn").asText()).isNotEqualTo(first.get("dependsOn").asText());
    }

    @Test
    void wildcardsWorkAloneAndInsideAList() {
        String a = dispatch(source + ".alpha");
        String b = dispatch(source + ".beta");
        String other = dispatch(target + "x.gamma");
        Response wildcard = api.post("/api/enroll", "{\"sourceTopic\":\"" + source + ".*\",\"targetTopic\":\"" + target
                + "\",\"sender\":\"w\"}");
        assertThat(job(wildcard).get("dependsOn").asText()).isEqualTo(a);
        Response list = api.post("/api/enroll", "{\"sourceTopic\":[\"" + target + "x.*\",\"" + source + ".b*\"],"
                + "\"targetTopic\":\"" + target + "y\",\"sender\":\"w\"}");
        Set<String> seen = new HashSet<>();
        seen.add(job(list).get("dependsOn").asText());
        finish(job(list).get("id").asText(), "finished");
        Response next = api.post("/api/enroll", "{\"sourceTopic\":[\"" + target + "x.*\",\"" + source + ".b*\"],"
                + "\"targetTopic\":\"" + target + "y\",\"sender\":\"w\"}");
        seen.add(job(next).get("dependsOn").asText());
        assertThat(seen).containsExactlyInAnyOrder(b, other);
    }

    @Test
    void ignoredSenderTypesAreSkipped() {
        api.post("/api/events", "{\"topic\":\"" + source + "\"}", "X-Sender-Type", "sync");
        String kept = dispatch(source);
        JsonNode job = job(enroll("s1", false, ",\"ignoreSenderTypes\":[\"sync\"]"));
        assertThat(job.get("dependsOn").asText()).isEqualTo(kept);
        finish(job.get("id").asText(), "finished");
        assertThat(enroll("s1", false, ",\"ignoreSenderTypes\":[\"sync\"]").status()).isEqualTo(204);
    }

    @Test
    void aFilterSelectsSources() {
        api.dispatch("{\"topic\":\"" + source + "\",\"payload\":{\"newValue\":\"Rejected\"}}");
        String approved = api.dispatch("{\"topic\":\"" + source + "\",\"payload\":{\"newValue\":\"Approved\"}}");
        String filter = ",\"filter\":{\"conditions\":[{\"key\":\"payload/newValue\",\"value\":[\"Approved\"],"
                + "\"operator\":\"in\"}],\"operator\":\"and\"}";
        JsonNode job = job(enroll("s1", false, filter));
        assertThat(job.get("dependsOn").asText()).isEqualTo(approved);
        finish(job.get("id").asText(), "finished");
        assertThat(enroll("s1", false, filter).status()).isEqualTo(204);
    }

    @Test
    void badRequestsNameTheProblem() {
        Response wildcardTarget = api.post("/api/enroll", "{\"sourceTopic\":\"a.b\",\"targetTopic\":\"c.*\"}");
        assertThat(wildcardTarget.status()).isEqualTo(400);
        assertThat(wildcardTarget.json().get("detail").asText()).isEqualTo("Target topic must not contain wildcards, got 'c.*'");
        Response badTopic = api.post("/api/enroll", "{\"sourceTopic\":[\"a.b\",\"x y\"],\"targetTopic\":\"c.d\"}");
        assertThat(badTopic.json().get("detail").asText()).startsWith("Invalid source topic 'x y'");
        Response badOperator = api.post("/api/enroll", "{\"sourceTopic\":\"a.b\",\"targetTopic\":\"c.d\",\"filter\":"
                + "{\"conditions\":[{\"key\":\"payload/x\",\"value\":1,\"operator\":\"contains\"}]}}");
        assertThat(badOperator.status()).isEqualTo(400);
        assertThat(badOperator.json().get("detail").asText()).contains("unknown operator 'contains'");
        assertThat(api.post("/api/enroll", "{\"sourceTopic\":\"a.b\",\"targetTopic\":\"c.d\",\"filter\":[]}").status())
                .isEqualTo(400);
        assertThat(api.withoutKey().post("/api/enroll", "{\"sourceTopic\":\"a.b\",\"targetTopic\":\"c.d\"}").status())
                .isEqualTo(401);
    }
}
