package herald.enroll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.events.Event;
import herald.events.EventStatus;
import herald.kernel.InvalidRequestException;
import herald.kernel.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SourceFilterTest {

    private static final Event EVENT = event();

    private static Event event() {
        ObjectNode summary = (ObjectNode) Json.readStored("{\"entityId\":\"e-1\",\"count\":5,\"tags\":[\"a\",\"b\"],"
                + "\"flag\":true,\"empty\":[]}");
        ObjectNode payload = (ObjectNode) Json.readStored("{\"newValue\":\"Approved\",\"oldValue\":null,"
                + "\"nested\":{\"n\":2.5},\"ids\":[1,2,3]}");
        Instant at = Instant.parse("2026-11-20T10:00:00Z");
        return new Event("0123456789abcdef0123456789abcdef", "h", "entity.task.status_changed", "svc", "api",
                "proj", "admin", null, EventStatus.FINISHED, 1, "Status changed", summary, payload, at, at, null, null,
                null);
    }

    private static boolean matches(String condition) {
        return SourceFilter.parse(Json.readStored("{\"conditions\":[" + condition + "]}")).matches(EVENT);
    }

    /** Each operator, true and false, on top-level fields and JSON paths, with Ayon's null semantics. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "{\"key\":\"payload/newValue\",\"value\":\"Approved\"}|true",
        "{\"key\":\"payload.newValue\",\"value\":\"Rejected\",\"operator\":\"eq\"}|false",
        "{\"key\":\"topic\",\"value\":\"entity.task.status_changed\"}|true",
        "{\"key\":\"summary/flag\",\"value\":true}|true",
        "{\"key\":\"summary/missing\",\"value\":false}|true",
        "{\"key\":\"summary/count\",\"value\":5.0}|true",
        "{\"key\":\"summary/count\",\"value\":\"5\"}|false",
        "{\"key\":\"payload/newValue\",\"value\":\"approv%\",\"operator\":\"like\"}|true",
        "{\"key\":\"description\",\"value\":\"status_ch_nged\",\"operator\":\"like\"}|true",
        "{\"key\":\"payload/newValue\",\"value\":\"App\",\"operator\":\"like\"}|false",
        "{\"key\":\"retries\",\"value\":2,\"operator\":\"lt\"}|true",
        "{\"key\":\"retries\",\"value\":1,\"operator\":\"lt\"}|false",
        "{\"key\":\"summary/count\",\"value\":4,\"operator\":\"gt\"}|true",
        "{\"key\":\"payload/nested/n\",\"value\":2.5,\"operator\":\"lte\"}|true",
        "{\"key\":\"createdAt\",\"value\":\"2026-11-01\",\"operator\":\"gte\"}|true",
        "{\"key\":\"createdAt\",\"value\":\"2026-12-01\",\"operator\":\"gte\"}|false",
        "{\"key\":\"summary/missing\",\"value\":1,\"operator\":\"gt\"}|false",
        "{\"key\":\"payload/newValue\",\"value\":\"Rejected\",\"operator\":\"ne\"}|true",
        "{\"key\":\"payload/oldValue\",\"value\":\"x\",\"operator\":\"ne\"}|true",
        "{\"key\":\"payload/newValue\",\"value\":\"Approved\",\"operator\":\"ne\"}|false",
        "{\"key\":\"payload/oldValue\",\"operator\":\"isnull\"}|true",
        "{\"key\":\"dependsOn\",\"operator\":\"isnull\"}|true",
        "{\"key\":\"project\",\"operator\":\"notnull\"}|true",
        "{\"key\":\"payload/missing\",\"operator\":\"notnull\"}|false",
        "{\"key\":\"payload/newValue\",\"value\":[\"Approved\",\"Done\"],\"operator\":\"in\"}|true",
        "{\"key\":\"status\",\"value\":[\"pending\"],\"operator\":\"in\"}|false",
        "{\"key\":\"payload/newValue\",\"value\":[],\"operator\":\"in\"}|false",
        "{\"key\":\"payload/newValue\",\"value\":[\"Done\"],\"operator\":\"notin\"}|true",
        "{\"key\":\"payload/missing\",\"value\":[\"Done\"],\"operator\":\"notin\"}|true",
        "{\"key\":\"payload/newValue\",\"value\":[\"Approved\"],\"operator\":\"not_in\"}|false",
        "{\"key\":\"summary/tags\",\"value\":\"a\",\"operator\":\"includes\"}|true",
        "{\"key\":\"summary/tags\",\"value\":\"z\",\"operator\":\"includes\"}|false",
        "{\"key\":\"summary/tags\",\"value\":\"z\",\"operator\":\"excludes\"}|true",
        "{\"key\":\"summary/missing\",\"value\":\"z\",\"operator\":\"excludes\"}|true",
        "{\"key\":\"summary/tags\",\"value\":\"a\",\"operator\":\"excludes\"}|false",
        "{\"key\":\"payload/ids\",\"value\":[1,3],\"operator\":\"includesall\"}|true",
        "{\"key\":\"payload/ids\",\"value\":[1,4],\"operator\":\"includes-all\"}|false",
        "{\"key\":\"payload/ids\",\"value\":[1,4],\"operator\":\"excludesall\"}|true",
        "{\"key\":\"payload/ids\",\"value\":[1,2],\"operator\":\"excludesall\"}|false",
        "{\"key\":\"summary/tags\",\"value\":[\"z\",\"b\"],\"operator\":\"includesany\"}|true",
        "{\"key\":\"summary/tags\",\"value\":[\"y\",\"z\"],\"operator\":\"includesany\"}|false",
        "{\"key\":\"summary/tags\",\"value\":[\"y\",\"z\"],\"operator\":\"excludesany\"}|true",
        "{\"key\":\"summary/tags\",\"value\":[\"a\",\"z\"],\"operator\":\"EXCLUDESANY\"}|false",
        "{\"key\":\"summary/empty\",\"value\":[]}|true",
        "{\"key\":\"summary/tags\",\"value\":[],\"operator\":\"ne\"}|true",
        "{\"key\":\"sender_type\",\"value\":\"api\"}|true",
        "{\"key\":\"user\",\"value\":\"admin\"}|true"})
    void operatorsBehaveAsAyonsSql(String condition, boolean expected) {
        assertThat(matches(condition)).isEqualTo(expected);
    }

    @Test
    void nestsAndAndOr() {
        String filter = "{\"operator\":\"or\",\"conditions\":["
                + "{\"key\":\"payload/newValue\",\"value\":\"Rejected\"},"
                + "{\"operator\":\"and\",\"conditions\":[{\"key\":\"summary/count\",\"value\":5},"
                + "{\"key\":\"project\",\"value\":\"proj\"}]}]}";
        assertThat(SourceFilter.parse(Json.readStored(filter)).matches(EVENT)).isTrue();
        String none = "{\"operator\":\"or\",\"conditions\":[{\"key\":\"payload/newValue\",\"value\":\"Rejected\"},"
                + "{\"key\":\"project\",\"value\":\"other\"}]}";
        assertThat(SourceFilter.parse(Json.readStored(none)).matches(EVENT)).isFalse();
        assertThat(SourceFilter.parse(Json.readStored("{\"conditions\":[]}")).matches(EVENT)).isTrue();
        assertThat(SourceFilter.all().matches(EVENT)).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"conditions\":[{\"key\":\"payload/x\",\"value\":1,\"operator\":\"contains\"}]}|unknown operator 'contains'",
        "{\"conditions\":[{\"key\":\"payload/x\",\"value\":1,\"operator\":\"in\"}]}|needs a list value",
        "{\"conditions\":[{\"key\":\"payload/x\"}]}|needs a value for operator 'eq'",
        "{\"conditions\":[{\"value\":1}]}|needs a 'key' string",
        "{\"conditions\":[{\"key\":\"pay load\",\"value\":1}]}|has an invalid element",
        "{\"conditions\":[{\"key\":\"nothing/x\",\"value\":1}]}|does not start with an event field",
        "{\"conditions\":[{\"key\":\"topic/x\",\"value\":1}]}|is not a JSON field",
        "{\"conditions\":[{\"key\":\"topic\",\"value\":{\"a\":1}}]}|a value is a string, number",
        "{\"conditions\":[{\"key\":\"topic\",\"value\":[\"a\",1]}]}|a value is a string, number",
        "{\"conditions\":\"x\"}|conditions must be a list",
        "{\"conditions\":[],\"operator\":\"xor\"}|must be 'and' or 'or'",
        "[1]|must be an object"})
    void aMalformedFilterIsABadRequestThatNamesTheProblem(String filter, String detail) {
        assertThatThrownBy(() -> SourceFilter.parse(Json.readStored(filter)))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("Invalid filter: ")
                .hasMessageContaining(detail);
    }
}
