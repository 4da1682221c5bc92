package herald.events;

/**
 * The port through which {@link EventService} announces what is never stored, so that it reaches subscribers
 * whoever caused it (an HTTP call, a script's {@code platform.dispatch}, a trigger, a resource event): a
 * fire-and-forget event ({@code store=false}). Stored events and their updates (a progress report included, which
 * the update's version carries) are announced by the events table's stream instead, one message per write, so that a
 * write and its broadcast cannot disagree. Realtime implements it.
 *
 * <p>Implementations are best effort and must be thread-safe; {@link EventService} never lets a failed
 * announcement fail the operation that was already carried out.
 */
public interface EventAnnouncer {

    /** For functions whose template gives them no realtime tables: nothing is announced. */
    EventAnnouncer NONE = new EventAnnouncer() {
        @Override
        public void dispatched(Event event) {
        }
    };

    /** A fire-and-forget event was dispatched; it exists nowhere else. */
    void dispatched(Event event);
}
