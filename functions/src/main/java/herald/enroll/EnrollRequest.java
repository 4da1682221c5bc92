package herald.enroll;

import com.fasterxml.jackson.databind.JsonNode;
import herald.kernel.InvalidRequestException;
import herald.kernel.Json;
import herald.kernel.JsonBody;
import herald.kernel.Names;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The body of {@code POST /api/enroll}, validated, with the contract's defaults: {@code sequential} false,
 * {@code maxRetries} 3, {@code ignoreOlderThan} 3 days (0: no limit). {@code sourceTopic} is a topic or a list of
 * topics, each of which may hold {@code *} wildcards (in a list too, unlike Ayon). {@code sender},
 * {@code senderType} and {@code description} are null when not given; the service applies their fallbacks.
 */
public record EnrollRequest(
        List<String> sourceTopics,
        String targetTopic,
        String sender,
        String senderType,
        String description,
        boolean sequential,
        SourceFilter filter,
        int maxRetries,
        List<String> ignoreSenderTypes,
        int ignoreOlderThanDays,
        Set<String> projects) {

    public static EnrollRequest from(JsonBody body) {
        JsonNode source = body.value("sourceTopic")
                .orElseThrow(() -> new InvalidRequestException("Field 'sourceTopic' is required: a topic, a pattern "
                        + "with '*', or a list of them"));
        List<String> sourceTopics = new ArrayList<>();
        if (source.isTextual()) {
            sourceTopics.add(source.textValue());
        } else if (source.isArray() && !source.isEmpty()) {
            for (JsonNode topic : source) {
                if (!topic.isTextual()) {
                    throw new InvalidRequestException("Field 'sourceTopic' must be a string or a list of strings");
                }
                sourceTopics.add(topic.textValue());
            }
        } else {
            throw new InvalidRequestException("Field 'sourceTopic' must be a topic or a non-empty list of topics");
        }
        sourceTopics.forEach(topic -> Names.requireTopic("source topic", topic));
        String targetTopic = body.string("targetTopic")
                .orElseThrow(() -> new InvalidRequestException("Field 'targetTopic' is required"));
        Names.requireTopic("target topic", targetTopic);
        if (targetTopic.contains("*")) {
            throw new InvalidRequestException("Target topic must not contain wildcards, got '" + targetTopic + "'");
        }
        int maxRetries = body.integer("maxRetries").orElse(3);
        int ignoreOlderThan = body.integer("ignoreOlderThan").orElse(3);
        if (maxRetries < 0 || ignoreOlderThan < 0) {
            throw new InvalidRequestException("Fields 'maxRetries' and 'ignoreOlderThan' must not be negative");
        }
        SourceFilter filter = body.value("filter").map(SourceFilter::parse).orElse(SourceFilter.all());
        return new EnrollRequest(
                List.copyOf(sourceTopics),
                targetTopic,
                body.string("sender").orElse(null),
                body.string("senderType").orElse(null),
                body.string("description").orElse(null),
                body.bool("sequential").orElse(false),
                filter,
                maxRetries,
                List.copyOf(body.strings("ignoreSenderTypes").orElse(List.of())),
                ignoreOlderThan,
                null);
    }

    /**
     * The same request from a worker whose key sees only {@code projects} (null: every project): it is handed only
     * sources of those projects or of none, and consumes a queue of its own, so the sources it may not see stay in
     * the queue of workers that may.
     */
    public EnrollRequest scopedTo(Set<String> projects) {
        return new EnrollRequest(sourceTopics, targetTopic, sender, senderType, description, sequential, filter,
                maxRetries, ignoreSenderTypes, ignoreOlderThanDays, projects == null ? null : Set.copyOf(projects));
    }

    /** Whether a worker of this request may be handed a source of this project. */
    public boolean mayTake(String project) {
        return projects == null || project == null || projects.contains(project);
    }

    /**
     * The queue this request consumes: its target, its sources, its filter and the sender types it ignores.
     * Workers that send the same definition share one cursor.
     */
    public String queueId() {
        var definition = Json.MAPPER.createArrayNode()
                .add(targetTopic)
                .add(String.join(",", new TreeSet<>(sourceTopics)))
                .add(filter.canonical())
                .add(String.join(",", new TreeSet<>(ignoreSenderTypes)));
        if (projects != null) {
            definition.add(String.join(",", new TreeSet<>(projects)));
        }
        return sha256(definition.toString());
    }

    /** The target's hash, as Ayon derives it: SHA-256 of the compact JSON {@code [targetTopic, sourceId]}. */
    public String targetHash(String sourceId) {
        return sha256(Json.MAPPER.createArrayNode().add(targetTopic).add(sourceId).toString());
    }

    public String defaultDescription() {
        return "Convert from " + String.join(", ", sourceTopics) + " to " + targetTopic;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
