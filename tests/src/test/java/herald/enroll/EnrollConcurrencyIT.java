package herald.enroll;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import herald.local.LocalHerald;
import herald.testing.HeraldClient.Response;
import herald.testing.HeraldClient;
import herald.testing.LocalHeraldExtension;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Enroll under concurrent workers over real HTTP: every source gets exactly one job, and no job goes out twice. */
@ExtendWith(LocalHeraldExtension.class)
class EnrollConcurrencyIT {

    private final HeraldClient api;
    private final LocalHerald herald;

    EnrollConcurrencyIT(HeraldClient api, LocalHerald herald) {
        this.api = api;
        this.herald = herald;
    }

    private static String topic(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    @Test
    void eightParallelWorkersProcessFiveHundredSourcesExactlyOnce() throws Exception {
        String source = topic("cs");
        String target = topic("ct");
        Set<String> sources = Collections.synchronizedSet(new HashSet<>());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> dispatched = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                dispatched.add(pool.submit(() -> api.dispatch("{\"topic\":\"" + source + "\"}")));
            }
            for (Future<String> id : dispatched) {
                sources.add(id.get());
            }
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<String>>> workers = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                String sender = "worker-" + w;
                workers.add(pool.submit(() -> {
                    start.await();
                    List<String> handled = new ArrayList<>();
                    while (true) {
                        Response response = api.post("/api/enroll", "{\"sourceTopic\":\"" + source
                                + "\",\"targetTopic\":\"" + target + "\",\"sender\":\"" + sender + "\"}");
                        if (response.status() == 204) {
                            return handled;
                        }
                        assertThat(response.status()).as(response.body()).isEqualTo(200);
                        String job = response.json().get("id").asText();
                        handled.add(job + " " + response.json().get("dependsOn").asText());
                        assertThat(api.patch("/api/events/" + job, "{\"status\":\"finished\"}").status()).isEqualTo(204);
                    }
                }));
            }
            start.countDown();
            List<String> all = new ArrayList<>();
            for (Future<List<String>> worker : workers) {
                all.addAll(worker.get());
            }
            assertThat(all).doesNotHaveDuplicates().hasSize(500);
            Set<String> handledSources = new HashSet<>();
            all.forEach(entry -> handledSources.add(entry.split(" ")[1]));
            assertThat(handledSources).isEqualTo(sources);

            List<Map<String, AttributeValue>> jobs = jobsOf(target);
            assertThat(jobs).hasSize(500);
            assertThat(jobs).allSatisfy(job -> assertThat(job.get("status").s()).isEqualTo("finished"));
            assertThat(jobs.stream().map(job -> job.get("dependsOn").s()).distinct().count()).isEqualTo(500);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentSequentialWorkersNeverHoldTwoJobsAtOnce() throws Exception {
        String source = topic("qs");
        String target = topic("qt");
        for (int i = 0; i < 20; i++) {
            api.dispatch("{\"topic\":\"" + source + "\"}");
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> workers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                String sender = "seq-" + w;
                workers.add(pool.submit(() -> {
                    start.await();
                    int done = 0;
                    int idle = 0;
                    while (idle < 50) {
                        Response response = api.post("/api/enroll", "{\"sourceTopic\":\"" + source
                                + "\",\"targetTopic\":\"" + target + "\",\"sender\":\"" + sender + "\",\"sequential\":true}");
                        if (response.status() == 204) {
                            idle++;
                            if (jobsOf(target).size() == 20 && jobsOf(target).stream()
                                    .allMatch(j -> j.get("status").s().equals("finished"))) {
                                return done;
                            }
                            continue;
                        }
                        idle = 0;
                        JsonNode job = response.json();
                        api.patch("/api/events/" + job.get("id").asText(), "{\"status\":\"finished\"}");
                        done++;
                    }
                    return done;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> worker : workers) {
                total += worker.get();
            }
            assertThat(total).isEqualTo(20);
            List<Map<String, AttributeValue>> jobs = new ArrayList<>(jobsOf(target));
            assertThat(jobs).hasSize(20);
            // Sequential: each job was created only after the one before it had finished.
            jobs.sort(Comparator.comparing(j -> j.get("createdAt").s()));
            for (int i = 1; i < jobs.size(); i++) {
                assertThat(jobs.get(i).get("createdAt").s())
                        .isGreaterThanOrEqualTo(jobs.get(i - 1).get("updatedAt").s());
            }
            Map<String, Integer> perSource = new HashMap<>();
            jobs.forEach(j -> perSource.merge(j.get("dependsOn").s(), 1, Integer::sum));
            assertThat(perSource.values()).containsOnly(1);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The jobs of a target topic, read for the assertions through the byTopic index. */
    private List<Map<String, AttributeValue>> jobsOf(String target) {
        String table = herald.functionEnvironment("EnrollFunction").get("EVENTS_TABLE");
        return herald.dynamoDb().queryPaginator(r -> r.tableName(table).indexName("byTopic")
                        .keyConditionExpression("topic = :t")
                        .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(target))))
                .items().stream().toList();
    }
}
