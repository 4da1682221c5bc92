package herald.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.event.ruler.Machine;

/**
 * The active triggers of this container, compiled into one event-ruler {@link Machine}, and reloaded when the
 * triggers' generation moves on (one consistent GetItem per batch tells). Matching costs what event-ruler's
 * matching costs: roughly the number of fields of the event, whatever the number of triggers.
 *
 * <p>Thread-safe.
 */
public final class TriggerMatcher {

    private static final Logger LOG = LoggerFactory.getLogger(TriggerMatcher.class);

    private record Compiled(long generation, Machine machine, Map<String, Trigger> triggers, boolean transitions) {
    }

    private final TriggerStore store;
    private volatile Compiled compiled = new Compiled(-1, new Machine(), Map.of(), false);

    public TriggerMatcher(TriggerStore store) {
        this.store = store;
    }

    /** Reloads the triggers if they changed since the last load. */
    public void refresh() {
        long generation = store.generation();
        if (generation != compiled.generation()) {
            compiled = compile(generation, store.list());
        }
    }

    /** Whether an active trigger reads an event's transition ({@code old}, {@code new}, {@code changed}). */
    public boolean needsTransitions() {
        return compiled.transitions();
    }

    /** The active triggers whose filter matches the event (as its JSON tree, {@link TriggerActions#matchable}). */
    public List<Trigger> matching(JsonNode event) {
        Compiled current = compiled;
        List<Trigger> matched = new ArrayList<>();
        try {
            for (String name : current.machine().rulesForJSONEvent(event)) {
                Trigger trigger = current.triggers().get(name);
                if (trigger != null) {
                    matched.add(trigger);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("event-ruler could not read an event", e);
        }
        matched.sort(java.util.Comparator.comparing(Trigger::name));
        return matched;
    }

    /** A matcher over a fixed list of triggers (the benchmark's). */
    public static TriggerMatcher of(List<Trigger> triggers) {
        TriggerMatcher matcher = new TriggerMatcher(null);
        matcher.compiled = compile(0, triggers);
        return matcher;
    }

    private static Compiled compile(long generation, List<Trigger> triggers) {
        Machine machine = new Machine();
        Map<String, Trigger> byName = new HashMap<>();
        boolean transitions = false;
        for (Trigger trigger : triggers) {
            if (!trigger.active() || trigger.deletedAt() != null) {
                continue;
            }
            try {
                machine.addRule(trigger.name(), trigger.pattern());
                byName.put(trigger.name(), trigger);
                transitions |= TriggerFilter.readsTransition(trigger.filter());
            } catch (Exception e) {
                LOG.warn("Trigger {} has a pattern event-ruler refuses and is skipped: {}", trigger.name(), e.getMessage());
            }
        }
        return new Compiled(generation, machine, Map.copyOf(byName), transitions);
    }
}
