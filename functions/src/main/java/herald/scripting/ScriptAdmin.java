package herald.scripting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.auth.Principal;
import herald.events.ResourceEvents;
import herald.kernel.InvalidRequestException;
import herald.kernel.JsonBody;
import herald.kernel.Names;
import herald.kernel.NotFoundException;
import herald.kernel.SoftDelete;
import herald.kernel.Timestamps;
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

    public List<ScriptRecord> list(ScriptKind kind, boolean includeDeleted) {
        return store.list(kind, includeDeleted);
    }

    /** A script; with {@code includeDeleted} also a deleted one; with {@code refresh} a linked one's source anew. */
    public ScriptRecord get(ScriptKind kind, String name, boolean refresh, boolean includeDeleted) {
        ScriptRecord record = (includeDeleted ? store.find(kind, name) : store.get(kind, name))
                .orElseThrow(() -> notFound(kind, name));
        if (!refresh || !record.linked() || record.deletedAt() != null) {
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
            replaceDeleted(kind, record.name(), caller, requestId);
            store.create(record);
            clear(record);
        }
        created.forEach(r -> resources.emit(ResourceEvents.Change.CREATED, kind.resourceType(), r.name(), caller,
                requestId, null, image(r)));
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
                    record.scmReference(), record.config(), existing.get().createdAt(), now, user, null);
            store.replace(existing.get(), record);
        } else {
            replaceDeleted(kind, name, caller, requestId);
            store.create(record);
        }
        clear(record);
        resources.emit(existing.isPresent() ? ResourceEvents.Change.UPDATED : ResourceEvents.Change.CREATED,
                kind.resourceType(), name, caller, requestId, existing.map(ScriptAdmin::image).orElse(null),
                image(record));
        return record;
    }

    public ScriptRecord patch(ScriptKind kind, String name, JsonBody body, Principal caller, String requestId) {
        ScriptRecord existing = store.get(kind, name).orElseThrow(() -> notFound(kind, name));
        ScriptRecord patched = checked(existing.patched(body, sources.storageServices(), caller.name(),
                clock.instant()));
        store.replace(existing, patched);
        clear(patched);
        resources.emit(ResourceEvents.Change.UPDATED, kind.resourceType(), name, caller, requestId, image(existing),
                image(patched));
        return patched;
    }

    /**
     * Soft delete ({@link SoftDelete}: the script stops running and leaves the listing; {@code POST .../restore}
     * brings it back), or, with {@code purge}, delete it for good, live or deleted. Returns the record as it was.
     */
    public ScriptRecord delete(ScriptKind kind, String name, boolean purge, Principal caller, String requestId) {
        ScriptRecord record = store.find(kind, name).orElseThrow(() -> notFound(kind, name));
        if (record.deletedAt() == null) {
            Instant now = clock.instant();
            store.softDelete(kind, name, now);
            clear(record);
            ObjectNode deleted = image(record);
            deleted.put("deleted_date", Timestamps.format(now));
            resources.emit(ResourceEvents.Change.SOFT_DELETED, kind.resourceType(), name, caller, requestId,
                    image(record), deleted);
        } else if (!purge) {
            throw notFound(kind, name);
        }
        if (purge) {
            store.purge(kind, name);
            resources.emit(ResourceEvents.Change.HARD_DELETED, kind.resourceType(), name, caller, requestId,
                    image(record), null);
        }
        return record;
    }

    public ScriptRecord restore(ScriptKind kind, String name, Principal caller, String requestId) {
        ScriptRecord deleted = store.find(kind, name).orElseThrow(() -> notFound(kind, name));
        if (deleted.deletedAt() == null) {
            throw SoftDelete.notDeleted(kind.resource(), name);
        }
        ScriptRecord restored = store.restore(deleted, clock.instant());
        clear(restored);
        resources.emit(ResourceEvents.Change.RESTORED, kind.resourceType(), name, caller, requestId, image(deleted),
                image(restored));
        return restored;
    }

    /** A deleted script of this name gives way to a new one, for good ({@link SoftDelete}). */
    private void replaceDeleted(ScriptKind kind, String name, Principal caller, String requestId) {
        store.find(kind, name).filter(r -> r.deletedAt() != null).ifPresent(deleted -> {
            store.purge(kind, name);
            resources.emit(ResourceEvents.Change.HARD_DELETED, kind.resourceType(), name, caller, requestId,
                    image(deleted), null);
        });
    }

    /**
     * A script as its resource events show it to every reader of events: its name, type, flags, where its source
     * lives and its dates, not the source itself nor its config.
     */
    static ObjectNode image(ScriptRecord record) {
        ObjectNode json = record.toJson();
        json.remove(List.of("content", "config"));
        return json;
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
        return new NotFoundException("No " + kind.resource() + " named '" + Names.abbreviate(name) + "'; GET /api/v2/system/"
                + kind.resource() + " lists them");
    }
}
