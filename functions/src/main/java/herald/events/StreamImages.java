package herald.events;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A DynamoDB stream image, as Lambda delivers it, as the SDK item {@link EventItems} reads: strings, numbers, string
 * sets and lists of strings (what an event item holds). Nothing is dropped silently: an attribute of another type
 * fails the conversion, since leaving out, say, the projects a caller was limited to would widen its rights.
 */
public final class StreamImages {

    private StreamImages() {
    }

    /**
     * The event a stream record shows created or changed; empty for a removal, or for a record that is not an event's
     * (no {@code createdKey}).
     */
    public static java.util.Optional<Event> changedEvent(
            com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord record) {
        var image = record.getDynamodb().getNewImage();
        if ("REMOVE".equals(record.getEventName()) || image == null || !image.containsKey(EventsTable.CREATED_KEY)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(EventItems.fromItem(toItem(image)));
    }

    /** The event as it was before the change a stream record shows; empty for a creation or a record of no event. */
    public static java.util.Optional<Event> previousEvent(
            com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord record) {
        var image = record.getDynamodb().getOldImage();
        if (!"MODIFY".equals(record.getEventName()) || image == null || !image.containsKey(EventsTable.CREATED_KEY)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(EventItems.fromItem(toItem(image)));
    }

    public static Map<String, AttributeValue> toItem(
            Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> image) {
        Map<String, AttributeValue> item = new HashMap<>();
        image.forEach((name, value) -> item.put(name, convert(name, value)));
        return item;
    }

    private static AttributeValue convert(String name,
            com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue value) {
        if (value.getS() != null) {
            return AttributeValue.fromS(value.getS());
        } else if (value.getN() != null) {
            return AttributeValue.fromN(value.getN());
        } else if (value.getSS() != null) {
            return AttributeValue.fromSs(value.getSS());
        } else if (value.getL() != null) {
            return AttributeValue.fromL(value.getL().stream().map(element -> convert(name, element)).toList());
        } else if (value.getBOOL() != null) {
            return AttributeValue.fromBool(value.getBOOL());
        }
        throw new IllegalArgumentException("Stream image attribute " + name + " has a type events do not hold");
    }
}
