package herald.realtime;

import herald.events.Event;
import herald.events.EventAnnouncer;
import java.util.Set;

/**
 * Realtime's side of {@link EventAnnouncer}: a fire-and-forget event goes out as a dispatch message to every
 * connection subscribed to the event's topic (and allowed its project), exactly as the stream's fan-out sends stored
 * events.
 *
 * <p>Thread-safe.
 */
public final class RealtimeAnnouncer implements EventAnnouncer {

    private final Broadcaster broadcaster;

    public RealtimeAnnouncer(Broadcaster broadcaster) {
        this.broadcaster = broadcaster;
    }

    @Override
    public void dispatched(Event event) {
        broadcaster.send(event.topic(), event.project(), EventMessages.dispatched(event, false), Set.of(), null);
    }
}
