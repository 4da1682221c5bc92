package herald.events;

import herald.kernel.ConflictException;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * An {@link EventStore} in memory, with the contract's invariants (one live event per hash, dependencies that exist,
 * no deletion under dependants, expiry), so that {@link EventService}'s rules are unit-tested without AWS. The
 * DynamoDB store's integration tests hold the real one to the same behaviour.
 *
 * <p>Thread-safe: every operation holds the store's lock.
 */
final class InMemoryEventStore implements EventStore {

    private final Map<String, Event> events = new HashMap<>();
    private final Map<String, String> claims = new HashMap<>();
    private final Set<String> topics = new TreeSet<>();
    private final Clock clock;

    InMemoryEventStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void insert(Event event) {
        String holder = claims.get(event.hash());
        if (holder != null && find(holder).isPresent()) {
            throw new DuplicateHashException(event.hash());
        }
        if (event.dependsOn() != null && find(event.dependsOn()).isEmpty()) {
            throw new MissingDependencyException(event.dependsOn());
        }
        topics.add(event.topic());
        events.put(event.id(), event);
        claims.put(event.hash(), event.id());
    }

    @Override
    public synchronized Event replaceByHash(Event fresh, Predicate<Event> mayReplace) {
        Optional<Event> old = Optional.ofNullable(claims.get(fresh.hash())).flatMap(this::find);
        if (old.isEmpty()) {
            insert(fresh);
            return fresh;
        }
        if (!mayReplace.test(old.get())) {
            throw new DuplicateHashException(fresh.hash());
        }
        if (hasDependants(old.get().id())) {
            throw new ConflictException("Unable to reuse the event " + old.get().id() + ": another event depends on it");
        }
        Event replacement = fresh.reusing(old.get());
        events.remove(old.get().id());
        claims.remove(fresh.hash());
        insert(replacement);
        return replacement;
    }

    @Override
    public synchronized Set<String> topicsMatching(Collection<String> patterns) {
        Set<String> matching = new TreeSet<>();
        for (String pattern : patterns) {
            Pattern regex = Pattern.compile(Pattern.quote(pattern).replace("*", "\\E.*\\Q"));
            topics.stream().filter(t -> regex.matcher(t).matches()).forEach(matching::add);
        }
        return matching;
    }

    @Override
    public synchronized Optional<Event> find(String id) {
        return Optional.ofNullable(events.get(id)).filter(e -> !e.isExpired(clock.instant()));
    }

    @Override
    public synchronized Optional<Event> update(String id, UnaryOperator<Event> change) {
        Optional<Event> current = find(id);
        if (current.isEmpty()) {
            return Optional.empty();
        }
        Event updated = change.apply(current.get());
        events.put(id, updated);
        return Optional.of(updated);
    }

    @Override
    public synchronized void delete(String id) {
        Event doomed = events.get(id);
        if (doomed == null) {
            return;
        }
        if (hasDependants(id)) {
            throw new ConflictException("Event " + id + " cannot be deleted: other events depend on it");
        }
        events.remove(id);
        claims.remove(doomed.hash(), id);
    }

    private boolean hasDependants(String id) {
        return events.values().stream().anyMatch(e -> id.equals(e.dependsOn()));
    }
}
