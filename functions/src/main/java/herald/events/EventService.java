package herald.events;

import herald.auth.Permissions;

import herald.http.NotFoundException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Dispatch, read, update and delete of events, with the Ayon contract's rules for defaults, senders and users.
 * Persistence is the {@link EventStore}'s; this class decides what to store.
 *
 * <p>Thread-safe when its store is.
 */
public final class EventService {

    private final EventStore store;
    private final RetentionPolicy retention;
    private final Clock clock;

    public EventService(EventStore store, RetentionPolicy retention, Clock clock) {
        this.store = store;
        this.retention = retention;
        this.clock = clock;
    }

    /**
     * Dispatches an event and returns it. With {@code store=false} nothing is written (the caller broadcasts it);
     * with {@code reuse=true} the event holding the same hash is replaced, and the replacement returned.
     */
    public Event dispatch(DispatchRequest request, Caller caller) {
        Instant now = Timestamps.truncate(clock.instant());
        String id = EventIds.newId(now.toEpochMilli());
        Event event = new Event(
                id,
                request.hash() == null ? id : request.hash(),
                request.topic(),
                request.sender() != null ? request.sender() : caller.senderHeader(),
                caller.senderType(),
                request.project(),
                caller.userName(),
                request.dependsOn(),
                request.finished() ? EventStatus.FINISHED : EventStatus.PENDING,
                0,
                request.description() == null ? "" : request.description(),
                request.summary(),
                request.payload(),
                now,
                now,
                retention.expiresAt(request.topic(), now));
        if (!request.store()) {
            return event;
        }
        if (request.reuse()) {
            return store.replaceByHash(event);
        }
        store.insert(event);
        return event;
    }

    /** The service over the events tables and retention rules a function's environment names. */
    public static EventService fromEnvironment(herald.runtime.Environment environment,
            software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamoDb) {
        return new EventService(DynamoDbEventStore.fromEnvironment(environment, dynamoDb),
                RetentionPolicy.fromEnvironment(environment), Clock.systemUTC());
    }

    public Event get(String id) {
        return store.find(id).orElseThrow(EventService::notFound);
    }

    public java.util.Optional<Event> find(String id) {
        return store.find(id);
    }

    /**
     * Applies a PATCH as Ayon does: given fields replace stored ones, {@code sender} falls back to the
     * {@code X-Sender} header, {@code senderType} is always the caller's, and {@code updatedAt} moves on.
     * Returns the stored event.
     */
    public Event update(String id, EventUpdate update, Caller caller) {
        return store.update(id, old -> {
            // Checked against the version being replaced, so a refusal writes nothing.
            Permissions.requireProject(caller.principal(), old.project(), "update events");
            if (update.project() != null) {
                Permissions.requireProject(caller.principal(), update.project(), "move events");
            }
            Permissions.requireMayUpdate(caller.principal(), old.user(), old.topic(), old.dependsOn() != null,
                    update.status() != null && update.status() != old.status(), update.user());
            // Strictly later than the version read, so that the store's optimistic lock sees every change.
            Instant now = Timestamps.truncate(clock.instant());
            Instant updatedAt = now.isAfter(old.updatedAt()) ? now : old.updatedAt().plus(1, ChronoUnit.MICROS);
            return new Event(
                    old.id(),
                    old.hash(),
                    old.topic(),
                    firstNonNull(update.sender(), caller.senderHeader(), old.sender()),
                    caller.senderType(),
                    firstNonNull(update.project(), old.project()),
                    firstNonNull(update.user(), old.user(), caller.userName()),
                    old.dependsOn(),
                    firstNonNull(update.status(), old.status()),
                    firstNonNull(update.retries(), old.retries()),
                    firstNonNull(update.description(), old.description()),
                    firstNonNull(update.summary(), old.summary()),
                    firstNonNull(update.payload(), old.payload()),
                    old.createdAt(),
                    updatedAt,
                    retention.expiresAt(old.topic(), updatedAt));
        }).orElseThrow(EventService::notFound);
    }

    public void delete(String id) {
        store.delete(id);
    }

    private static NotFoundException notFound() {
        return new NotFoundException("Event not found");
    }

    @SafeVarargs
    private static <T> T firstNonNull(T... values) {
        for (T value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
