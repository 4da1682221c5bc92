package herald.events;

import herald.auth.Permissions;
import herald.kernel.Metrics;
import herald.kernel.NotFoundException;
import herald.kernel.Timestamps;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatch, read, update and delete of events, with the Ayon contract's rules for defaults, senders and users, and
 * the one place where each of these operations is authorised for its caller. It owns the whole dispatch,
 * announcement included: a fire-and-forget event goes to the {@link EventAnnouncer} whoever asked for it, and an
 * update's progress is written with the update's version, for the stream's one message of it. Persistence is the {@link EventStore}'s; this class decides what to store.
 *
 * <p>Thread-safe when its store and announcer are.
 */
public final class EventService {

    private static final Logger LOG = LoggerFactory.getLogger(EventService.class);

    private final Metrics metrics;
    private final EventStore store;
    private final RetentionPolicy retention;
    private final EventAnnouncer announcer;
    private final Clock clock;

    public EventService(EventStore store, RetentionPolicy retention, EventAnnouncer announcer, Metrics metrics,
            Clock clock) {
        this.store = store;
        this.metrics = metrics;
        this.retention = retention;
        this.announcer = announcer;
        this.clock = clock;
    }

    /**
     * Dispatches an event for a caller who asked for it (an HTTP call, a script's {@code platform.dispatch}) and
     * returns it: the caller needs the right to dispatch, and to the event's project. With {@code store=false}
     * nothing is written and the event is announced; with {@code reuse=true} the event holding the same hash is
     * replaced, and the replacement returned.
     */
    public Event dispatch(DispatchRequest request, Caller caller) {
        checkDispatch(request, caller);
        return record(request, caller);
    }

    /** Refuses, as {@link #dispatch} would, a dispatch the caller may not make; writes nothing (a dry run's check). */
    public void checkDispatch(DispatchRequest request, Caller caller) {
        Permissions.requireManager(caller.principal(), "dispatch events");
        if (request.project() != null) {
            Permissions.requireProject(caller.principal(), request.project(), "dispatch events");
        }
        if (request.dependsOn() != null && store.find(request.dependsOn())
                .filter(dependency -> caller.principal().mayRead(dependency.project())).isEmpty()) {
            // an event the caller may not read is, for the caller, an event that does not exist
            throw new MissingDependencyException(request.dependsOn());
        }
    }

    /**
     * Dispatches Herald's own record of something a caller caused but did not ask to dispatch (a script's log, a
     * resource event, a queued script's job): stored and announced exactly as {@link #dispatch} would, with the
     * caller as its user, but needing no right of the caller's.
     */
    public Event record(DispatchRequest request, Caller caller) {
        Instant now = Timestamps.truncate(clock.instant());
        String id = EventIds.newId(now.toEpochMilli());
        Event event = Event.builder()
                .id(id)
                .hash(request.hash() == null ? id : request.hash())
                .topic(request.topic())
                .sender(request.sender() != null ? request.sender() : caller.senderHeader())
                .senderType(caller.senderType())
                .project(request.project())
                .user(caller.userName())
                .dependsOn(request.dependsOn())
                .status(request.finished() ? EventStatus.FINISHED : EventStatus.PENDING)
                .description(request.description() == null ? "" : request.description())
                .summary(request.summary())
                .payload(request.payload())
                .createdAt(now)
                .updatedAt(now)
                .expiresAt(retention.expiresAt(request.topic(), now))
                .causedBy(caller.principal())
                .build();
        if (!request.store()) {
            announce(event, () -> announcer.dispatched(event));
            metrics.count("FireAndForgetEvents");
            return event;
        }
        Event stored = event;
        if (request.reuse()) {
            stored = store.replaceByHash(event, holder -> caller.principal().mayRead(holder.project()));
        } else {
            store.insert(event);
        }
        metrics.count("EventsDispatched");
        return stored;
    }

    /** The event, for a caller who may read it: 404 when there is none, 403 when it is in another's project. */
    public Event get(String id, Caller caller) {
        Event found = store.find(id).orElseThrow(EventService::notFound);
        Permissions.requireProject(caller.principal(), found.project(), "read events");
        return found;
    }

