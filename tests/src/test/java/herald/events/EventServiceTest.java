package herald.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import herald.auth.Principal;
import herald.auth.Role;
import herald.kernel.ConflictException;
import herald.kernel.ForbiddenException;
import herald.kernel.Json;
import herald.kernel.JsonBody;
import herald.kernel.Metrics;
import herald.kernel.NotFoundException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link EventService}'s rules, on {@link InMemoryEventStore}: no AWS, so each rule is one fast test. */
class EventServiceTest {

    private final MovableClock clock = new MovableClock(Instant.parse("2026-06-01T10:00:00.123456789Z"));
    private final InMemoryEventStore store = new InMemoryEventStore(clock);
    private final RecordingAnnouncer announcer = new RecordingAnnouncer();
    private final List<String> metricLines = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Metrics metrics = new Metrics("EventsFunction", metricLines::add, clock);
    private final EventService events = new EventService(store, RetentionPolicy.parse(0, "log.*=1"), announcer,
            metrics, clock);

    private static final Caller SERVICE = new Caller(new Principal("ftrack", Role.SERVICE, null), null, "api");
    private static final Caller USER = new Caller(new Principal("alice", Role.USER, null), null, "api");
    private static final Caller ALPHA_ONLY = new Caller(new Principal("alpha-svc", Role.SERVICE, Set.of("alpha")), null,
            "api");

    private static DispatchRequest dispatch(String json) {
        return DispatchRequest.from(JsonBody.parse(json));
    }

    private static EventUpdate update(String json) {
        return EventUpdate.from(JsonBody.parse(json));
    }

    @Test
    void aDispatchTakesTheContractsDefaults() {
        Event event = events.dispatch(dispatch("{\"topic\":\"entity.task.created\"}"), SERVICE);
        assertThat(event.hash()).as("the hash defaults to the id").isEqualTo(event.id());
        assertThat(event.status()).as("finished defaults to true").isEqualTo(EventStatus.FINISHED);
        assertThat(event.description()).isEmpty();
        assertThat(event.user()).isEqualTo("ftrack");
        assertThat(event.senderType()).isEqualTo("api");
        assertThat(event.createdAt()).as("kept to the microsecond").isEqualTo(Instant.parse("2026-06-01T10:00:00.123456Z"));
        assertThat(event.updatedAt()).isEqualTo(event.createdAt());
        assertThat(event.expiresAt()).as("no retention for this topic").isNull();
        assertThat(store.find(event.id())).contains(event);
    }

    @Test
    void theSenderFallsBackToTheHeaderAndRetentionComesFromTheTopic() {
        Caller withHeader = new Caller(SERVICE.principal(), "leecher", "service");
        Event event = events.dispatch(dispatch("{\"topic\":\"log.info\",\"finished\":false}"), withHeader);
        assertThat(event.sender()).isEqualTo("leecher");
        assertThat(event.senderType()).isEqualTo("service");
        assertThat(event.status()).isEqualTo(EventStatus.PENDING);
        assertThat(event.expiresAt()).isEqualTo(clock.instant().getEpochSecond() + 86_400);
        Event named = events.dispatch(dispatch("{\"topic\":\"a.b.c\",\"sender\":\"given\"}"), withHeader);
        assertThat(named.sender()).as("the body's sender wins over the header").isEqualTo("given");
    }

    @Test
    void aFireAndForgetEventIsAnnouncedAndNeverStored() {
        Event event = events.dispatch(dispatch("{\"topic\":\"a.b.c\",\"store\":false}"), SERVICE);
        assertThat(store.find(event.id())).isEmpty();
        assertThat(announcer.dispatched).containsExactly(event);
        events.dispatch(dispatch("{\"topic\":\"a.b.c\"}"), SERVICE);
        assertThat(announcer.dispatched).as("stored events are announced by the stream, not here").hasSize(1);
    }

    @Test
    void heraldsOwnRecordsAreAnnouncedLikeAnyDispatchWhoeverCausedThem() {
        Event event = events.record(dispatch("{\"topic\":\"log.script\",\"store\":false}"), USER);
        assertThat(announcer.dispatched).containsExactly(event);
        assertThat(event.user()).isEqualTo("alice");
    }

