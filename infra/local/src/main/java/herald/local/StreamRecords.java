package herald.local;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.Identity;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * Turns DynamoDB Streams records, as the SDK reads them, into the {@link DynamodbEvent} records Lambda hands a
 * stream-triggered function: keys, images, sequence number, size, view type, creation time and, for TTL
 * deletions, the service's user identity. (AWS's own transformer library only goes the other way.)
 */
final class StreamRecords {

    private StreamRecords() {
    }

    static DynamodbEvent event(List<Record> records, String streamArn) {
        DynamodbEvent event = new DynamodbEvent();
        List<DynamodbEvent.DynamodbStreamRecord> converted = new ArrayList<>();
        for (Record record : records) {
            converted.add(record(record, streamArn));
        }
        event.setRecords(converted);
        return event;
    }

    static DynamodbEvent.DynamodbStreamRecord record(Record record, String streamArn) {
        DynamodbEvent.DynamodbStreamRecord converted = new DynamodbEvent.DynamodbStreamRecord();
        converted.setEventID(record.eventID());
        converted.setEventName(record.eventNameAsString());
        converted.setEventVersion(record.eventVersion());
        converted.setEventSource("aws:dynamodb");
        converted.setAwsRegion(Intrinsics.REGION);
        converted.setEventSourceARN(streamArn);
        if (record.userIdentity() != null) {
            converted.setUserIdentity(new Identity()
                    .withPrincipalId(record.userIdentity().principalId())
                    .withType(record.userIdentity().type()));
        }
        var source = record.dynamodb();
        StreamRecord stream = new StreamRecord()
                .withSequenceNumber(source.sequenceNumber())
                .withSizeBytes(source.sizeBytes())
                .withStreamViewType(source.streamViewType() == null ? null
                        : com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType.fromValue(
                                source.streamViewTypeAsString()));
        if (source.approximateCreationDateTime() != null) {
            stream.setApproximateCreationDateTime(Date.from(source.approximateCreationDateTime()));
        }
        if (source.hasKeys()) {
            stream.setKeys(map(source.keys()));
        }
        if (source.hasNewImage()) {
            stream.setNewImage(map(source.newImage()));
        }
        if (source.hasOldImage()) {
            stream.setOldImage(map(source.oldImage()));
        }
        converted.setDynamodb(stream);
        return converted;
    }

    static Map<String, AttributeValue> map(Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item) {
        Map<String, AttributeValue> converted = new LinkedHashMap<>();
        item.forEach((name, value) -> converted.put(name, value(value)));
        return converted;
    }

    static AttributeValue value(software.amazon.awssdk.services.dynamodb.model.AttributeValue value) {
        AttributeValue converted = new AttributeValue();
        if (value.s() != null) {
            converted.setS(value.s());
        } else if (value.n() != null) {
            converted.setN(value.n());
        } else if (value.b() != null) {
            converted.setB(value.b().asByteBuffer());
        } else if (value.bool() != null) {
            converted.setBOOL(value.bool());
        } else if (Boolean.TRUE.equals(value.nul())) {
            converted.setNULL(true);
        } else if (value.hasSs()) {
            converted.setSS(value.ss());
        } else if (value.hasNs()) {
            converted.setNS(value.ns());
        } else if (value.hasBs()) {
            converted.setBS(value.bs().stream().map(b -> b.asByteBuffer()).toList());
        } else if (value.hasM()) {
            converted.setM(map(value.m()));
        } else if (value.hasL()) {
            converted.setL(value.l().stream().map(StreamRecords::value).toList());
        }
        return converted;
    }
}
