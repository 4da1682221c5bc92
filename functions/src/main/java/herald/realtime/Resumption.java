package herald.realtime;

import herald.auth.Principal;
import herald.events.Event;
import herald.events.EventItems;
import herald.kernel.InvalidRequestException;
import herald.kernel.Metrics;
import herald.kernel.Timestamps;
import herald.query.Cursors;
import herald.query.EventQuery;
import herald.query.QueryStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A WebSocket connection that resumes: its auth message carried {@code since} (a cursor from an event message, or an
 * ISO time), and before it receives live events it receives, in creation order, every stored event created after
 * that point that its subscriptions, its project and its key admit, in replay frames
 * ({@link EventMessages#replayFrames}: one post carries many events, where each post is a round trip to API Gateway).
 *
 * <p>The seam is exact because one side owns each event. The connection's subscriptions are written
 * <em>holding</em> before the replay reads anything: from then on the fan-out puts every stored event it would
 * have sent into the connection's buffer instead ({@link ConnectionRegistry#hold}). The replay reads the index
 * from {@code since} up to the subscription (what came after is in the buffer: reading it from the index too would
 * see it in one partition and not yet in another, out of order) and sends what it finds at once, in creation
 * order. Then, {@link #SETTLE} after the
 * subscription, it reads the index's last {@link #CATCH_UP} again for writes made before the subscription that
 * the index did not show yet (it is eventually consistent, and propagates within a fraction of a second), takes
 * the buffer, and sends the union of both in creation order, once per event id; it takes the buffer again until
 * it is empty and releases the connection in one conditional write that fails if anything was added meanwhile
 * ({@link ConnectionRegistry#release}). After that the fan-out sends directly, except a created event at or before
 * the seam (the newest position the replay sent) that the replay sent: every one at or below the floor (no write
 * lasts longer than a Lambda invocation's 15 minutes, so such an event was written before the subscription and was
 * in the index), and those between floor and seam whose ids the release recorded. An event the index showed late
 * is the one case in which a replayed event comes after a newer one: never missed, never twice.
 *
 * <p>Bounded: a {@code since} older than {@code maxAge}, more than {@code maxEvents} events to send, a read of more
 * than {@link QueryStore#MAX_ITEMS_READ} items or a buffer that overflowed send {@code {"topic": "resync",
 * "cursor"}} instead of more events (the cursor is the oldest point a resume could start from now), and the
 * connection goes on live from there. Frames go out while the replay reads, so with a bound above {@link #PAGE}
 * the first frames of a resume may come before its resync.
 *
 * <p>Thread-safe.
 */
public final class Resumption {

    /**
     * How long after the subscription the replay reads the index again, for what it did not show yet: an index
     * propagates within a fraction of a second of a write.
     */
    static final Duration SETTLE = Duration.ofSeconds(1);
    /** How far back that second read goes: writes made this long before the subscription may not have shown yet. */
    static final Duration CATCH_UP = Duration.ofSeconds(5);
    /** Longer than any write: a Lambda invocation ends within 15 minutes, and clocks agree within a minute. */
    static final Duration WRITE_BOUND = Duration.ofMinutes(16);
    private static final String LOWEST_ID = "0".repeat(32);
    /** Events per frame handed to the sender, so the first frame goes out while the rest is read. */
    static final int PAGE = 250;
    private static final java.util.concurrent.ExecutorService FRAMES = java.util.concurrent.Executors.newCachedThreadPool(
            runnable -> {
                Thread thread = new Thread(runnable, "herald-replay-frames");
                thread.setDaemon(true);
                return thread;
            });

    private final ConnectionRegistry registry;
    private final Broadcaster broadcaster;
    private final QueryStore queries;
    private final int maxEvents;
    private final Duration maxAge;
    private final Metrics metrics;
    private final Clock clock;

    public Resumption(ConnectionRegistry registry, Broadcaster broadcaster, QueryStore queries, int maxEvents,
            Duration maxAge, Metrics metrics, Clock clock) {
        this.registry = registry;
        this.broadcaster = broadcaster;
        this.queries = queries;
        this.maxEvents = maxEvents;
        this.maxAge = maxAge;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * The position after which a resume starts: a cursor an event message or a listing gave out, or an ISO-8601
     * time (every event created at or after it). A 400 names both forms for anything else.
     */
    public static String since(String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException("since is empty: pass the cursor of the last event message received, "
                    + "or an ISO-8601 time such as 2026-11-22T10:00:00+00:00");
        }
        try {
            return Cursors.decode("since", value);
        } catch (InvalidRequestException notACursor) {
            try {
                return position(EventQuery.time("since", value));
            } catch (InvalidRequestException notATime) {
                throw new InvalidRequestException("since must be the cursor of an event message, unchanged, or an "
                        + "ISO-8601 time with an offset such as 2026-11-22T10:00:00+00:00, not '"
                        + (value.length() > 64 ? value.substring(0, 64) + "..." : value) + "'");
            }
        }
    }

    /**
     * Sends a holding connection (its subscriptions were just written with {@code holding}) what it missed after
     * {@code since}, then lets live delivery go on; see the class comment for the seam.
     */
    public void resume(String connectionId, Principal principal, Subscriptions subscriptions, String project,
            String since) {
        Instant registered = clock.instant();
        String oldest = position(registered.minus(maxAge));
        if (since.compareTo(oldest) < 0) {
            resync(connectionId, oldest);
            return;
        }
        Predicate<Event> admitted = event -> subscriptions.matches(event.topic()) && principal.mayRead(event.project())
                && (project == null || event.project() == null || project.equals(event.project()));
        List<String> patterns = patterns(subscriptions);
        AtomicLong read = new AtomicLong();
        // up to the subscription only: the partitions are read one after another, so what was written after it may
        // show in one and not yet in another; that is the buffer's and the second read's, which keep the order.
        // Each frame is posted (in order, on a thread of its own) while the merge goes on; the pages are sized for
        // the bound, so that a partition is read in as few requests as it takes.
        Iterator<Event> stored = queries.between(patterns, since, position(registered), false,
                Math.min(maxEvents + 1, 1000), read);
        Map<String, String> sent = new LinkedHashMap<>(); // id -> position of each created event sent
        FrameSender frames = new FrameSender(connectionId);
        while (stored.hasNext()) {
            Event event = stored.next();
            if (admitted.test(event) && !sent.containsKey(event.id())) {
                if (sent.size() == maxEvents) {
                    if (frames.abandon()) {
                        resync(connectionId, oldestOfNewest(patterns, admitted));
                    }
                    return;
                }
                sent.put(event.id(), EventItems.createdKey(event));
                frames.add(event);
            }
            if (read.get() >= QueryStore.MAX_ITEMS_READ) {
                if (frames.abandon()) {
                    resync(connectionId, oldestOfNewest(patterns, admitted));
                }
                return;
            }
        }
        if (!frames.finish()) {
            return; // the connection is gone
        }
        // what the index did not show yet: written before the subscription, not yet propagated to the index (what
        // was written after the subscription is the buffer's, as above)
        sleepUntil(registered.plus(SETTLE));
        List<Event> created = new ArrayList<>();
        String recent = max(since, position(registered.minus(CATCH_UP)));
        AtomicLong lateRead = new AtomicLong();
        Iterator<Event> late = queries.between(patterns, recent, position(registered), false, PAGE, lateRead);
        while (late.hasNext()) {
            Event event = late.next();
            if (admitted.test(event) && !sent.containsKey(event.id())) {
                created.add(event);
            }
            if (lateRead.get() >= QueryStore.MAX_ITEMS_READ) {
                resync(connectionId, oldestOfNewest(patterns, admitted));
                return;
            }
        }
        while (true) {
            ConnectionRegistry.Buffer buffer = registry.drain(connectionId);
            if (buffer == null) {
                return; // closed, or replaced by a newer auth message
            }
            if (buffer.overflowed()) {
                resync(connectionId, oldestOfNewest(patterns, admitted));
                return;
            }
            if (created.isEmpty() && buffer.held().isEmpty()) {
                if (release(connectionId, registered, sent)) {
                    return;
                }
                continue; // the fan-out held more meanwhile
            }
            List<Event> updated = new ArrayList<>();
            Map<String, Event> fetched = new LinkedHashMap<>();
            fetch(buffer.held()).forEach(event -> fetched.put(event.id(), event));
            for (ConnectionRegistry.Held held : buffer.held()) {
                Event event = fetched.get(held.id());
                if (event == null || held.created() && sent.containsKey(held.id())) {
                    continue; // deleted since, or its creation sent already
                }
                (held.created() ? created : updated).add(event);
            }
            if (!send(connectionId, created, updated, sent)) {
                return; // the connection is gone
            }
            created = new ArrayList<>();
        }
    }

    /**
     * Sends created events in creation order, each once ({@code sent} records them), then the updates of events
     * not among them; false when the connection is gone.
     */
    private boolean send(String connectionId, List<Event> created, List<Event> updated, Map<String, String> sent) {
        List<Event> ordered = new ArrayList<>(created);
        ordered.sort(Comparator.comparing(EventItems::createdKey));
        List<String> messages = new ArrayList<>();
        Set<String> dispatched = new HashSet<>();
        for (Event event : ordered) {
            if (sent.putIfAbsent(event.id(), EventItems.createdKey(event)) == null) {
                messages.add(EventMessages.dispatched(event, true));
                dispatched.add(event.id());
            }
        }
        Set<String> announced = new HashSet<>();
        for (Event event : updated) {
            if (!dispatched.contains(event.id()) && announced.add(event.id())) {
                messages.add(EventMessages.updated(event, event.progress()));
            }
        }
        return broadcaster.sendInOrder(connectionId, EventMessages.replayFrames(messages));
    }

    /**
     * Renders and posts a replay's events in frames, one frame after another on a thread of its own, while the
     * replay goes on reading.
     */
    private final class FrameSender {
        private final String connectionId;
        private List<Event> waiting = new ArrayList<>();
        private java.util.concurrent.CompletableFuture<Boolean> posted =
                java.util.concurrent.CompletableFuture.completedFuture(true);

        FrameSender(String connectionId) {
            this.connectionId = connectionId;
        }

        void add(Event event) {
            waiting.add(event);
            if (waiting.size() == PAGE) {
                flush();
            }
        }

        private void flush() {
            if (waiting.isEmpty()) {
                return;
            }
            List<Event> events = waiting;
            waiting = new ArrayList<>();
            posted = posted.thenApplyAsync(ok -> {
                if (!ok) {
                    return false;
                }
                List<String> messages = new ArrayList<>();
                events.forEach(event -> messages.add(EventMessages.dispatched(event, true)));
                return broadcaster.sendInOrder(connectionId, EventMessages.replayFrames(messages));
            }, FRAMES);
        }

        /** Posts what waits, and whether every frame was delivered. */
        boolean finish() {
            flush();
            return posted.join();
        }

        /**
         * Posts nothing more (the replay turned into a resync): waits for the frames already on their way, and
         * whether they were delivered.
         */
        boolean abandon() {
            waiting.clear();
            return posted.join();
        }
    }

    /**
     * Releases the connection to live delivery with the seam of what was sent; false when the fan-out held more
     * meanwhile.
     */
    private boolean release(String connectionId, Instant registered, Map<String, String> sent) {
        String seam = sent.values().stream().max(Comparator.naturalOrder()).orElse(null);
        String floor = position(registered.minus(WRITE_BOUND));
        Set<String> recent = new HashSet<>();
        sent.forEach((id, position) -> {
            if (position.compareTo(floor) > 0) {
                recent.add(id);
            }
        });
        if (!registry.release(connectionId, seam, floor, recent)) {
            return false;
        }
        metrics.count("ResumedEvents", sent.size());
        return true;
    }

    /**
     * Tells the connection to reload from the listing (it may resume from {@code cursor} later), sends it what the
     * fan-out held for it meanwhile, and releases it to live delivery.
     */
    private void resync(String connectionId, String cursorPosition) {
        metrics.count("ResumeResyncs", 1);
        List<String> messages = new ArrayList<>(List.of(EventMessages.resync(Cursors.encode(cursorPosition))));
        while (true) {
            if (!broadcaster.sendInOrder(connectionId, messages)) {
                return;
            }
            ConnectionRegistry.Buffer buffer = registry.drain(connectionId);
            if (buffer == null) {
                return;
            }
            if (buffer.held().isEmpty() && registry.release(connectionId, null, null, Set.of())) {
                return;
            }
            List<String> held = new ArrayList<>();
            Map<String, Event> fetched = new LinkedHashMap<>();
            fetch(buffer.held()).forEach(event -> fetched.put(event.id(), event));
            for (ConnectionRegistry.Held entry : buffer.held()) {
                Event event = fetched.get(entry.id());
                if (event != null) {
                    held.add(entry.created() ? EventMessages.dispatched(event, true)
                            : EventMessages.updated(event, event.progress()));
                }
            }
            messages = EventMessages.replayFrames(held);
        }
    }

    /**
     * The oldest point a resume could start from now: just before the oldest of the newest {@code maxEvents} events
     * the connection admits (or as far back as one request may read, or the age bound).
     */
    private String oldestOfNewest(List<String> patterns, Predicate<Event> admitted) {
        String ageBound = position(clock.instant().minus(maxAge));
        AtomicLong read = new AtomicLong();
        Iterator<Event> newest = queries.between(patterns, ageBound, null, true, Math.min(maxEvents + 1, 1000), read);
        int admittedCount = 0;
        String oldest = ageBound;
        while (newest.hasNext() && read.get() < QueryStore.MAX_ITEMS_READ) {
            Event event = newest.next();
            if (admitted.test(event) && ++admittedCount > maxEvents) {
                return EventItems.createdKey(event);
            }
            oldest = EventItems.createdKey(event);
        }
        return newest.hasNext() ? oldest : ageBound;
    }

    private List<Event> fetch(List<ConnectionRegistry.Held> held) {
        List<String> ids = held.stream().map(ConnectionRegistry.Held::id).distinct().toList();
        List<Event> events = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += 100) {
            events.addAll(queries.byIds(ids.subList(from, Math.min(ids.size(), from + 100))));
        }
        return events;
    }

    /**
     * The topic patterns of the listing that holds what the subscriptions admit: a prefix names its topics with a
     * trailing {@code *}; a subscription that begins with {@code *} needs every topic (null: the time index).
     */
    static List<String> patterns(Subscriptions subscriptions) {
        List<String> patterns = new ArrayList<>();
        for (String entry : subscriptions.entries()) {
            if (entry.startsWith("*")) {
                return null;
            }
            patterns.add(entry.indexOf('*') >= 0 ? entry : entry + "*");
        }
        return patterns;
    }

    /** The position just before every event created at {@code instant}. */
    static String position(Instant instant) {
        return Timestamps.format(instant) + "#" + LOWEST_ID;
    }

    private void sleepUntil(Instant instant) {
        long wait = instant.toEpochMilli() - clock.millis();
        if (wait > 0) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String max(String a, String b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
