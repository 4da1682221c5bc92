package herald.enroll;

import static org.assertj.core.api.Assertions.assertThat;

import herald.auth.Principal;
import herald.auth.Role;
import herald.events.Caller;
import herald.events.DispatchRequest;
import herald.events.DynamoDbEventStore;
import herald.events.EventAnnouncer;
import herald.events.EventService;
import herald.events.EventStatus;
import herald.events.EventUpdate;
import herald.events.ProjectRegistry;
import herald.events.RetentionPolicy;
import herald.events.TopicRegistry;
import herald.kernel.JsonBody;
import herald.kernel.Metrics;
import herald.local.LocalHerald;
import herald.testing.LocalHeraldExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Enroll rules that depend on time, on the real tables, with a clock the test moves. */
@ExtendWith(LocalHeraldExtension.class)
class EnrollServiceIT {

    /** A clock the test sets. */
    private static final class TestClock extends Clock {
        private Instant now;

        TestClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final TestClock clock = new TestClock(Instant.now());
    private final EventService events;
    private final EnrollService enroll;
    private final String source = "ls" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final String target = "lt" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    EnrollServiceIT(LocalHerald herald) {
        Map<String, String> environment = herald.functionEnvironment("EnrollFunction");
        DynamoDbClient dynamoDb = herald.dynamoDb();
        DynamoDbEventStore store = DynamoDbEventStore.builder().withDynamoDb(dynamoDb)
                .withEventsTable(environment.get("EVENTS_TABLE")).withHashesTable(environment.get("EVENT_HASHES_TABLE"))
                .withTopics(new TopicRegistry(dynamoDb, environment.get("TOPICS_TABLE")))
                .withProjects(new ProjectRegistry(dynamoDb, environment.get("PROJECTS_TABLE"), null, clock))
                .withClock(clock).build();
        this.events = new EventService(store, RetentionPolicy.keepForever(), EventAnnouncer.NONE, Metrics.NONE,
                clock);
        this.enroll = EnrollService.builder().withEvents(store)
                .withQueues(new JobQueueStore(dynamoDb, store, environment.get("EVENTS_TABLE"),
                        environment.get("EVENT_HASHES_TABLE"), environment.get("ENROLL_QUEUES_TABLE")))
                .withLease(Duration.ofMinutes(30)).withClock(clock).build();
    }

    private static Caller caller(String sender) {
        return new Caller(new Principal("admin", Role.ADMIN, null), sender, "service");
    }

    private String dispatch(String topic) {
        return events.dispatch(DispatchRequest.from(JsonBody.parse("{\"topic\":\"" + topic + "\"}")), caller(null)).id();
    }

    private Job enroll(String sender, String extra) {
        return enroll.enroll(EnrollRequest.from(JsonBody.parse("{\"sourceTopic\":\"" + source + "\",\"targetTopic\":\""
                + target + "\",\"sender\":\"" + sender + "\"" + extra + "}")), caller(sender)).orElse(null);
    }

    private void setStatus(String id, EventStatus status) {
        events.update(id, new EventUpdate(null, null, null, status, null, null, null, null, null), caller(null));
    }

    @Test
    void aSilentWorkersJobIsTakenOverAfterTheLeaseWithItsRetriesCounted() {
        dispatch(source);
        Job job = enroll("w1", "");
        setStatus(job.id(), EventStatus.IN_PROGRESS);
        clock.advance(Duration.ofMinutes(29));
        assertThat(enroll("w2", "")).isNull();
        clock.advance(Duration.ofMinutes(2));
        Job takenOver = enroll("w2", "");
        assertThat(takenOver.id()).isEqualTo(job.id());
        assertThat(takenOver.status()).isEqualTo("pending");
        var stored = events.find(job.id()).orElseThrow();
        assertThat(stored.sender()).isEqualTo("w2");
        assertThat(stored.retries()).isEqualTo(1);
        assertThat(stored.description()).contains("lease");
        // w2 holds it now: w1 no longer gets it, and a PATCH renews the lease.
        assertThat(enroll("w1", "")).isNull();
    }

    @Test
    void aSequentialQueueMovesOnWhenItsHeadsLeaseRunsOutAndItsRetriesAreSpent() {
        dispatch(source);
        dispatch(source);
        Job first = enroll("w1", ",\"sequential\":true,\"maxRetries\":0");
        clock.advance(Duration.ofMinutes(31));
        Job takenOver = enroll("w2", ",\"sequential\":true,\"maxRetries\":0");
        assertThat(takenOver.id()).isEqualTo(first.id());
        clock.advance(Duration.ofMinutes(31));
        Job next = enroll("w3", ",\"sequential\":true,\"maxRetries\":0");
        assertThat(next.dependsOn()).isNotEqualTo(first.dependsOn());
    }

    @Test
    void sourcesOlderThanIgnoreOlderThanAreSkipped() {
        String old = dispatch(source);
        clock.advance(Duration.ofDays(4));
        String recent = dispatch(source);
        Job job = enroll("w1", "");
        assertThat(job.dependsOn()).isEqualTo(recent);
        setStatus(job.id(), EventStatus.FINISHED);
        assertThat(enroll("w1", "")).isNull();
        Job unlimited = enroll("w1", ",\"ignoreOlderThan\":0");
        assertThat(unlimited).isNull(); // the queue's cursor is shared: same definition, already past the old source
        Job other = enroll.enroll(EnrollRequest.from(JsonBody.parse("{\"sourceTopic\":\"" + source
                + "\",\"targetTopic\":\"" + target + "x\",\"ignoreOlderThan\":0}")), caller("w1")).orElseThrow();
        assertThat(other.dependsOn()).isEqualTo(old);
    }
}
