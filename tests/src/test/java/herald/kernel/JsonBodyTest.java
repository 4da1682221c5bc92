package herald.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonBodyTest {

    @Test
    void readsCamelCaseOrSnakeCase() {
        assertThat(JsonBody.parse("{\"dependsOn\":\"a\"}").string("dependsOn")).contains("a");
        assertThat(JsonBody.parse("{\"depends_on\":\"b\"}").string("dependsOn")).contains("b");
        assertThat(JsonBody.snakeCase("ignoreOlderThan")).isEqualTo("ignore_older_than");
    }

    @Test
    void nullIsAbsentAndUnknownFieldsAreIgnored() {
        JsonBody body = JsonBody.parse("{\"sender\":null,\"whatever\":[1,2]}");
        assertThat(body.string("sender")).isEmpty();
        assertThat(body.string("missing")).isEmpty();
    }

    @Test
    void aWrongTypeNamesTheFieldAndTheTypeItNeeds() {
        JsonBody body = JsonBody.parse("{\"finished\":\"yes\",\"retries\":1.5,\"summary\":[],\"topic\":7,\"progress\":\"x\"}");
        assertThatThrownBy(() -> body.bool("finished"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Field 'finished' must be true or false, not a string");
        assertThatThrownBy(() -> body.integer("retries")).hasMessage("Field 'retries' must be a whole number, not a number");
        assertThatThrownBy(() -> body.object("summary")).hasMessage("Field 'summary' must be a JSON object, not a list");
        assertThatThrownBy(() -> body.string("topic")).hasMessage("Field 'topic' must be a string, not a number");
        assertThatThrownBy(() -> body.number("progress")).hasMessage("Field 'progress' must be a number, not a string");
    }

    @Test
    void integersOutsideIntRangeAreRefused() {
        assertThatThrownBy(() -> JsonBody.parse("{\"retries\":99999999999}").integer("retries"))
                .hasMessageContaining("must be a whole number");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "{", "{\"a\":1}}", "{\"a\":1} x", "nul"})
    void malformedJsonIsABadRequest(String text) {
        assertThatThrownBy(() -> JsonBody.parse(text))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageMatching("The request body (is empty|is not valid JSON).*");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"text\"", "42", "null", "true"})
    void aBodyMustBeAnObject(String text) {
        assertThatThrownBy(() -> JsonBody.parse(text)).hasMessageStartingWith("The request body must be a JSON object");
    }

    @Test
    void deepNestingIsRefusedNotAStackOverflow() {
        String deep = "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertThatThrownBy(() -> JsonBody.parse(deep))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("nested more than 64 levels deep");
    }

    @Test
    void theParsersOwnNamesNeverReachTheCaller() {
        for (String bad : new String[] {"{\"a\":1} {\"b\":2}", "{\"a\":", "{\"a\" 1}", "{'a':1}", "{\"a\":tru}"}) {
            assertThatThrownBy(() -> JsonBody.parse(bad))
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessageStartingWith("The request body is not valid JSON")
                    .hasMessageNotContaining("jackson").hasMessageNotContaining("com.fasterxml")
                    .hasMessageNotContaining("JsonNode").hasMessageNotContaining("DeserializationFeature")
                    .hasMessageNotContaining("`");
        }
        assertThatThrownBy(() -> JsonBody.parse("{\"a\":1} {\"b\":2}")).hasMessageContaining("more after its JSON value");
    }
}