    /** The event, when the caller may read it: empty when there is none, or it is in a project the caller cannot read. */
    public java.util.Optional<Event> findReadable(String id, Caller caller) {
        return store.find(id).filter(event -> caller.principal().mayRead(event.project()));
    }

    /** The event, for Herald's own use (a queued script's job, an enroll pass): no caller, no check. */
    public java.util.Optional<Event> find(String id) {
        return store.find(id);
    }

    /**
     * Applies a PATCH as Ayon does: given fields replace stored ones, {@code sender} falls back to the
     * {@code X-Sender} header, {@code senderType} is always the caller's, and {@code updatedAt} moves on.
     * Returns the stored event.
     */
    public Event update(String id, EventUpdate update, Caller caller) {
        return apply(id, update, caller, true);
    }

    /**
     * Records the outcome of a job Herald itself runs (a queued script's), as an update by {@code caller} that needs
     * no right of the caller's: the caller caused the job, Herald reports how it ended.
     */
    public Event recordOutcome(String id, EventStatus status, String description, Caller caller) {
        return apply(id, new EventUpdate(null, null, null, status, description, null, null, null, null), caller, false);
    }

    /** Refuses, as {@link #update} would, an update the caller may not make; writes nothing (a dry run's check). */
    public void checkUpdate(String id, EventUpdate update, Caller caller) {
        authorize(store.find(id).orElseThrow(EventService::notFound), update, caller);
    }

    private static void authorize(Event old, EventUpdate update, Caller caller) {
        Permissions.requireProject(caller.principal(), old.project(), "update events");
        if (update.project() != null) {
            Permissions.requireProject(caller.principal(), update.project(), "move events");
        }
        Permissions.requireMayUpdate(caller.principal(), old.user(), old.topic(), old.dependsOn() != null,
                update.status() != null && update.status() != old.status(), update.user());
    }

    private Event apply(String id, EventUpdate update, Caller caller, boolean authorize) {
        return store.update(id, old -> {
            if (authorize) {
                // Checked against the version being replaced, so a refusal writes nothing.
                authorize(old, update, caller);
            }
            // Strictly later than the version read, so that the store's optimistic lock sees every change.
            Instant now = Timestamps.truncate(clock.instant());
            Instant updatedAt = now.isAfter(old.updatedAt()) ? now : old.updatedAt().plus(1, ChronoUnit.MICROS);
            return old.toBuilder()
                    .sender(firstNonNull(update.sender(), caller.senderHeader(), old.sender()))
                    .senderType(caller.senderType())
                    .project(firstNonNull(update.project(), old.project()))
                    .user(firstNonNull(update.user(), old.user(), caller.userName()))
                    .status(firstNonNull(update.status(), old.status()))
                    .retries(firstNonNull(update.retries(), old.retries()))
                    .description(firstNonNull(update.description(), old.description()))
                    .summary(firstNonNull(update.summary(), old.summary()))
                    .payload(firstNonNull(update.payload(), old.payload()))
                    .updatedAt(updatedAt)
                    .expiresAt(retention.expiresAt(old.topic(), updatedAt))
                    // written with this version only, for the stream's one message of this update
                    .progress(update.progress())
                    .build();
        }).orElseThrow(EventService::notFound);
    }

    /**
     * Deletes the event for a caller with the right to delete, in its project; deleting an unknown id does
     * nothing, as in Ayon.
     */
    public void delete(String id, Caller caller) {
        Permissions.requireManager(caller.principal(), "delete events");
        store.find(id).ifPresent(doomed -> Permissions.requireProject(caller.principal(), doomed.project(),
                "delete events"));
        store.delete(id);
    }

    /** Best effort: a failed announcement does not fail what was already carried out. */
    private static void announce(Event event, Runnable announcement) {
        try {
            announcement.run();
        } catch (RuntimeException e) {
            LOG.warn("Announcing event {} failed", event.id(), e);
        }
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
