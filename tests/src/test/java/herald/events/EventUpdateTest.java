package herald.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import herald.kernel.InvalidRequestException;
import herald.kernel.JsonBody;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventUpdateTest {

    private static EventUpdate parse(String json) {
        return EventUpdate.from(JsonBody.parse(json));
    }

    @Test
    void absentAndNullFieldsAreLeftAlone() {
        assertThat(parse("{\"status\":null}")).isEqualTo(new EventUpdate(null, null, null, null, null, null, null, null, null));
    }

    @Test
    void readsEveryField() {
        EventUpdate update = parse("{\"sender\":\"w\",\"project\":\"p\",\"user\":\"u\",\"status\":\"in_progress\","
                + "\"description\":\"d\",\"summary\":{},\"payload\":{},\"progress\":42.5,\"retries\":2}");
        assertThat(update.status()).isEqualTo(EventStatus.IN_PROGRESS);
        assertThat(update.progress()).isEqualTo(42.5);
        assertThat(update.retries()).isEqualTo(2);
        assertThat(update.project()).isEqualTo("p");
    }

    @Test
    void theDeprecatedProjectNameWins() {
        assertThat(parse("{\"project\":\"a\",\"projectName\":\"b\"}").project()).isEqualTo("b");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-0.1", "100.01", "1000"})
    void progressOutsideZeroToHundredIsRefused(String progress) {
        assertThatThrownBy(() -> parse("{\"progress\":" + progress + "}"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("Field 'progress' must be between 0 and 100");
    }

    @Test
    void progressAtTheBoundsIsAccepted() {
        assertThat(parse("{\"progress\":0}").progress()).isZero();
        assertThat(parse("{\"progress\":100}").progress()).isEqualTo(100.0);
    }

    @Test
    void refusesUnknownStatusesAndNegativeRetries() {
        assertThatThrownBy(() -> parse("{\"status\":\"done\"}"))
                .hasMessage("Unknown status 'done'; use one of pending, in_progress, finished, failed, aborted, restarted");
        assertThatThrownBy(() -> parse("{\"retries\":-1}")).hasMessage("Field 'retries' must not be negative, got -1");
        assertThatThrownBy(() -> parse("{\"user\":\"a b\"}")).hasMessageStartingWith("Invalid user 'a b'");
    }
}
