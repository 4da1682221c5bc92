package herald.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.kernel.InvalidRequestException;
import herald.kernel.JsonBody;
import herald.kernel.Names;

/**
 * The body of {@code POST /api/events}, validated. Optional text fields are {@code null} when absent; the
 * defaults of the contract ({@code finished}, {@code store} true, {@code reuse} false, empty {@code summary}
 * and {@code payload}) are applied here. A {@code user} field is ignored, as in Ayon: the user is the caller.
 */
public record DispatchRequest(
        String topic,
        String sender,
        String hash,
        String project,
        String dependsOn,
        String description,
        ObjectNode summary,
        ObjectNode payload,
        boolean finished,
        boolean store,
        boolean reuse) {

    /** Hashes are DynamoDB keys (at most 2,048 bytes); this bound keeps every hash well inside that. */
    public static final int MAX_HASH_LENGTH = 512;

    public static DispatchRequest from(JsonBody body) {
        String topic = body.string("topic")
                .orElseThrow(() -> new InvalidRequestException("Field 'topic' is required, e.g. \"topic\": \"my.topic\""));
        Names.requireConcreteTopic("topic", topic);
        String hash = body.string("hash").filter(h -> !h.isEmpty()).orElse(null);
        if (hash != null && hash.length() > MAX_HASH_LENGTH) {
            throw new InvalidRequestException("Field 'hash' is " + hash.length() + " characters long; the limit is "
                    + MAX_HASH_LENGTH + " (send a digest of your key, e.g. SHA-256 hex)");
        }
        String project = body.string("project").orElse(null);
        if (project != null) {
            Names.requireName("project", project);
        }
        String dependsOn = body.string("dependsOn").orElse(null);
        if (dependsOn != null) {
            EventIds.require("Field 'dependsOn'", dependsOn);
        }
        return new DispatchRequest(
                topic,
                body.string("sender").orElse(null),
                hash,
                project,
                dependsOn,
                body.string("description").orElse(null),
                body.object("summary").orElseGet(herald.kernel.Json.MAPPER::createObjectNode),
                body.object("payload").orElseGet(herald.kernel.Json.MAPPER::createObjectNode),
                body.bool("finished").orElse(true),
                body.bool("store").orElse(true),
                body.bool("reuse").orElse(false));
    }
}
