package herald.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.auth.Principal;
import herald.events.Caller;
import herald.events.DispatchRequest;
import herald.events.EventService;
import herald.kernel.Json;
import herald.kernel.RejectedException;
import herald.kernel.UpstreamFailureException;
import herald.scripting.EventNames;
import herald.scripting.LoadedScript;
import herald.scripting.QueuedScripts;
import herald.scripting.ScriptFailure;
import herald.scripting.ScriptLibrary;
import herald.scripting.ScriptRun;
import herald.scripting.ScriptRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.LoggerFactory;

/**
 * The scripts around every call of the HTTP API, in DreamFactory's order: {@code pre_process}, then the handler
 * (skipped when pre_process set {@code event.response}), then {@code post_process} (also after an error), then the
 * {@code queued} script, which runs later from the events stream (a pending {@code script.queued} job event).
 * Changes a script makes to the request or response apply only with {@code allow_event_modification}; without it
 * they are discarded and the script's log says so. A pre_process script rejects the call by throwing
 * {@code {status, message}}.
 *
 * <p>Scripts run only for calls with a valid key. A call whose route has no script bound costs one small DynamoDB
 * read (the cache stamp) and never loads the script engine.
 *
 * <p>Thread-safe.
 */
public final class ScriptHooks {

    /** For handlers built without scripting (unit tests): every call goes straight to the handler. */
    public static final ScriptHooks NONE = new ScriptHooks(null, null, null);

    private final ScriptLibrary library;
    private final ScriptRunner runner;
    private final EventService events;

    public ScriptHooks(ScriptLibrary library, ScriptRunner runner, EventService events) {
        this.library = library;
        this.runner = runner;
        this.events = events;
    }

    /**
     * Runs the call of {@code route} with its scripts. The event names come from the route that is carried out (its
     * path, and the method it executes: a method-override header changes them only on a route that declares the
     * tunnelling), so what the scripts see is always what runs. Scripts run only for a known caller: never for a
     * call that will be refused for its key.
     */
    public APIGatewayV2HTTPResponse around(Route route, ApiRequest request, Principal caller,
            Function<ApiRequest, APIGatewayV2HTTPResponse> handler) {
        String base = EventNames.base(route.path(), request.pathParameters());
        if (library == null || base == null || caller == null) {
            return handler.apply(request);
        }
        return scripted(request, base, route.executedMethod(request.method()).toLowerCase(Locale.ROOT), caller,
                handler);
    }

