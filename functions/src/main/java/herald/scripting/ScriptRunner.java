package herald.scripting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.auth.Principal;
import herald.auth.Role;
import herald.events.Caller;
import herald.events.DispatchRequest;
import herald.events.Event;
import herald.events.EventIds;
import herald.events.EventService;
import herald.events.EventUpdate;
import herald.kernel.HeraldException;
import herald.kernel.Json;
import herald.kernel.JsonBody;
import herald.kernel.Metrics;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Runs one script for one caller: builds {@code platform.session} from who is calling (their name and projects,
 * never their key), wires {@code platform.dispatch} and {@code platform.update} to {@link EventService} (as the
 * caller, with the script as sender and {@code script} as sender type, so with the caller's rights and no more), and
 * keeps the run's log lines with {@link ScriptLogs}.
 *
 * <p>Thread-safe.
 */
public final class ScriptRunner {

    /** What a script is told when it passes platform.dispatch or platform.update something else than an object. */
    static final String NOT_AN_EVENT = "pass an object with at least a topic, e.g. {topic: 'my.topic'}";
    static final String NOT_CHANGES = "pass the event's id and an object of the fields to change, e.g. "
            + "platform.update(id, {progress: 50})";

    private final Metrics metrics;
    private final ScriptSandbox sandbox;
    private final EventService events;
    private final ScriptLogs logs;

    public ScriptRunner(ScriptSandbox sandbox, EventService events, ScriptLogs logs, Metrics metrics) {
        this.sandbox = sandbox;
        this.metrics = metrics;
        this.events = events;
        this.logs = logs;
    }

    /** Runs the script; {@code warnings} are added to its log, which is kept once the caller has added its own. */
    public ScriptRun run(LoadedScript script, ObjectNode event, Principal principal) {
        Caller caller = new Caller(principal, script.name(), "script");
        ScriptRun run = sandbox.run(script.compiled(), event, session(principal), new ScriptSandbox.Platform() {
            @Override
            public String dispatch(String json) {
                return ScriptRunner.this.dispatch(json, caller);
            }

            @Override
            public String update(String id, String json) {
                return ScriptRunner.this.update(id, json, caller);
            }
        });
        metrics.count("ScriptRuns");
        if (run.failed()) {
            // a script that refuses a call (REJECTED) did its job; a timeout is a failure of its own kind
            switch (run.failure().kind()) {
                case STOPPED -> metrics.count("ScriptTimeouts");
                case ERROR, SYNTAX -> metrics.count("ScriptFailures");
                default -> { }
            }
        }
        return run;
    }

    /** Keeps a run's log, with warnings Herald adds (discarded changes, say). */
    public void keepLog(LoadedScript script, String eventName, Principal principal, ScriptRun run, List<String> warnings) {
        List<String> lines = new ArrayList<>(run.logs());
        warnings.forEach(w -> lines.add("warn: " + w));
        logs.record(script.name(), eventName, principal, lines, run.failure());
    }

    public void keepFailure(String script, String eventName, Principal principal, ScriptFailure failure) {
        logs.record(script, eventName, principal, List.of(), failure);
    }

    /**
     * The caller a session names, as {@link #session} recorded it when the call was made: what a queued script runs
     * as. Empty when the session names no caller or a role this version does not know, so that such a job runs as
     * no one rather than as someone with more rights.
     */
    public static Optional<Principal> caller(JsonNode session) {
        if (session == null || !session.path("user").path("name").isTextual()) {
            return Optional.empty();
        }
        Role role = Role.parse(session.path("role").asText(""));
        if (role == null) {
            return Optional.empty();
        }
        Set<String> projects = null;
        if (session.path("projects").isArray()) {
            projects = new HashSet<>();
            for (JsonNode project : session.get("projects")) {
                projects.add(project.asText());
            }
        }
        return Optional.of(new Principal(session.path("user").path("name").asText(), role, projects));
    }

    public static ObjectNode session(Principal principal) {
        ObjectNode session = Json.MAPPER.createObjectNode();
        session.putObject("user").put("name", principal.name()).put("role", principal.role().wireName());
        session.put("role", principal.role().wireName());
        if (principal.projects() == null) {
            session.putNull("projects");
        } else {
            principal.projects().stream().sorted().forEach(session.putArray("projects")::add);
        }
        return session;
    }

    private String dispatch(String json, Caller caller) {
        try {
            if (!(Json.readStored(json) instanceof ObjectNode)) {
                return error(NOT_AN_EVENT);
            }
            DispatchRequest request = DispatchRequest.from(JsonBody.parse(json));
            Event event = events.dispatch(request, caller);
            return Json.write(Json.MAPPER.createObjectNode().put("id", event.id()));
        } catch (HeraldException e) {
            return error(e.detail());
        }
    }

    private String update(String id, String json, Caller caller) {
        try {
            if (!(Json.readStored(json) instanceof ObjectNode)) {
                return error(NOT_CHANGES);
            }
            EventIds.require("The event id", id);
            Event event = events.update(id, EventUpdate.from(JsonBody.parse(json)), caller);
            return Json.write(Json.MAPPER.createObjectNode().put("id", event.id()));
        } catch (HeraldException e) {
            return error(e.detail());
        }
    }

    private static String error(String message) {
        return Json.write(Json.MAPPER.createObjectNode().put("error", message));
    }
}
