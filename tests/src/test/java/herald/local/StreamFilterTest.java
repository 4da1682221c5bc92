package herald.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

class StreamFilterTest {

    private static final String QUEUED = "{\"eventName\": [\"INSERT\"], \"dynamodb\": {\"NewImage\": {\"topic\": {\"S\": [\"script.queued\"]}}}}";

    private static Record record(String eventName, String topic) {
        return Record.builder().eventID("1").eventName(eventName).eventVersion("1.1")
                .dynamodb(StreamRecord.builder().sequenceNumber("100").sizeBytes(10L).streamViewType("NEW_AND_OLD_IMAGES")
                        .keys(Map.of("id", AttributeValue.fromS("a")))
                        .newImage(Map.of("id", AttributeValue.fromS("a"), "topic", AttributeValue.fromS(topic),
                                "retries", AttributeValue.fromN("0")))
                        .build())
                .build();
    }

    @Test
    void onlyRecordsAPatternMatchesAreDelivered() {
        StreamFilter filter = StreamFilter.of("test", List.of(QUEUED));
        assertThat(filter.matches(record("INSERT", "script.queued"))).isTrue();
        assertThat(filter.matches(record("MODIFY", "script.queued"))).isFalse();
        assertThat(filter.matches(record("INSERT", "entity.task.created"))).isFalse();
    }

    @Test
    void anyOfSeveralPatternsIsEnoughAndNoneMeansEverything() {
        StreamFilter filter = StreamFilter.of("test", List.of(QUEUED,
                "{\"dynamodb\": {\"NewImage\": {\"topic\": {\"S\": [{\"prefix\": \"entity.\"}]}}}}"));
        assertThat(filter.matches(record("MODIFY", "entity.task.created"))).isTrue();
        assertThat(StreamFilter.of("test", List.of()).matches(record("REMOVE", "x"))).isTrue();
    }

    @Test
    void anInvalidPatternStopsTheStartWithWhere() {
        assertThatThrownBy(() -> StreamFilter.of("ReactionsFunction.Events.EventChanges", List.of("{\"eventName\": \"INSERT\"}")))
                .hasMessageStartingWith("ReactionsFunction.Events.EventChanges: FilterCriteria pattern 1 is not a valid");
    }
}
