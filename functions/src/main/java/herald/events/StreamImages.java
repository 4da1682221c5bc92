package herald.events;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** A DynamoDB stream image, as Lambda delivers it, as the SDK item {@link EventItems} reads: strings and numbers. */
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

    public static Map<String, AttributeValue> toItem(
            Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> image) {
        Map<String, AttributeValue> item = new HashMap<>();
        image.forEach((name, value) -> {
            if (value.getS() != null) {
                item.put(name, AttributeValue.fromS(value.getS()));
            } else if (value.getN() != null) {
                item.put(name, AttributeValue.fromN(value.getN()));
            }
        });
        return item;
    }
}
