package herald.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.kernel.Json;
import herald.kernel.Metrics;
import herald.local.LocalHerald;
import herald.testing.LocalHeraldExtension;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The store's rules on the real tables of the local runtime: claims, expiry, retention, dependants. */
@ExtendWith(LocalHeraldExtension.class)
class DynamoDbEventStoreIT {

    private final Map<String, String> environment;
    private final DynamoDbClient dynamoDb;

    DynamoDbEventStoreIT(LocalHerald herald) {
        this.environment = herald.functionEnvironment("EventsFunction");
        this.dynamoDb = herald.dynamoDb();
    }

    private DynamoDbEventStore storeAt(Instant now) {
        return DynamoDbEventStore.builder()
                .withDynamoDb(dynamoDb)
                .withEventsTable(environment.get("EVENTS_TABLE"))
                .withHashesTable(environment.get("EVENT_HASHES_TABLE"))
                .withTopics(new TopicRegistry(dynamoDb, environment.get("TOPICS_TABLE")))
                .withProjects(new ProjectRegistry(dynamoDb, environment.get("PROJECTS_TABLE"), null,
                        Clock.fixed(now, ZoneOffset.UTC)))
                .withClock(Clock.fixed(now, ZoneOffset.UTC))
                .build();
    }

    private static Event event(String hash, Instant at, Long expiresAt) {
        ObjectNode empty = Json.MAPPER.createObjectNode();
        return new Event(EventIds.newId(at.toEpochMilli()), hash, "store.test", null, "api", null, "admin", null,
                EventStatus.FINISHED, 0, "", empty, empty, at, at, expiresAt, null, null);
    }

    /** An update's progress is written with its version, whatever the number (DynamoDB takes no exponent). */
    @Test
    void aProgressIsWrittenAsDynamoDbReadsNumbers() {
        Instant at = Instant.parse("2026-03-01T00:00:00Z");
        for (double progress : new double[] {0.0001, 42.5, 100}) {
            Event event = event("progress-" + UUID.randomUUID(), at, null).toBuilder().progress(progress).build();
            storeAt(at).insert(event);
            assertThat(storeAt(at).find(event.id()).orElseThrow().progress()).isEqualTo(progress);
        }
    }

    @Test
    void anExpiredEventIsGoneBeforeTtlDeletesItAndItsHashCanBeTakenAgain() {
        Instant created = Instant.parse("2026-01-01T00:00:00Z");
        String hash = "expiring-" + UUID.randomUUID();
        Event old = event(hash, created, created.getEpochSecond() + 3_600);
        storeAt(created).insert(old);
        assertThat(storeAt(created.plusSeconds(60)).find(old.id())).contains(old);

        DynamoDbEventStore later = storeAt(created.plusSeconds(7_200));
        assertThat(later.find(old.id())).isEmpty();
        Event successor = event(hash, created.plusSeconds(7_200), null);
        later.insert(successor);
        assertThat(later.find(successor.id())).contains(successor);
        assertThatThrownBy(() -> later.insert(event(hash, created.plusSeconds(7_300), null)))
                .isInstanceOf(DuplicateHashException.class);
    }

    @Test
    void updatingAnEventMovesTheExpiryOfItsEventAndItsClaimTogether() {
        Instant now = Instant.parse("2026-02-01T00:00:00Z");
        RetentionPolicy retention = RetentionPolicy.parse(0, "store.*=1");
        EventService service = new EventService(storeAt(now), retention, EventAnnouncer.NONE, Metrics.NONE,
                Clock.fixed(now, ZoneOffset.UTC));
        String hash = "retained-" + UUID.randomUUID();
        String id = service.dispatch(new DispatchRequest("store.test", null, hash, null, null, null,
                Json.MAPPER.createObjectNode(), Json.MAPPER.createObjectNode(), true, true, false),
                new Caller(new herald.auth.Principal("admin", herald.auth.Role.ADMIN, null), null, "api")).id();
        assertThat(service.find(id).orElseThrow().expiresAt()).isEqualTo(now.getEpochSecond() + 86_400);

        Instant later = now.plusSeconds(3_600);
        EventService laterService = new EventService(storeAt(later), retention, EventAnnouncer.NONE, Metrics.NONE,
                Clock.fixed(later, ZoneOffset.UTC));
        laterService.update(id, new EventUpdate(null, null, null, EventStatus.FAILED, null, null, null, null, null),
                new Caller(new herald.auth.Principal("admin", herald.auth.Role.ADMIN, null), null, "api"));
        long expected = later.getEpochSecond() + 86_400;
        assertThat(laterService.find(id).orElseThrow().expiresAt()).isEqualTo(expected);
        var claim = dynamoDb.getItem(r -> r.tableName(environment.get("EVENT_HASHES_TABLE"))
                .key(Map.of("hash", AttributeValue.fromS(hash))).consistentRead(true)).item();
        assertThat(claim.get("eventId").s()).isEqualTo(id);
        assertThat(claim.get("expiresAt").n()).isEqualTo(Long.toString(expected));
    }

    @Test
    void aRetriedInsertThatHadSucceededIsNotADuplicate() {
        Instant now = Instant.parse("2026-03-01T00:00:00Z");
        DynamoDbEventStore store = storeAt(now);
        Event event = event("retried-" + UUID.randomUUID(), now, null);
        store.insert(event);
        // The same call again, as an SDK retry of a write that succeeded would make it: our own claim, no 409.
        store.insert(event);
        assertThat(store.find(event.id())).contains(event);
    }

    @Test
    void updateOfAnUnknownEventChangesNothing() {
        assertThat(storeAt(Instant.now()).update(EventIds.newId(0), e -> e)).isEmpty();
    }
}
