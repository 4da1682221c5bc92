package herald.scripting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.auth.Principal;
import herald.auth.Role;
import herald.events.Caller;
import herald.events.Event;
import herald.events.EventService;
import herald.events.EventStatus;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code queued} scripts after the call that fired them has been answered. The call left a pending
 * {@code script.queued} job event; {@link #run} runs the script with the call's event and marks the job
 * {@code finished} or {@code failed} (with the error as its description), so queued work is visible like any Ayon
 * job. A job that is no longer pending was done already (the stream delivers at least once) and is skipped, which
 * makes a re-delivered record harmless. A script's own failure fails its job; only Herald's failures (DynamoDB, say)
 * are thrown, for the stream to retry.
 *
 * <p>Thread-safe.
 */
public final class QueuedScripts {

    /** The topic of the job event a queued script leaves. */
    public static final String TOPIC = "script.queued";

    private static final Logger LOG = LoggerFactory.getLogger(QueuedScripts.class);

    private final ScriptLibrary library;
    private final ScriptRunner runner;
    private final EventService events;

    public QueuedScripts(ScriptLibrary library, ScriptRunner runner, EventService events) {
        this.library = library;
        this.runner = runner;
        this.events = events;
    }

    /** Whether a created event is a queued script's job. */
    public static boolean isJob(Event created) {
        return TOPIC.equals(created.topic());
    }

    /** Runs the job's script once: a job that is gone or no longer pending is left alone. */
    public void run(Event job) {
        Event current = events.find(job.id()).orElse(null);
        if (current == null || current.status() != EventStatus.PENDING) {
            return; // deleted or expired before it ran, or done already
        }
        String name = job.summary().path("script").asText("");
        // as the caller recorded when the call was made, with its role and projects: never more
        Optional<Principal> recorded = ScriptRunner.caller(job.payload().get("session"));
        if (recorded.isEmpty()) {
            LOG.warn("Queued script job {} records no caller Herald knows; it does not run", job.id());
            events.recordOutcome(job.id(), EventStatus.FAILED, "The job records no caller with a known role, so the "
                    + "script did not run", new Caller(new Principal(job.user(), Role.USER, Set.of()), name, "script"));
            return;
        }
        Principal principal = recorded.get();
        Caller caller = new Caller(principal, name, "script");
        Optional<LoadedScript> script = library.begin().eventScript(name);
        if (script.isEmpty()) {
            finish(job, caller, EventStatus.FAILED, "Script " + name + " is no longer active");
            return;
        }
        JsonNode scriptEvent = job.payload().get("event");
        ScriptRun run = runner.run(script.get(), scriptEvent instanceof ObjectNode ? (ObjectNode) scriptEvent
                : job.payload().objectNode(), principal);
        runner.keepLog(script.get(), name, principal, run, List.of());
        if (run.failed()) {
            finish(job, caller, EventStatus.FAILED, run.failure().detail());
        } else {
            finish(job, caller, EventStatus.FINISHED, "Ran " + name);
        }
    }

    private void finish(Event job, Caller caller, EventStatus status, String description) {
        events.recordOutcome(job.id(), status, description.length() > 500 ? description.substring(0, 500)
                : description, caller);
    }
}