    @Test
    void aSecondEventWithTheSameHashIsAConflictAndReuseReplacesIt() {
        Event first = events.dispatch(dispatch("{\"topic\":\"a.b.c\",\"hash\":\"h1\",\"finished\":false}"), SERVICE);
        events.update(first.id(), update("{\"retries\":2}"), SERVICE);
        assertThatThrownBy(() -> events.dispatch(dispatch("{\"topic\":\"a.b.c\",\"hash\":\"h1\"}"), SERVICE))
                .isInstanceOf(DuplicateHashException.class);
        clock.advance(Duration.ofSeconds(5));
        Event replacement = events.dispatch(dispatch("{\"topic\":\"a.b.d\",\"hash\":\"h1\",\"reuse\":true}"), SERVICE);
        assertThat(replacement.id()).isNotEqualTo(first.id());
        assertThat(replacement.topic()).isEqualTo("a.b.d");
        assertThat(replacement.createdAt()).as("reuse keeps createdAt").isEqualTo(first.createdAt());
        assertThat(replacement.retries()).as("reuse keeps retries").isEqualTo(2);
        assertThat(store.find(first.id())).isEmpty();
    }

    @Test
    void anUpdateReplacesWhatItGivesAndMovesUpdatedAtOnEvenWithinTheSameMicrosecond() {
        Event event = events.dispatch(dispatch("{\"topic\":\"a.b.c\",\"description\":\"before\"}"), SERVICE);
        Event first = events.update(event.id(), update("{\"description\":\"after\"}"), SERVICE);
        Event second = events.update(event.id(), update("{\"status\":\"failed\"}"), SERVICE);
        assertThat(first.description()).isEqualTo("after");
        assertThat(second.description()).as("fields not given stay").isEqualTo("after");
        assertThat(second.status()).isEqualTo(EventStatus.FAILED);
        assertThat(first.updatedAt()).isAfter(event.updatedAt());
        assertThat(second.updatedAt()).as("strictly later, the clock has not moved").isAfter(first.updatedAt());
        assertThat(second.createdAt()).isEqualTo(event.createdAt());
    }

    /** Progress goes out once, in the stream's message of the update that reported it: nothing announces it apart. */
    @Test
    void progressIsWrittenWithItsUpdateOnly() {
        Event event = events.dispatch(dispatch("{\"topic\":\"a.b.c\",\"finished\":false}"), SERVICE);
        Event updated = events.update(event.id(), update("{\"progress\":42,\"status\":\"in_progress\"}"), SERVICE);
        assertThat(updated.progress()).isEqualTo(42.0);
        Event next = events.update(event.id(), update("{\"status\":\"finished\"}"), SERVICE);
        assertThat(next.progress()).as("the next version reports no progress of its own").isNull();
        assertThat(announcer.dispatched).as("stored events are announced by the stream").isEmpty();
    }

    @Test
    void everyDispatchIsCountedAsAMetric() {
        events.dispatch(dispatch("{\"topic\":\"a.b.c\"}"), SERVICE);
        events.dispatch(dispatch("{\"topic\":\"a.b.c\",\"store\":false}"), SERVICE);
        assertThat(metricLines).hasSize(2);
        assertThat(Json.readStored(metricLines.get(0)).path("EventsDispatched").asLong()).isEqualTo(1);
        assertThat(Json.readStored(metricLines.get(1)).path("FireAndForgetEvents").asLong()).isEqualTo(1);
    }

    @Test
    void aFailedAnnouncementDoesNotFailTheDispatch() {
        EventService failing = new EventService(store, RetentionPolicy.keepForever(), new EventAnnouncer() {
            @Override
            public void dispatched(Event event) {
                throw new IllegalStateException("the WebSocket API is down");
            }
        }, Metrics.NONE, clock);
        assertThat(failing.dispatch(dispatch("{\"topic\":\"a.b.c\",\"store\":false}"), SERVICE).topic()).isEqualTo("a.b.c");
    }

