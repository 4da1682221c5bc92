package herald.scripting;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.auth.AuthorizerContext;
import herald.http.UnauthorizedException;
import herald.auth.Principal;
import herald.events.Caller;
import herald.events.DispatchRequest;
import herald.events.EventService;
import herald.http.ApiRequest;
import herald.http.ErrorResponses;
import herald.http.Json;
import herald.http.RequestGuard;
import herald.http.StatusException;
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

    public static final String QUEUED_TOPIC = "script.queued";

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

    public APIGatewayV2HTTPResponse around(APIGatewayV2HTTPEvent event,
            Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler) {
        if (library == null) {
            return handler.apply(event);
        }
        ApiRequest request = ApiRequest.of(event);
        String base = EventNames.base(request);
        Optional<Principal> principal = base == null ? Optional.empty() : caller(request);
        if (principal.isEmpty()) {
            return handler.apply(event);
        }
        return RequestGuard.respond(request, () -> scripted(request, base, principal.get(), handler));
    }

    /** The caller, when the authorizer found a valid key: scripts never run for calls that will be refused. */
    private static Optional<Principal> caller(ApiRequest request) {
        try {
            return Optional.of(AuthorizerContext.principal(request));
        } catch (UnauthorizedException e) {
            return Optional.empty();
        }
    }

    private APIGatewayV2HTTPResponse scripted(ApiRequest request, String base, Principal principal,
            Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler) {
        String verb = request.effectiveMethod().toLowerCase(Locale.ROOT);
        ScriptLibrary.Lookup lookup = library.begin();
        String preName = EventNames.name(base, verb, EventNames.PRE_PROCESS);
        String postName = EventNames.name(base, verb, EventNames.POST_PROCESS);
        String queuedName = EventNames.name(base, verb, EventNames.QUEUED);
        Optional<LoadedScript> pre = load(lookup, preName, principal);
        Optional<LoadedScript> post = load(lookup, postName, principal);
        Optional<LoadedScript> queued = load(lookup, queuedName, principal);
        if (pre.isEmpty() && post.isEmpty() && queued.isEmpty()) {
            return handler.apply(request.event());
        }
        ObjectNode scriptEvent = ScriptEvents.of(request, verb.toUpperCase(Locale.ROOT), preName,
                EventNames.resource(request));
        APIGatewayV2HTTPEvent forward = request.event();
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
                        forward = ScriptEvents.withRequest(request.event(), request2);
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
        } catch (StatusException e) {
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
            events.dispatch(new DispatchRequest(QUEUED_TOPIC, script.name(), null, null, null, "Queued script "
                    + script.name(), summary, payload, false, true, false), new Caller(principal, script.name(), "script"));
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(ScriptHooks.class).warn("Could not queue script {}", script.name(), e);
            runner.keepFailure(script.name(), eventName, principal, new ScriptFailure(ScriptFailure.Kind.ERROR,
                    script.name(), 500, "the call could not be queued: " + e.getMessage(), 0));
        }
    }

    private static String discarded(String what, LoadedScript script) {
        return "the script changed " + what + ", but its allow_event_modification is false, so the change was "
                + "discarded; set it to true on '" + script.name() + "' to apply changes";
    }
}
