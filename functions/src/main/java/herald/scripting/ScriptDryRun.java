package herald.scripting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.auth.Principal;
import herald.events.Caller;
import herald.events.DispatchRequest;
import herald.events.EventIds;
import herald.events.EventJson;
import herald.events.EventService;
import herald.events.EventUpdate;
import herald.kernel.HeraldException;
import herald.kernel.InvalidRequestException;
import herald.kernel.Json;
import herald.kernel.JsonBody;
import herald.kernel.Names;
import herald.kernel.NotFoundException;
import herald.kernel.UpstreamFailureException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A script run that changes nothing: {@code POST /api/v2/system/<kind>/{name}/dry_run}. The script (its stored
 * source, a linked one's current source, or the {@code content} the caller sends, e.g. an editor's unsaved text) runs
 * in the same sandbox, with the same limits and the same {@code platform.session} as a real run, against a sample
 * {@code event} built from the body. What it would have done comes back instead of being done:
 * {@code platform.dispatch} and {@code platform.update} are checked as a real call would check them (the caller's
 * rights included: {@link EventService#checkDispatch}, {@link EventService#checkUpdate}) and recorded, never
 * written; changes to {@code event.request} and {@code event.response} and the return value are reported with
 * whether {@code allow_event_modification} would apply them; the log is returned, not kept as a {@code log.script}
 * event; and a failure is reported with its line. Nothing is cached, so a dry run never changes what calls run.
 *
 * <p>Thread-safe.
 */
public final class ScriptDryRun {

    static final Set<String> FIELDS = Set.of("content", "request", "response", "resource", "event_id", "eventId",
            "allow_event_modification", "allowEventModification");

    private final ScriptStore store;
    private final ScriptSources sources;
    private final ScriptSandbox sandbox;
    private final EventService events;

    public ScriptDryRun(ScriptLibrary library, EventService events) {
        this.store = library.store();
        this.sources = library.sources();
        this.sandbox = library.sandboxForRunner();
        this.events = events;
    }

    /** Runs the script {@code name} of {@code kind} on the sample the body describes, as {@code caller}. */
    public ObjectNode run(ScriptKind kind, String name, JsonBody body, Principal caller) {
        body.requireKnownFields(FIELDS, "a dry run takes content, request, response, resource, event_id and "
                + "allow_event_modification");
        Optional<ScriptRecord> record = store.get(kind, name);
        Optional<String> content = body.string("content");
        if (record.isEmpty() && content.isEmpty()) {
            throw new NotFoundException("No " + kind.resource() + " '" + Names.abbreviate(name) + "': create it, or "
                    + "send its source as 'content' to dry-run it unsaved");
        }
        boolean modification = body.bool("allowEventModification")
                .orElse(record.map(ScriptRecord::allowEventModification).orElse(false));
        String source = content.orElseGet(() -> load(record.get()));
        ObjectNode event = sample(kind, name, body, caller);

        ObjectNode answer = Json.MAPPER.createObjectNode();
        answer.put("script", name);
        answer.put("kind", kind.resource());
        answer.put("source", content.isPresent() ? "content" : record.get().source().name().toLowerCase(Locale.ROOT));
        answer.put("allow_event_modification", modification);
        answer.set("event", event.deepCopy());
        ArrayNode dispatched = Json.MAPPER.createArrayNode();
        ArrayNode updated = Json.MAPPER.createArrayNode();
        CompiledScript compiled;
        try {
            compiled = sandbox.compile(name, source == null ? "" : source);
        } catch (ScriptSyntaxException e) {
            return finish(answer, null, e.failure(), dispatched, updated);
        }
        // as the script itself: the caller's rights, the script as sender (ScriptRunner's caller)
        Caller asScript = new Caller(caller, name, "script");
        ScriptRun run = sandbox.run(compiled, event, ScriptRunner.session(caller), new ScriptSandbox.Platform() {
            @Override
            public String dispatch(String json) {
                return record(dispatched, null, json, asScript);
            }

            @Override
            public String update(String id, String json) {
                return record(updated, id, json, asScript);
            }
        });
        answer.putArray("log").addAll(run.logs().stream().map(Json.MAPPER.getNodeFactory()::textNode).toList());
        if (!run.failed()) {
            ObjectNode changes = answer.putObject("changes");
            JsonNode request = run.event().get("request");
            if (!Objects.equals(request, event.get("request"))) {
                changes.set("request", request);
            }
            JsonNode response = run.event().get("response");
            if (!Objects.equals(response, event.get("response")) && response != null && !response.isNull()) {
                changes.set("response", response);
            }
            if (run.result() != null && !run.result().isNull()) {
                changes.set("result", run.result());
            }
            answer.put("would_apply", modification || changes.isEmpty());
        }
        return finish(answer, run, run.failure(), dispatched, updated);
    }

    private ObjectNode finish(ObjectNode answer, ScriptRun run, ScriptFailure failure, ArrayNode dispatched,
            ArrayNode updated) {
        if (run == null) {
            answer.putArray("log");
        }
        answer.put("outcome", failure == null ? "completed" : switch (failure.kind()) {
            case REJECTED -> "rejected";
            case STOPPED -> "stopped";
            case SYNTAX -> "syntax_error";
            default -> "failed";
        });
        if (failure == null) {
            answer.putNull("error");
        } else {
            ObjectNode error = answer.putObject("error");
            error.put("kind", failure.kind().name().toLowerCase(Locale.ROOT));
            error.put("status", failure.httpStatus());
            error.put("message", failure.message());
            if (failure.line() > 0) {
                error.put("line", failure.line());
            } else {
                error.putNull("line");
            }
            error.put("detail", failure.detail());
        }
        answer.set("dispatched", dispatched);
        answer.set("updated", updated);
        return answer;
    }

    private String load(ScriptRecord record) {
        try {
            return sources.load(record);
        } catch (ScriptLoadException e) {
            String detail = "Could not load '" + record.name() + "' for the dry run: " + e.getMessage();
            throw e.missing() ? new NotFoundException(detail) : new UpstreamFailureException(detail);
        }
    }

    /**
     * The {@code event} of the run: DreamFactory's shape, with the request the body describes (method and URI
     * default to the event name's), {@code payload} from {@code request.payload} or the event {@code event_id}
     * names (for {@code post_process}, also the response's content), and for {@code post_process} a response.
     */
    private ObjectNode sample(ScriptKind kind, String name, JsonBody body, Principal caller) {
        ObjectNode given = body.object("request").orElseGet(Json.MAPPER::createObjectNode);
        ObjectNode event = Json.MAPPER.createObjectNode();
        event.put("event_name", name);
        event.put("resource", body.string("resource").orElse(""));
        ObjectNode request = event.putObject("request");
        request.put("method", text(given, "method").orElse(method(kind, name)).toUpperCase(Locale.ROOT));
        request.put("uri", text(given, "uri").orElse(uri(kind, name)));
        request.set("headers", object(given, "headers"));
        request.set("parameters", object(given, "parameters"));
        JsonNode payload = given.get("payload");
        Optional<String> sampleId = body.string("eventId");
        if (sampleId.isPresent()) {
            EventIds.require("Field 'event_id'", sampleId.get());
            payload = sample(sampleId.get(), caller);
        }
        request.set("payload", payload == null ? Json.MAPPER.nullNode() : payload);
        request.set("content", given.has("content") ? given.get("content") : Json.MAPPER.nullNode());
        Optional<ObjectNode> response = body.object("response");
        if (name.endsWith("." + EventNames.POST_PROCESS) || response.isPresent()) {
            ObjectNode out = response.map(ObjectNode::deepCopy).orElseGet(Json.MAPPER::createObjectNode);
            if (!out.has("status_code")) {
                out.put("status_code", 200);
            } else if (!out.get("status_code").canConvertToInt()) {
                throw new InvalidRequestException("Field 'response.status_code' must be a whole number, e.g. 200");
            }
            if (!out.has("headers")) {
                out.putObject("headers");
            }
            if (!out.has("content")) {
                out.set("content", sampleId.isPresent() ? payload : Json.MAPPER.nullNode());
            }
            event.set("response", out);
        }
        return event;
    }

    /** The stored event a sample is taken from, as the caller may read it: another project's is no sample. */
    private JsonNode sample(String id, Principal caller) {
        return EventJson.toJson(events.findReadable(id, new Caller(caller, null, null)).orElseThrow(() ->
                new NotFoundException("No event " + id + " to take the sample from (or it is in a project the key "
                        + "cannot read)")));
    }

    private static Optional<String> text(ObjectNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new InvalidRequestException("Field 'request." + field + "' must be a string");
        }
        return Optional.of(value.textValue());
    }

    private static ObjectNode object(ObjectNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return Json.MAPPER.createObjectNode();
        }
        if (!value.isObject()) {
            throw new InvalidRequestException("Field 'request." + field + "' must be an object of names to values");
        }
        return (ObjectNode) value;
    }

    /** {@code events.post.pre_process} runs on a POST; a scripted service on a GET unless told. */
    private static String method(ScriptKind kind, String name) {
        String[] parts = name.split("\\.");
        if (kind == ScriptKind.EVENT_SCRIPT && parts.length >= 3 && EventNames.PHASES.contains(parts[parts.length - 1])) {
            return parts[parts.length - 2];
        }
        return "GET";
    }

    private static String uri(ScriptKind kind, String name) {
        if (kind == ScriptKind.SERVICE) {
            return "/api/v2/" + name;
        }
        String[] parts = name.split("\\.");
        int end = parts.length >= 3 && EventNames.PHASES.contains(parts[parts.length - 1]) ? parts.length - 2
                : parts.length;
        return "/api/" + String.join("/", java.util.Arrays.copyOfRange(parts, 0, end));
    }

    /** What a platform call would have done: checked as the real call checks it (rights too), then recorded. */
    private String record(ArrayNode calls, String id, String json, Caller caller) {
        try {
            if (!(Json.readStored(json) instanceof ObjectNode)) {
                return Json.write(Json.MAPPER.createObjectNode().put("error",
                        id == null ? ScriptRunner.NOT_AN_EVENT : ScriptRunner.NOT_CHANGES));
            }
            JsonBody body = JsonBody.parse(json);
            String answerId;
            if (id == null) {
                events.checkDispatch(DispatchRequest.from(body), caller);
                answerId = EventIds.newId(System.currentTimeMillis());
                calls.addObject().put("id", answerId).set("event", Json.readStored(json));
            } else {
                EventIds.require("The event id", id);
                events.checkUpdate(id, EventUpdate.from(body), caller);
                answerId = id;
                calls.addObject().put("id", id).set("changes", Json.readStored(json));
            }
            return Json.write(Json.MAPPER.createObjectNode().put("id", answerId).put("dry_run", true));
        } catch (HeraldException e) {
            return Json.write(Json.MAPPER.createObjectNode().put("error", e.detail()));
        }
    }
}
