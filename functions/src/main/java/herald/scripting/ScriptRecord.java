package herald.scripting;

import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.kernel.InvalidRequestException;
import herald.kernel.Json;
import herald.kernel.JsonBody;
import herald.kernel.SoftDelete;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An event script or scripted service, with DreamFactory's {@code event_script} fields: {@code name}, {@code type},
 * {@code content}, {@code is_active}, {@code allow_event_modification}, {@code storage_service},
 * {@code storage_path}, {@code scm_repository}, {@code scm_reference} and {@code config}. The source is exactly one
 * of: inline {@code content}; a key in a configured S3 bucket ({@code storage_service} + {@code storage_path}); a
 * file in a GitHub repository ({@code scm_repository} {@code owner/repo}, {@code scm_reference} a branch or tag,
 * default the repository's default branch, and {@code storage_path}). A linked script's {@code content} is the copy
 * last loaded with {@code ?refresh=true}, read-only through the API.
 */
public record ScriptRecord(
        ScriptKind kind,
        String name,
        String type,
        String content,
        boolean active,
        boolean allowEventModification,
        String storageService,
        String storagePath,
        String scmRepository,
        String scmReference,
        ObjectNode config,
        Instant createdAt,
        Instant updatedAt,
        String updatedBy,
        Instant deletedAt) {

    /** This record deleted at {@code at} ({@link SoftDelete}). */
    public ScriptRecord deleted(Instant at) {
        return new ScriptRecord(kind, name, type, content, active, allowEventModification, storageService, storagePath,
                scmRepository, scmReference, config, createdAt, at, updatedBy, at);
    }

    /** This record, no longer deleted. */
    public ScriptRecord restored(Instant at) {
        return new ScriptRecord(kind, name, type, content, active, allowEventModification, storageService, storagePath,
                scmRepository, scmReference, config, createdAt, at, updatedBy, null);
    }

    public static final String GITHUB = "github";
    public static final Set<String> TYPES = Set.of("javascript", "nodejs", "v8js");
    public static final int MAX_CONTENT = 256 * 1024;

    static final Set<String> FIELDS = Set.of("name", "type", "content", "is_active", "isActive",
            "allow_event_modification", "allowEventModification", "storage_service", "storageService", "storage_path",
            "storagePath", "scm_repository", "scmRepository", "scm_reference", "scmReference", "config",
            // read-only fields a client may send back unchanged from a GET
            "created_date", "last_modified_date", "last_modified_by", "source");

    private static final Pattern EVENT_NAME = Pattern.compile("[A-Za-z0-9_{}-]+(\\.[A-Za-z0-9_{}-]+)*\\.[a-z]+\\.(pre_process|post_process|queued)");
    private static final Pattern SERVICE_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final Pattern REPOSITORY = Pattern.compile("[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}");
    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9_./-]{1,255}");

    public enum Source { INLINE, STORAGE, GITHUB }

    public Source source() {
        if (scmRepository != null) {
            return Source.GITHUB;
        }
        return storageService != null ? Source.STORAGE : Source.INLINE;
    }

    public boolean linked() {
        return source() != Source.INLINE;
    }

    /** Where a linked script lives, for messages: {@code github owner/repo@ref:path} or {@code s3 scripts:path}. */
    public String location() {
        switch (source()) {
            case GITHUB:
                return "GitHub " + scmRepository + "@" + (scmReference == null ? "(default branch)" : scmReference)
                        + ":" + storagePath;
            case STORAGE:
                return "storage service '" + storageService + "' path " + storagePath;
            default:
                return "inline content";
        }
    }

    /** A new record from a request body; {@code pathName}, when given, must agree with a {@code name} in the body. */
    public static ScriptRecord fromRequest(ScriptKind kind, String pathName, JsonBody body, Set<String> storageServices,
            String user, Instant now) {
        rejectUnknownFields(body);
        String name = body.string("name").orElse(pathName);
        if (pathName != null && !pathName.equals(name)) {
            throw new InvalidRequestException("The name in the body ('" + name + "') differs from the name in the path ('"
                    + pathName + "'); renaming is not supported: create the new name and delete the old one");
        }
        if (name == null) {
            throw new InvalidRequestException("Field 'name' is required"
                    + (kind == ScriptKind.EVENT_SCRIPT ? ", e.g. \"events.post.pre_process\"" : ", e.g. \"greeting\""));
        }
        ScriptRecord record = new ScriptRecord(kind, name,
                body.string("type").orElse("javascript"),
                body.string("content").orElse(null),
                body.bool("isActive").orElse(true),
                body.bool("allowEventModification").orElse(false),
                body.string("storageService").filter(s -> !s.isBlank()).orElse(null),
                body.string("storagePath").filter(s -> !s.isBlank()).orElse(null),
                body.string("scmRepository").filter(s -> !s.isBlank()).orElse(null),
                body.string("scmReference").filter(s -> !s.isBlank()).orElse(null),
                body.object("config").orElseGet(Json.MAPPER::createObjectNode),
                now, now, user, null);
        return record.validated(storageServices);
    }

    /** This record with the fields a PATCH body gives; a linked script's content stays read-only. */
    public ScriptRecord patched(JsonBody body, Set<String> storageServices, String user, Instant now) {
        rejectUnknownFields(body);
        body.string("name").filter(n -> !n.equals(name)).ifPresent(n -> {
            throw new InvalidRequestException("The name cannot be changed ('" + name + "' to '" + n
                    + "'): create the new name and delete the old one");
        });
        ScriptRecord patched = new ScriptRecord(kind, name,
                body.string("type").orElse(type),
                body.value("content").isPresent() ? body.string("content").orElse(null) : content,
                body.bool("isActive").orElse(active),
                body.bool("allowEventModification").orElse(allowEventModification),
                sent(body, "storageService", "storage_service")
                        ? body.string("storageService").filter(s -> !s.isBlank()).orElse(null) : storageService,
                sent(body, "storagePath", "storage_path")
                        ? body.string("storagePath").filter(s -> !s.isBlank()).orElse(null) : storagePath,
                sent(body, "scmRepository", "scm_repository")
                        ? body.string("scmRepository").filter(s -> !s.isBlank()).orElse(null) : scmRepository,
                sent(body, "scmReference", "scm_reference")
                        ? body.string("scmReference").filter(s -> !s.isBlank()).orElse(null) : scmReference,
                body.object("config").orElse(config),
                createdAt, now, user, null);
        if (linked() && patched.linked() && body.value("content").isPresent()
                && !java.util.Objects.equals(content, patched.content())) {
            throw new InvalidRequestException("Script '" + name + "' is linked to " + location()
                    + ", so its content is read-only here: change the file, or unlink it by setting "
                    + "storage_service, storage_path and scm_repository to null");
        }
        return patched.validated(storageServices);
    }

    /** The same record with the content last loaded from its source. */
    public ScriptRecord withContent(String loaded, Instant now) {
        return new ScriptRecord(kind, name, type, loaded, active, allowEventModification, storageService, storagePath,
                scmRepository, scmReference, config, createdAt, now, updatedBy, deletedAt);
    }

    private ScriptRecord validated(Set<String> storageServices) {
        if (kind == ScriptKind.EVENT_SCRIPT) {
            if (name.length() > 200 || !EVENT_NAME.matcher(name).matches()) {
                throw new InvalidRequestException("'" + name + "' is not an event name: use {service}.{resource}.{verb}."
                        + "{pre_process|post_process|queued}, e.g. events.post.pre_process (GET /api/v2/system/event "
                        + "lists them all)");
            }
        } else if (!SERVICE_NAME.matcher(name).matches() || name.equals("system")) {
            throw new InvalidRequestException("'" + name + "' is not a service name: use 1 to 64 lower-case letters, "
                    + "digits, '-' or '_', starting with a letter or digit ('system' is reserved)");
        }
        if (!TYPES.contains(type.toLowerCase(Locale.ROOT))) {
            throw new InvalidRequestException("Script type '" + type + "' is not supported: Herald runs JavaScript; "
                    + "use one of " + List.copyOf(new java.util.TreeSet<>(TYPES)));
        }
        if (content != null && content.length() > MAX_CONTENT) {
            throw new InvalidRequestException("Field 'content' is " + content.length() + " characters; the limit is "
                    + MAX_CONTENT + ". Keep larger scripts in S3 or GitHub and link them");
        }
        if (scmRepository != null) {
            if (!REPOSITORY.matcher(scmRepository).matches()) {
                throw new InvalidRequestException("Field 'scm_repository' must be owner/repo, e.g. \"acme/scripts\", not '"
                        + scmRepository + "'");
            }
            if (storageService != null && !storageService.equals(GITHUB)) {
                throw new InvalidRequestException("A script in a GitHub repository takes storage_service \"github\" or "
                        + "none, not '" + storageService + "'");
            }
            if (scmReference != null && (!REFERENCE.matcher(scmReference).matches() || scmReference.contains(".."))) {
                throw new InvalidRequestException("Field 'scm_reference' must be a branch or tag name, not '"
                        + scmReference + "'");
            }
            requirePath();
        } else if (storageService != null) {
            if (storageService.equals(GITHUB)) {
                throw new InvalidRequestException("storage_service \"github\" needs scm_repository (owner/repo)");
            }
            if (!storageServices.contains(storageService)) {
                throw new InvalidRequestException("Unknown storage_service '" + storageService + "': configured are "
                        + List.copyOf(new java.util.TreeSet<>(storageServices)) + " and \"github\"");
            }
            requirePath();
        } else {
            if (storagePath != null || scmReference != null) {
                throw new InvalidRequestException("storage_path and scm_reference need a storage_service or an "
                        + "scm_repository to say where the file is");
            }
            if (content == null) {
                throw new InvalidRequestException("Script '" + name + "' has no source: give 'content', or link a file with "
                        + "storage_service + storage_path, or scm_repository + storage_path");
            }
        }
        if (linked() && scmRepository != null) {
            // normalised so the webhook finds the scripts of a repository whatever case GitHub reports
            return new ScriptRecord(kind, name, type, content, active, allowEventModification,
                    storageService == null ? GITHUB : storageService, storagePath, scmRepository, scmReference, config,
                    createdAt, updatedAt, updatedBy, deletedAt);
        }
        return this;
    }

    private void requirePath() {
        if (storagePath == null) {
            throw new InvalidRequestException("Field 'storage_path' is required for a linked script: the file's path, "
                    + "e.g. \"scripts/validate.js\"");
        }
        StoragePaths.require(storagePath);
    }

    /** Whether a PATCH body names a field at all (a JSON null unlinks). */
    private static boolean sent(JsonBody body, String camelCase, String snakeCase) {
        return body.fieldNames().contains(camelCase) || body.fieldNames().contains(snakeCase);
    }

    private static void rejectUnknownFields(JsonBody body) {
        body.requireKnownFields(FIELDS, "a script has name, type, content, is_active, allow_event_modification, "
                + "storage_service, storage_path, scm_repository, scm_reference and config");
    }

    /** The record as the API shows it (DreamFactory's snake_case names). */
    public ObjectNode toJson() {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("name", name);
        json.put("type", type);
        json.put("content", content);
        json.put("is_active", active);
        json.put("allow_event_modification", allowEventModification);
        json.put("storage_service", storageService);
        json.put("storage_path", storagePath);
        json.put("scm_repository", scmRepository);
        json.put("scm_reference", scmReference);
        json.set("config", config);
        json.put("source", source().name().toLowerCase(Locale.ROOT));
        SoftDelete.putDates(json, createdAt, updatedAt, updatedBy, deletedAt);
        return json;
    }
}
