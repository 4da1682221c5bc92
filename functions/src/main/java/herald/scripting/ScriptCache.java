package herald.scripting;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The container's cache of loaded scripts, DreamFactory's "cached forever": a script is fetched and compiled once
 * and kept until a clear names it; a name with no active script is cached too (as "none"), so a call with no script
 * bound reads nothing but the stamp. Each entry remembers the stamp generation it was loaded at;
 * {@link #apply(CacheStamps.Stamp)} drops the entries a clear has made stale.
 *
 * <p>Thread-safe: concurrent requests may load the same script twice, and the last load wins, which is harmless.
 */
public final class ScriptCache {

    private record Entry(Optional<LoadedScript> script, long loadedAt, List<String> keys) {
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private volatile long seenGeneration = -1;

    /** Drops what the stamp says was cleared since it was loaded. Cheap when nothing changed. */
    public void apply(CacheStamps.Stamp stamp) {
        if (stamp.generation() == seenGeneration) {
            return;
        }
        entries.values().removeIf(entry -> stamp.invalidates(entry.loadedAt(), entry.keys()));
        seenGeneration = stamp.generation();
    }

    /**
     * The cached script under {@code cacheKey}, or what {@code loader} returns, cached at {@code generation} under the
     * keys a clear may name. A loader that throws caches nothing, so the next call tries again.
     */
    public Optional<LoadedScript> get(String cacheKey, List<String> clearKeys, long generation,
            Supplier<Optional<LoadedScript>> loader) {
        Entry entry = entries.get(cacheKey);
        if (entry != null) {
            return entry.script();
        }
        Optional<LoadedScript> loaded = loader.get();
        entries.put(cacheKey, new Entry(loaded, generation, clearKeys));
        return loaded;
    }

    public int size() {
        return entries.size();
    }
}
