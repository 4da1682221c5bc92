package herald.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.auth.Principal;
import herald.auth.Role;
import herald.events.Caller;
import herald.events.Event;
import herald.events.EventItems;
import herald.events.EventService;
import herald.events.EventStatus;
import herald.events.StreamImages;
import herald.http.ScriptHooks;
import herald.scripting.LoadedScript;
import herald.scripting.ScriptLibrary;
import herald.scripting.ScriptRun;
import herald.scripting.ScriptRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code QueuedScriptFunction}: runs {@code queued} scripts after the call that fired them has been answered. The
 * call left a pending {@code script.queued} job event; this function, on the events table's stream, runs the script
 * with the call's event and marks the job {@code finished} or {@code failed} (with the error as its description),
 * so queued work is visible like any Ayon job. A job that is no longer pending was done already (the stream
 * delivers at least once) and is skipped. A script's own failure is logged and fails its job, never the batch;
 * only Herald's failures (DynamoDB, say) are reported back for Lambda to retry.
 *
 * <p>Thread-safe.
 */
public final class QueuedScriptFunction implements RequestHandler<DynamodbEvent, StreamsEventResponse> {

    private static final Logger LOG = LoggerFactory.getLogger(QueuedScriptFunction.class);

    private final ScriptLibrary library;
    private final ScriptRunner runner;
    private final EventService events;

    public QueuedScriptFunction() {
        this(System.getenv());
    }

    public QueuedScriptFunction(Map<String, String> environment) {
        Container container = new Container(environment);
        this.library = container.scripts();
        this.runner = container.scriptRunner();
        this.events = container.events();
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent batch, Context context) {
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        for (DynamodbEvent.DynamodbStreamRecord record : batch.getRecords()) {
            var image = record.getDynamodb().getNewImage();
            if (!"INSERT".equals(record.getEventName()) || image == null || image.get("topic") == null
                    || !ScriptHooks.QUEUED_TOPIC.equals(image.get("topic").getS())) {
                continue;
            }
            try {
                run(EventItems.fromItem(StreamImages.toItem(image)));
            } catch (RuntimeException e) {
                LOG.warn("Queued script job {} failed; Lambda will retry it", record.getEventID(), e);
                failures.add(new StreamsEventResponse.BatchItemFailure(record.getDynamodb().getSequenceNumber()));
                break;
            }
        }
        return new StreamsEventResponse(failures);
    }

    private void run(Event job) {
        Event current = events.find(job.id()).orElse(null);
        if (current == null) {
            return; // deleted or expired before it ran
        }
        if (current.status() != EventStatus.PENDING) {
            return;
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