    @Test
    void aUserKeyMayNotDispatchOrDeleteAndUpdatesOnlyItsOwnEvents() {
        assertThatThrownBy(() -> events.dispatch(dispatch("{\"topic\":\"a.b.c\"}"), USER))
                .isInstanceOf(ForbiddenException.class);
        Event theirs = events.dispatch(dispatch("{\"topic\":\"a.b.c\"}"), SERVICE);
        assertThatThrownBy(() -> events.update(theirs.id(), update("{\"description\":\"x\"}"), USER))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> events.delete(theirs.id(), USER)).isInstanceOf(ForbiddenException.class);
        assertThat(store.find(theirs.id())).as("a refusal writes nothing").contains(theirs);
    }

    @Test
    void aKeyLimitedToProjectsTouchesNothingOfAnother() {
        Event beta = events.dispatch(dispatch("{\"topic\":\"a.b.c\",\"project\":\"beta\"}"), SERVICE);
        assertThatThrownBy(() -> events.dispatch(dispatch("{\"topic\":\"a.b.c\",\"project\":\"beta\"}"), ALPHA_ONLY))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> events.get(beta.id(), ALPHA_ONLY)).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> events.update(beta.id(), update("{\"status\":\"failed\"}"), ALPHA_ONLY))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> events.delete(beta.id(), ALPHA_ONLY)).isInstanceOf(ForbiddenException.class);
        Event own = events.dispatch(dispatch("{\"topic\":\"a.b.c\",\"project\":\"alpha\"}"), ALPHA_ONLY);
        assertThatThrownBy(() -> events.update(own.id(), update("{\"project\":\"beta\"}"), ALPHA_ONLY))
                .as("nor move an event into it").isInstanceOf(ForbiddenException.class);
        assertThat(events.get(own.id(), ALPHA_ONLY)).isEqualTo(own);
    }

    @Test
    void reuseNeverReplacesAnEventOfAProjectTheCallerMayNotRead() {
        Event beta = events.dispatch(dispatch("{\"topic\":\"a.b.c\",\"project\":\"beta\",\"hash\":\"shared\"}"),
                SERVICE);
        assertThatThrownBy(() -> events.dispatch(dispatch("{\"topic\":\"a.b.c\",\"project\":\"alpha\","
                + "\"hash\":\"shared\",\"reuse\":true}"), ALPHA_ONLY)).isInstanceOf(DuplicateHashException.class)
                .hasMessageNotContaining(beta.id()).hasMessageNotContaining("beta");
        assertThat(store.find(beta.id())).contains(beta);
    }

    @Test
    void anEventTheCallerMayNotReadIsNoDependency() {
        Event beta = events.dispatch(dispatch("{\"topic\":\"a.b.c\",\"project\":\"beta\"}"), SERVICE);
        assertThatThrownBy(() -> events.dispatch(dispatch("{\"topic\":\"a.b.d\",\"project\":\"alpha\","
                + "\"dependsOn\":\"" + beta.id() + "\"}"), ALPHA_ONLY)).isInstanceOf(MissingDependencyException.class);
        events.delete(beta.id(), SERVICE);
        assertThat(store.find(beta.id())).isEmpty();
    }

    @Test
    void dependantsMustExistAndHoldTheirDependencyInPlace() {
        assertThatThrownBy(() -> events.dispatch(dispatch("{\"topic\":\"a.b.c\",\"dependsOn\":\""
                + "0".repeat(32) + "\"}"), SERVICE)).isInstanceOf(MissingDependencyException.class);
        Event parent = events.dispatch(dispatch("{\"topic\":\"a.b.c\",\"hash\":\"parent\"}"), SERVICE);
        events.dispatch(dispatch("{\"topic\":\"a.b.d\",\"dependsOn\":\"" + parent.id() + "\"}"), SERVICE);
        assertThatThrownBy(() -> events.delete(parent.id(), SERVICE)).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> events.dispatch(dispatch("{\"topic\":\"a.b.c\",\"hash\":\"parent\",\"reuse\":true}"),
                SERVICE)).as("nor can it be replaced").isInstanceOf(ConflictException.class);
        assertThat(store.find(parent.id())).isPresent();
    }

    @Test
    void aMissingEventIsA404AndDeletingItIsNothing() {
        assertThatThrownBy(() -> events.get("0".repeat(32), SERVICE)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> events.update("0".repeat(32), update("{\"status\":\"failed\"}"), SERVICE))
                .isInstanceOf(NotFoundException.class);
        events.delete("0".repeat(32), SERVICE);
    }

    @Test
    void anExpiredEventIsGoneAndItsHashFree() {
        Event log = events.dispatch(dispatch("{\"topic\":\"log.info\",\"hash\":\"once\"}"), SERVICE);
        clock.advance(Duration.ofDays(2));
        assertThatThrownBy(() -> events.get(log.id(), SERVICE)).isInstanceOf(NotFoundException.class);
        assertThat(events.dispatch(dispatch("{\"topic\":\"log.info\",\"hash\":\"once\"}"), SERVICE).id())
                .isNotEqualTo(log.id());
    }

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private static final class RecordingAnnouncer implements EventAnnouncer {
        final List<Event> dispatched = new ArrayList<>();

        @Override
        public void dispatched(Event event) {
            dispatched.add(event);
        }
    }
}
