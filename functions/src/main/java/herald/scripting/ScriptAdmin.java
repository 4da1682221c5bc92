package herald.scripting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.auth.Principal;
import herald.events.ResourceEvents;
import herald.kernel.InvalidRequestException;
import herald.kernel.JsonBody;
import herald.kernel.NotFoundException;
import herald.kernel.UpstreamFailureException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The admin resources {@code /api/v2/system/event_script} and {@code /api/v2/system/service}: create, read, replace,
 * patch and delete script records. Every change clears that script from the cache of every container, as
 * DreamFactory's model hooks do. A GET with {@code refresh} loads a linked script's current source, keeps it as the
 * record's {@code content} and clears the cache, so the next call runs it. Every change emits its resource event.
 *
 * <p>Thread-safe.
 */
public final class ScriptAdmin {

    private final ScriptStore store;
    private final CacheStamps stamps;
    private final ScriptSources sources;
    private final ScriptSandbox sandbox;
    private final ResourceEvents resources;
    private final Clock clock;

    public ScriptAdmin(ScriptLibrary library, ResourceEvents resources, Clock clock) {
        this.resources = resources;
        this.store = library.store();
        this.stamps = library.stamps();
        this.sources = library.sources();
        this.sandbox = library.sandboxForRunner();
        this.clock = clock;
    }

    public List<ScriptRecord> list(ScriptKind kind) {
        return store.list(kind);
    }

    public ScriptRecord get(ScriptKind kind, String name, boolean refresh) {
        ScriptRecord record = store.get(kind, name).orElseThrow(() -> notFound(kind, name));
        if (!refresh || !record.linked()) {
            return record;
        }
        String source;
        try {
            source = sources.load(record);
        } catch (ScriptLoadException e) {
            String detail = "Could not refresh '" + name + "': " + e.getMessage();
            throw e.missing() ? new NotFoundException(detail) : new UpstreamFailureException(detail);
        }
        ScriptRecord refreshed = record.withContent(source, clock.instant());
        store.replace(record, refreshed);
        clear(refreshed);
        return refreshed;
    }

    /** {@code POST} on the collection: one record, or DreamFactory's {@code {"resource": [...]}}; all or nothing. */
    public List<ScriptRecord> create(ScriptKind kind, JsonBody body, Principal caller, String requestId) {
        String user = caller.name();
        List<JsonBody> records = new ArrayList<>();
        Optional<JsonNode> resource = body.fieldNames().contains("resource") ? body.value("resource") : Optional.empty();
        if (resource.isPresent()) {
            if (!resource.get().isArray() || resource.get().isEmpty()) {
                throw new InvalidRequestException("Field 'resource' must be a non-empty list of records");
            }
            for (JsonNode item : resource.get()) {
                if (!item.isObject()) {
                    throw new InvalidRequestException("Each item of 'resource' must be a record object");
                }
                records.add(JsonBody.of((ObjectNode) item));
            }
        } else {
            records.add(body);
        }
        Instant now = clock.instant();
        List<ScriptRecord> created = new ArrayList<>();
        for (JsonBody record : records) {
            created.add(checked(ScriptRecord.fromRequest(kind, null, record, sources.storageServices(), user, now)));
        }
        for (ScriptRecord record : created) {
            store.create(record);
            clear(record);
        }
        created.forEach(r -> resources.emit(ResourceEvents.Change.CREATED, kind.resourceType(), r.name(), caller,
                requestId));
        return created;
    }

    /** {@code POST} or {@code PUT} on a record: creates or replaces it (DreamFactory's POST to a name upserts). */
    public ScriptRecord put(ScriptKind kind, String name, JsonBody body, Principal caller, String requestId) {
        String user = caller.name();
        Instant now = clock.instant();
        ScriptRecord record = checked(ScriptRecord.fromRequest(kind, name, body, sources.storageServices(), user, now));
        Optional<ScriptRecord> existing = store.get(kind, name);
        if (existing.isPresent()) {
            record = new ScriptRecord(kind, name, record.type(), record.content(), record.active(),
                    record.allowEventModification(), record.storageService(), record.storagePath(), record.scmRepository(),
                    record.scmReference(), record.config(), existing.get().createdAt(), now, user);
            store.replace(existing.get(), record);
        } else {
            store.create(record);
        }
        clear(record);
        resources.emit(existing.isPresent() ? ResourceEvents.Change.UPDATED : ResourceEvents.Change.CREATED,
                kind.resourceType(), name, caller, requestId);
        return record;
    }

    public ScriptRecord patch(ScriptKind kind, String name, JsonBody body, Principal caller, String requestId) {
        ScriptRecord existing = store.get(kind, name).orElseThrow(() -> notFound(kind, name));
        ScriptRecord patched = checked(existing.patched(body, sources.storageServices(), caller.name(),
                clock.instant()));
        store.replace(existing, patched);
        clear(patched);
        resources.emit(ResourceEvents.Change.UPDATED, kind.resourceType(), name, caller, requestId);
        return patched;
    }

    /**
     * Soft delete (the script stops running and leaves the listing; {@code POST .../restore} brings it back), or,
     * with {@code purge}, soft delete and then delete for good (also of a script deleted earlier).
     */
    public ScriptRecord delete(ScriptKind kind, String name, boolean purge, Principal caller, String requestId) {
        Optional<ScriptRecord> live = store.softDelete(kind, name, clock.instant());
        live.ifPresent(this::clear);
        Optional<ScriptRecord> record = live.or(() -> store.deleted(kind, name));
        if (record.isEmpty() || (live.isEmpty() && !purge)) {
            throw notFound(kind, name);
        }
        if (live.isPresent()) {
            resources.emit(ResourceEvents.Change.SOFT_DELETED, kind.resourceType(), name, caller, requestId);
        }
        if (purge) {
            store.purge(kind, name);
            resources.emit(ResourceEvents.Change.HARD_DELETED, kind.resourceType(), name, caller, requestId);
        }
        return record.get();
    }

    public ScriptRecord restore(ScriptKind kind, String name, Principal caller, String requestId) {
        ScriptRecord deleted = store.deleted(kind, name).orElseThrow(() -> new herald.kernel.NotFoundException("There is "
                + "no deleted " + kind.resource() + " named '" + name + "' (a purged one cannot be restored)"));
        store.restore(deleted);
        clear(deleted);
        resources.emit(ResourceEvents.Change.RESTORED, kind.resourceType(), name, caller, requestId);
        return deleted;
    }

    /** Inline content is parsed before it is stored, so a syntax error is a 400 here rather than a 500 later. */
    private ScriptRecord checked(ScriptRecord record) {
        if (!record.linked() && record.content() != null) {
            try {
                sandbox.compile(record.name(), record.content());
            } catch (ScriptSyntaxException e) {
                throw new InvalidRequestException(e.failure().detail());
            }
        }
        return record;
    }

    private void clear(ScriptRecord record) {
        stamps.clear(List.of(record.kind().cacheKey(record.name())));
    }

    private static NotFoundException notFound(ScriptKind kind, String name) {
        return new NotFoundException("No " + kind.resource() + " named '" + name + "'; GET /api/v2/system/"
                + kind.resource() + " lists them");
    }
}
