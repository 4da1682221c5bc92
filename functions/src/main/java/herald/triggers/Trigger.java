package herald.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.kernel.InvalidRequestException;
import herald.kernel.Json;
import herald.kernel.JsonBody;
import herald.kernel.Names;
import herald.kernel.SoftDelete;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A trigger: a {@code filter} over events, when it applies ({@code on}: created, updated or both), whether it is
 * active, and one action: {@code webhook} (POST the event to {@code url}, signed, up to {@code max_attempts}
 * attempts, with its {@link RetryPolicy} and {@link DeliveryRules}), {@code notify} (a WebSocket message to the connections of the users named by {@code user_property}
 * of the event, or {@code users}) or {@code script} (run the event script named {@code script}). A deleted
 * trigger keeps its record with {@code deletedAt} until it is purged.
 */
public record Trigger(String name, JsonNode filter, String pattern, On on, boolean active, ObjectNode action,
        Instant createdAt, Instant updatedAt, String updatedBy, Instant deletedAt) {

    /** Which changes of an event a trigger looks at. */
    public enum On {
        CREATED, UPDATED, BOTH;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public boolean accepts(boolean created) {
            return this == BOTH || (this == CREATED) == created;
        }
    }

    /** What a trigger's body may hold; {@code start} (creation only) asks for a replay, see TriggerAdmin. */
    static final Set<String> FIELDS = Set.of("name", "filter", "on", "is_active", "isActive", "action", "start");
    static final int DEFAULT_ATTEMPTS = 8;

    public String actionType() {
        return action.path("type").asText();
    }

    /** A trigger from a request body; {@code previous} is the trigger a PATCH changes (null to create). */
    static Trigger from(JsonBody body, String pathName, Trigger previous, Instant now, String user) {
        body.requireKnownFields(FIELDS, "a trigger has name, filter, on, is_active and action (and start, when it is created)");
        String name = body.string("name").orElse(pathName);
        if (name == null) {
            throw new InvalidRequestException("Field 'name' is required");
        }
        if (pathName != null && !name.equals(pathName)) {
            throw new InvalidRequestException("The name in the body ('" + name + "') differs from the path's ('"
                    + pathName + "'); a trigger cannot be renamed");
        }
        Names.requireName("trigger name", name);
        JsonNode filter = body.value("filter").orElse(previous == null ? null : previous.filter());
        if (filter == null) {
            throw new InvalidRequestException("Field 'filter' is required, e.g. {\"event\": \"resource.ResourceCreated\"}");
        }
        String pattern = TriggerFilter.toPattern(filter);
        On on = body.string("on").map(Trigger::on).orElse(previous == null ? On.CREATED : previous.on());
        if (on == On.CREATED && TriggerFilter.readsPrevious(filter)) {
            throw new InvalidRequestException("The filter reads 'old' or 'changed', which only a change has: a trigger "
                    + "on created events never sees them; set \"on\" to \"updated\" or \"both\"");
        }
        boolean active = body.bool("isActive").orElse(previous == null || previous.active());
        ObjectNode action = body.value("action").map(Trigger::action).orElse(previous == null ? null : previous.action());
        if (action == null) {
            throw new InvalidRequestException("Field 'action' is required: {\"type\": \"webhook\", \"url\": ...}, "
                    + "{\"type\": \"notify\", \"user_property\": ...} or {\"type\": \"script\", \"script\": ...}");
        }
        return new Trigger(name, filter, pattern, on, active, action, previous == null ? now : previous.createdAt(),
                now, user, null);
    }

    private static On on(String value) {
        for (On on : On.values()) {
            if (on.wireName().equals(value)) {
                return on;
            }
        }
        throw new InvalidRequestException("Field 'on' must be created, updated or both, not '" + value + "'");
    }

    private static ObjectNode action(JsonNode value) {
        if (!value.isObject()) {
            throw new InvalidRequestException("Field 'action' must be an object with a 'type'");
        }
        ObjectNode action = ((ObjectNode) value).deepCopy();
        switch (action.path("type").asText()) {
            case "webhook":
                String url = action.path("url").asText("");
                WebhookUrls.requireWellFormed(url);
                int attempts = action.path("max_attempts").asInt(DEFAULT_ATTEMPTS);
                if (!action.path("max_attempts").isMissingNode() && !action.get("max_attempts").canConvertToInt()
                        || attempts < 1 || attempts > 20) {
                    throw new InvalidRequestException("action.max_attempts must be a whole number from 1 to 20");
                }
                action.put("max_attempts", attempts);
                if (action.has("retry")) {
                    RetryPolicy.validate(action.get("retry"));
                }
                DeliveryRules.validate(action);
                only(action, "type", "url", "max_attempts", "retry", "max_in_flight", "rate_per_second", "order_by",
                        "disable_after");
                break;
            case "notify":
                boolean byProperty = action.hasNonNull("user_property");
                boolean byList = action.hasNonNull("users");
                if (byProperty == byList) {
                    throw new InvalidRequestException("A notify action names its users either by 'user_property' (a "
                            + "dotted path in the event, e.g. payload.user.id) or by 'users' (a list of names)");
                }
                if (byProperty && !action.get("user_property").asText().matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z0-9_]+)*")) {
                    throw new InvalidRequestException("action.user_property must be a dotted path such as payload.user.id");
                }
                if (byList) {
                    List<String> users = new ArrayList<>();
                    action.get("users").forEach(u -> users.add(u.asText(null)));
                    if (!action.get("users").isArray() || users.isEmpty() || users.stream().anyMatch(u -> !Names.isName(u))) {
                        throw new InvalidRequestException("action.users must be a non-empty list of user names");
                    }
                }
                if (action.has("message") && !action.get("message").isTextual()) {
                    throw new InvalidRequestException("action.message must be a string");
                }
                only(action, "type", "user_property", "users", "message");
                break;
            case "script":
                if (!action.path("script").isTextual() || action.get("script").asText().isBlank()) {
                    throw new InvalidRequestException("A script action names its event script: {\"type\": \"script\", "
                            + "\"script\": \"trigger.audit.run.queued\"}");
                }
                only(action, "type", "script");
                break;
            default:
                throw new InvalidRequestException("action.type must be webhook, notify or script, not '"
                        + action.path("type").asText() + "'");
        }
        return action;
    }

    private static void only(ObjectNode action, String... allowed) {
        Set<String> known = Set.of(allowed);
        action.fieldNames().forEachRemaining(field -> {
            if (!known.contains(field)) {
                throw new InvalidRequestException("Unknown field action." + field + " for a " + action.get("type").asText()
                        + " action; it takes " + known);
            }
        });
    }

    public Trigger deleted(Instant at) {
        return new Trigger(name, filter, pattern, on, active, action, createdAt, at, updatedBy, at);
    }

    public Trigger restored(Instant at, String user) {
        return new Trigger(name, filter, pattern, on, active, action, createdAt, at, user, null);
    }

    public ObjectNode toJson() {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("name", name);
        json.set("filter", filter);
        json.put("on", on.wireName());
        json.put("is_active", active);
        json.set("action", action);
        SoftDelete.putDates(json, createdAt, updatedAt, updatedBy, deletedAt);
        return json;
    }
}
