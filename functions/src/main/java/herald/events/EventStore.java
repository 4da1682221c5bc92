package herald.events;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Where events live. Every implementation keeps the contract's invariants: at most one live event per
 * {@code hash}, and no write that half happens.
 */
public interface EventStore {

    /**
     * Stores a new event and claims its hash, atomically.
     *
     * @throws herald.kernel.ConflictException when another live event holds the hash, or {@code dependsOn}
     *     names an event that does not exist
     */
    void insert(Event event);

    /**
     * Stores {@code fresh} in place of the live event that holds its hash (Ayon's {@code reuse}): the old event
     * goes, the new one takes its hash and keeps its {@code createdAt} and {@code retries}. With no such event
     * this is an {@link #insert}. Returns what was stored.
     *
     * Only an event {@code mayReplace} accepts is replaced; any other holder of the hash is a
     * {@link DuplicateHashException}, exactly as if {@code reuse} had not been asked.
     *
     * @throws herald.kernel.ConflictException when another event depends on the one to replace
     */
    Event replaceByHash(Event fresh, Predicate<Event> mayReplace);

    /** The topics that events have been stored under and that match any of these patterns ({@code *} wildcards). */
    Set<String> topicsMatching(Collection<String> patterns);

    /** The live event with this id; expired events are gone even before retention deletes them. */
    Optional<Event> find(String id);

    /**
     * Applies {@code change} to the live event with this id and stores the result, retrying on concurrent
     * updates so that none is lost. Returns the stored event, or empty when there is no such event.
     */
    Optional<Event> update(String id, UnaryOperator<Event> change);

    /**
     * Deletes the event and releases its hash. Deleting an unknown id does nothing.
     *
     * @throws herald.kernel.ConflictException when other events depend on it
     */
    void delete(String id);
}
