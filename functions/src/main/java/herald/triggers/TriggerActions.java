package herald.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.auth.Principal;
import herald.events.Event;
import herald.events.EventJson;
import herald.kernel.Json;
import herald.realtime.Broadcaster;
import herald.scripting.LoadedScript;
import herald.scripting.ScriptLibrary;
import herald.scripting.ScriptRun;
import herald.scripting.ScriptRunner;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a matched trigger does with an event. Webhooks are recorded and retried ({@link Webhooks}); a notification
 * goes to every live WebSocket connection of the named users whose key may see the event's project; a script runs as
 * the user {@code trigger:<name>} with the role and projects of whoever caused the event (recorded on the event when it
 * was dispatched), so it never has more rights than that caller, and its log is kept as every script's is. Events caused by triggers (their user starts with
 * {@code trigger:}) fire no triggers, so a trigger cannot feed itself.
 *
 * <p>Thread-safe.
 */
public final class TriggerActions {

    public static final String USER_PREFIX = "trigger:";
    private static final Logger LOG = LoggerFactory.getLogger(TriggerActions.class);

    private final Webhooks webhooks;
    private final Broadcaster broadcaster;
    private final ScriptLibrary scripts;
    private final ScriptRunner runner;
    private final Clock clock;

    public TriggerActions(Webhooks webhooks, Broadcaster broadcaster, ScriptLibrary scripts, ScriptRunner runner,
            Clock clock) {
        this.webhooks = webhooks;
        this.broadcaster = broadcaster;
        this.scripts = scripts;
        this.runner = runner;
        this.clock = clock;
    }

    /**
     * The event as triggers see it and webhooks send it (the 15 keys of the Ayon event), as the tree event-ruler
     * matches: handing it the tree spares writing the event out as text only for event-ruler to parse it back.
     */
    public static ObjectNode matchable(Event event) {
        return EventJson.toJson(event);
    }

    /**
     * The event with its transition: {@code new} (the event), and after a change {@code old} (the event before it)
     * and {@code changed} (the top-level fields that differ), for the triggers whose filters read them.
     */
    public static ObjectNode matchable(Event event, Event previous) {
        ObjectNode json = EventJson.toJson(event);
        json.set("new", json.deepCopy());
        if (previous != null) {
            ObjectNode old = EventJson.toJson(previous);
            json.set("old", old);
            json.set("changed", changed(old, (ObjectNode) json.get("new")));
        }
        return json;
    }

    /** The top-level fields whose values differ, in name order. */
    static ArrayNode changed(ObjectNode old, ObjectNode now) {
        TreeSet<String> names = new TreeSet<>();
        old.fieldNames().forEachRemaining(names::add);
        now.fieldNames().forEachRemaining(names::add);
        var changed = Json.MAPPER.createArrayNode();
        names.stream().filter(name -> !Objects.equals(old.get(name), now.get(name))).forEach(changed::add);
        return changed;
    }

    public void act(Trigger trigger, Event event, Event previous, boolean created) {
        switch (trigger.actionType()) {
            case "webhook":
                ObjectNode body = Json.MAPPER.createObjectNode();
                body.put("type", created ? "event.created" : "event.updated");
                body.put("timestamp", clock.instant().toString());
                body.put("trigger", trigger.name());
                ObjectNode data = EventJson.toJson(event);
                body.set("data", data);
                if (!created && previous != null) {
                    ObjectNode old = EventJson.toJson(previous);
                    body.set("old", old);
                    body.set("changed", changed(old, data));
                }
                webhooks.start(trigger, event.id(), event.topic(),
                        event.id() + "|" + event.updatedAt() + "|" + (created ? "created" : "updated"), body.toString(),
                        data);
                break;
            case "notify":
                notify(trigger, event);
                break;
            case "script":
                runScript(trigger, event, created);
                break;
            default:
                LOG.warn("Trigger {} has an unknown action type {}", trigger.name(), trigger.actionType());
        }
    }

    /** Passes the webhook deliveries recorded so far on to be made (once per batch of changes). */
    public void handOff() {
        if (webhooks != null) {
            webhooks.handOff();
        }
    }

    private void notify(Trigger trigger, Event event) {
        if (broadcaster == null) {
            LOG.warn("Trigger {} notifies, but this function has no WebSocket API", trigger.name());
            return;
        }
        Set<String> users = users(trigger.action(), EventJson.toJson(event));
        if (users.isEmpty()) {
            return;
        }
        ObjectNode message = Json.MAPPER.createObjectNode();
        message.put("topic", "notification");
        message.put("trigger", trigger.name());
        JsonNode text = trigger.action().get("message");
        message.put("message", text != null ? text.asText() : event.description());
        message.set("event", EventJson.toJson(event));
        List<String> connections = new ArrayList<>();
        // a key limited to projects is told nothing of an event of another project
        users.forEach(user -> connections.addAll(broadcaster.registry().connectionsOf(user, event.project())));
        if (!connections.isEmpty()) {
            broadcaster.sendTo(connections, message.toString());
        }
    }

    /** The users a notify action names: its list, or the value(s) at its property path in the event. */
    static Set<String> users(JsonNode action, JsonNode event) {
        Set<String> users = new LinkedHashSet<>();
        if (action.has("users")) {
            action.get("users").forEach(u -> users.add(u.asText()));
            return users;
        }
        JsonNode value = event;
        for (String part : action.get("user_property").asText().split("\\.")) {
            value = value.path(part);
        }
        if (value.isArray()) {
            value.forEach(v -> {
                if (v.isValueNode() && !v.asText().isEmpty()) {
                    users.add(v.asText());
                }
            });
        } else if (value.isValueNode() && !value.isNull() && !value.asText().isEmpty()) {
            users.add(value.asText());
        }
        return users;
    }

    private void runScript(Trigger trigger, Event event, boolean created) {
        if (scripts == null) {
            LOG.warn("Trigger {} runs a script, but this function has no scripting", trigger.name());
            return;
        }
        String name = trigger.action().get("script").asText();
        if (event.causedBy() == null) {
            // no rights are known for it, so none are given: the script does not run
            LOG.warn("Trigger {} does not run script {} for event {}: the event records no caller with a known role",
                    trigger.name(), name, event.id());
            return;
        }
        // the trigger's own name (events it causes fire no triggers), with the rights of whoever caused the event
        Principal principal = new Principal(USER_PREFIX + trigger.name(), event.causedBy().role(),
                event.causedBy().projects());
        Optional<LoadedScript> script = scripts.begin().eventScript(name);
        if (script.isEmpty()) {
            LOG.warn("Trigger {} runs script {}, which does not exist or is inactive", trigger.name(), name);
            return;
        }
        ObjectNode scriptEvent = Json.MAPPER.createObjectNode();
        scriptEvent.put("trigger", trigger.name());
        scriptEvent.put("change", created ? "created" : "updated");
        scriptEvent.set("event", EventJson.toJson(event));
        ScriptRun run = runner.run(script.get(), scriptEvent, principal);
        runner.keepLog(script.get(), name, principal, run, List.of());
    }
}