    private APIGatewayV2HTTPResponse scripted(ApiRequest request, String base, String verb, Principal principal,
            Function<ApiRequest, APIGatewayV2HTTPResponse> handler) {
        ScriptLibrary.Lookup lookup = request.stamp().map(library::begin).orElseGet(library::begin);
        String preName = EventNames.name(base, verb, EventNames.PRE_PROCESS);
        String postName = EventNames.name(base, verb, EventNames.POST_PROCESS);
        String queuedName = EventNames.name(base, verb, EventNames.QUEUED);
        Optional<LoadedScript> pre = load(lookup, preName, principal);
        Optional<LoadedScript> post = load(lookup, postName, principal);
        Optional<LoadedScript> queued = load(lookup, queuedName, principal);
        if (pre.isEmpty() && post.isEmpty() && queued.isEmpty()) {
            return handler.apply(request);
        }
        ObjectNode scriptEvent = ScriptEvents.of(request, verb.toUpperCase(Locale.ROOT), preName,
                ScriptEvents.resource(request));
        ApiRequest forward = request;
        APIGatewayV2HTTPResponse response = null;
        if (pre.isPresent()) {
            ScriptRun run = runner.run(pre.get(), scriptEvent, principal);
            List<String> warnings = new ArrayList<>();
            if (run.failed()) {
                response = ErrorResponses.error(run.failure().httpStatus(), run.failure().detail());
            } else {
                JsonNode request2 = run.event().get("request");
                JsonNode setResponse = run.event().get("response");
                boolean requestChanged = !Objects.equals(request2, scriptEvent.get("request"));
                boolean responseSet = setResponse != null && !setResponse.isNull();
                if (pre.get().record().allowEventModification()) {
                    if (requestChanged && request2 != null && request2.isObject()) {
                        forward = request.withEvent(ScriptEvents.withRequest(request.event(), request2));
                        scriptEvent.set("request", request2);
                    }
                    if (responseSet) {
                        response = ScriptEvents.toResponse(setResponse);
                    }
                } else if (requestChanged || responseSet) {
                    warnings.add(discarded(requestChanged ? "event.request" : "event.response", pre.get()));
                }
            }
            runner.keepLog(pre.get(), preName, principal, run, warnings);
        }
        if (response == null) {
            response = handler.apply(forward);
        }
        if (post.isPresent()) {
            scriptEvent.put("event_name", postName);
            scriptEvent.set("response", ScriptEvents.response(response));
            ObjectNode before = scriptEvent.deepCopy();
            ScriptRun run = runner.run(post.get(), scriptEvent, principal);
            List<String> warnings = new ArrayList<>();
            if (run.failed()) {
                response = ErrorResponses.error(run.failure().httpStatus(), run.failure().detail());
            } else {
                JsonNode changed = run.event().get("response");
                boolean responseChanged = !Objects.equals(changed, before.get("response"));
                boolean returned = run.result() != null && !run.result().isNull();
                if (post.get().record().allowEventModification()) {
                    if (responseChanged && changed != null && changed.isObject()) {
                        response = ScriptEvents.toResponse(changed);
                    } else if (returned) {
                        response = ScriptEvents.resultResponse(run.result());
                    }
                    scriptEvent.set("response", ScriptEvents.response(response));
                } else if (responseChanged || returned) {
                    warnings.add(discarded(responseChanged ? "event.response" : "the return value", post.get()));
                }
            }
            runner.keepLog(post.get(), postName, principal, run, warnings);
        }
        if (queued.isPresent()) {
            if (!scriptEvent.has("response")) {
                scriptEvent.set("response", ScriptEvents.response(response));
            }
            scriptEvent.put("event_name", queuedName);
            enqueue(queued.get(), queuedName, scriptEvent, principal);
        }
        return response;
    }

    private Optional<LoadedScript> load(ScriptLibrary.Lookup lookup, String eventName, Principal principal) {
        try {
            return lookup.eventScript(eventName);
        } catch (UpstreamFailureException | RejectedException e) {
            runner.keepFailure(eventName, eventName, principal,
                    new ScriptFailure(ScriptFailure.Kind.ERROR, eventName, e.status(), e.detail(), 0));
            throw e;
        }
    }

    /** The queued script runs later, from the events stream: a pending job event carries the call to it. */
    private void enqueue(LoadedScript script, String eventName, ObjectNode scriptEvent, Principal principal) {
        ObjectNode summary = Json.MAPPER.createObjectNode().put("script", script.name()).put("event_name", eventName);
        ObjectNode payload = Json.MAPPER.createObjectNode();
        payload.set("event", scriptEvent);
        payload.set("session", ScriptRunner.session(principal));
        try {
            events.record(new DispatchRequest(QueuedScripts.TOPIC, script.name(), null, null, null, "Queued script "
                    + script.name(), summary, payload, false, true, false), new Caller(principal, script.name(), "script"));
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(ScriptHooks.class).warn("Could not queue script {}", script.name(), e);
            runner.keepFailure(script.name(), eventName, principal, new ScriptFailure(ScriptFailure.Kind.ERROR,
                    script.name(), 500, "the call could not be queued (the cause is in the function's log)", 0));
        }
    }

    private static String discarded(String what, LoadedScript script) {
        return "the script changed " + what + ", but its allow_event_modification is false, so the change was "
                + "discarded; set it to true on '" + script.name() + "' to apply changes";
    }
}
