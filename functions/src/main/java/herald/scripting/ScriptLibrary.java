package herald.scripting;

import herald.kernel.RejectedException;
import herald.kernel.UpstreamFailureException;
import java.util.List;
import java.util.Optional;

/**
 * Where a call finds the scripts bound to it: the store, the source they link to, compiled in the sandbox, behind
 * the container's {@link ScriptCache}. {@link #begin()} reads the cache stamp (the one DynamoDB read a call pays)
 * and drops what was cleared; the lookup it returns serves the call from memory, loading only what is not cached.
 *
 * <p>A script that cannot be loaded (its file is missing, S3 or GitHub fails, it does not parse) fails the call
 * with a clear error and is not cached, so the next call tries again; a script whose {@code config.on_load_failure}
 * is {@code "skip"} is skipped instead, as DreamFactory does for every script.
 *
 * <p>Thread-safe.
 */
public final class ScriptLibrary {

    private final ScriptStore store;
    private final CacheStamps stamps;
    private final ScriptSources sources;
    private final ScriptSandbox sandbox;
    private final ScriptCache cache = new ScriptCache();

    public ScriptLibrary(ScriptStore store, CacheStamps stamps, ScriptSources sources, ScriptSandbox sandbox) {
        this.store = store;
        this.stamps = stamps;
        this.sources = sources;
        this.sandbox = sandbox;
    }

    public ScriptStore store() {
        return store;
    }

    public CacheStamps stamps() {
        return stamps;
    }

    public ScriptSources sources() {
        return sources;
    }

    public ScriptSandbox sandboxForRunner() {
        return sandbox;
    }

    /** Reads the cache stamp once for this call. */
    public Lookup begin() {
        return begin(stamps.current());
    }

    /** Begins a call with the stamp it has read already (an HTTP call reads it first, for its key check). */
    public Lookup begin(CacheStamps.Stamp stamp) {
        cache.apply(stamp);
        return new Lookup(stamp.generation());
    }

    /** The cache keys a clear may name for a script. */
    static List<String> clearKeys(ScriptKind kind, String name) {
        return kind == ScriptKind.EVENT_SCRIPT
                ? List.of(kind.cacheKey(name), "events-of:" + EventNames.serviceOf(name))
                : List.of(kind.cacheKey(name));
    }

    /** The scripts of one call, from the cache as it stood when the call began. */
    public final class Lookup {

        private final long generation;

        private Lookup(long generation) {
            this.generation = generation;
        }

        public Optional<LoadedScript> eventScript(String eventName) {
            return script(ScriptKind.EVENT_SCRIPT, eventName);
        }

        public Optional<LoadedScript> service(String name) {
            return script(ScriptKind.SERVICE, name);
        }

        private Optional<LoadedScript> script(ScriptKind kind, String name) {
            try {
                return cache.get(kind.cacheKey(name), clearKeys(kind, name), generation, () -> load(kind, name));
            } catch (SkippedScript skipped) {
                return Optional.empty();
            }
        }
    }

    private Optional<LoadedScript> load(ScriptKind kind, String name) {
        Optional<ScriptRecord> found = store.get(kind, name).filter(ScriptRecord::active);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ScriptRecord record = found.get();
        boolean skip = "skip".equals(record.config().path("on_load_failure").asText());
        String source;
        try {
            source = sources.load(record);
        } catch (ScriptLoadException e) {
            if (skip) {
                throw new SkippedScript();
            }
            throw new UpstreamFailureException("Script '" + name + "' could not be loaded, so the call was not carried out: "
                    + e.getMessage() + ". Fix the source, then clear the cache (DELETE /api/v2/system/cache/_event/"
                    + name + "); or set config.on_load_failure to \"skip\" to run calls without it");
        }
        if (source == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new LoadedScript(record, sandbox.compile(name, source)));
        } catch (ScriptSyntaxException e) {
            if (skip) {
                throw new SkippedScript();
            }
            throw new RejectedException(500, e.failure().detail());
        }
    }

    /** A script that failed to load and asked to be skipped: not cached, so the next call tries again. */
    private static final class SkippedScript extends RuntimeException {
        SkippedScript() {
            super(null, null, false, false);
        }
    }
}
