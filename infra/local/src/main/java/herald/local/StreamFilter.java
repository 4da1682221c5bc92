package herald.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.event.ruler.Machine;

/**
 * Lambda's event filtering for a stream mapping ({@code FilterCriteria.Filters[].Pattern}): a record is delivered
 * only if it matches one of the patterns, matched against the record's JSON as Lambda sees it
 * ({@code eventName}, {@code dynamodb.NewImage.topic.S}, ...). Lambda's filter language is event-ruler's, so this
 * uses event-ruler itself. Without filters every record matches.
 *
 * <p>Thread-safe after construction (event-ruler's {@link Machine} is safe for concurrent matching).
 */
final class StreamFilter {

    private static final ObjectMapper JSON = LocalJson.MAPPER;

    private final Machine machine;

    private StreamFilter(Machine machine) {
        this.machine = machine;
    }

    static StreamFilter of(String where, List<String> patterns) {
        if (patterns.isEmpty()) {
            return new StreamFilter(null);
        }
        Machine machine = new Machine();
        for (int i = 0; i < patterns.size(); i++) {
            try {
                machine.addRule("filter-" + i, patterns.get(i));
            } catch (Exception e) {
                throw new IllegalArgumentException(where + ": FilterCriteria pattern " + (i + 1) + " is not a valid "
                        + "filter pattern (" + e.getMessage() + "): " + patterns.get(i), e);
            }
        }
        return new StreamFilter(machine);
    }

    boolean matches(Record record) {
        if (machine == null) {
            return true;
        }
        try {
            return !machine.rulesForJSONEvent(json(record)).isEmpty();
        } catch (Exception e) {
            throw new IllegalStateException("Could not match stream record " + record.eventID(), e);
        }
    }

    /** The record as Lambda's filter sees it: the Records[] entry of the event, with DynamoDB JSON images. */
    static String json(Record record) {
        ObjectNode json = JSON.createObjectNode();
        json.put("eventID", record.eventID());
        json.put("eventName", record.eventNameAsString());
        json.put("eventVersion", record.eventVersion());
        json.put("eventSource", "aws:dynamodb");
        json.put("awsRegion", Intrinsics.REGION);
        ObjectNode dynamodb = json.putObject("dynamodb");
        var stream = record.dynamodb();
        image(dynamodb, "Keys", stream.keys());
        image(dynamodb, "NewImage", stream.newImage());
        image(dynamodb, "OldImage", stream.oldImage());
        dynamodb.put("SequenceNumber", stream.sequenceNumber());
        if (stream.sizeBytes() != null) {
            dynamodb.put("SizeBytes", stream.sizeBytes());
        }
        dynamodb.put("StreamViewType", stream.streamViewTypeAsString());
        return json.toString();
    }

    private static void image(ObjectNode parent, String name, Map<String, AttributeValue> image) {
        if (image == null || image.isEmpty()) {
            return;
        }
        ObjectNode node = parent.putObject(name);
        image.forEach((attribute, value) -> node.set(attribute, value(value)));
    }

    private static ObjectNode value(AttributeValue value) {
        ObjectNode node = JSON.createObjectNode();
        if (value.s() != null) {
            node.put("S", value.s());
        } else if (value.n() != null) {
            node.put("N", value.n());
        } else if (value.bool() != null) {
            node.put("BOOL", value.bool());
        } else if (Boolean.TRUE.equals(value.nul())) {
            node.put("NULL", true);
        } else if (value.b() != null) {
            node.put("B", java.util.Base64.getEncoder().encodeToString(value.b().asByteArray()));
        } else if (value.hasM()) {
            ObjectNode map = node.putObject("M");
            value.m().forEach((k, v) -> map.set(k, value(v)));
        } else if (value.hasL()) {
            ArrayNode list = node.putArray("L");
            value.l().forEach(v -> list.add(value(v)));
        } else if (value.hasSs()) {
            ArrayNode list = node.putArray("SS");
            value.ss().forEach(list::add);
        } else if (value.hasNs()) {
            ArrayNode list = node.putArray("NS");
            value.ns().forEach(list::add);
        }
        return node;
    }
}
