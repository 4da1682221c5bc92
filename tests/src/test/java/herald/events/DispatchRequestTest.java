package herald.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import herald.kernel.InvalidRequestException;
import herald.kernel.JsonBody;
import org.junit.jupiter.api.Test;

class DispatchRequestTest {

    private static DispatchRequest parse(String json) {
        return DispatchRequest.from(JsonBody.parse(json));
    }

    @Test
    void appliesTheContractsDefaults() {
        DispatchRequest request = parse("{\"topic\":\"my.topic\"}");
        assertThat(request.finished()).isTrue();
        assertThat(request.store()).isTrue();
        assertThat(request.reuse()).isFalse();
        assertThat(request.summary()).isEmpty();
        assertThat(request.payload()).isEmpty();
        assertThat(request.hash()).isNull();
        assertThat(request.description()).isNull();
    }

    @Test
    void readsEveryField() {
        DispatchRequest request = parse("{\"topic\":\"my.topic\",\"sender\":\"s\",\"hash\":\"h\",\"project\":\"p1\","
                + "\"depends_on\":\"0123456789abcdef0123456789abcdef\",\"description\":\"d\",\"summary\":{\"a\":1},"
                + "\"payload\":{\"b\":2},\"finished\":false,\"store\":false,\"reuse\":true,\"user\":\"ignored\"}");
        assertThat(request).isEqualTo(new DispatchRequest("my.topic", "s", "h", "p1",
                "0123456789abcdef0123456789abcdef", "d", request.summary(), request.payload(), false, false, true));
        assertThat(request.summary().get("a").intValue()).isEqualTo(1);
        assertThat(request.payload().get("b").intValue()).isEqualTo(2);
    }

    @Test
    void anEmptyHashMeansNoHash() {
        assertThat(parse("{\"topic\":\"my.topic\",\"hash\":\"\"}").hash()).isNull();
    }

    @Test
    void refusesWhatCannotBeStored() {
        assertThatThrownBy(() -> parse("{}")).isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("Field 'topic' is required");
        assertThatThrownBy(() -> parse("{\"topic\":\"x y\"}")).hasMessageStartingWith("Invalid topic 'x y'");
        assertThatThrownBy(() -> parse("{\"topic\":\"a.*\"}")).hasMessageContaining("must not contain the wildcard");
        assertThatThrownBy(() -> parse("{\"topic\":\"my.topic\",\"project\":\"no spaces\"}"))
                .hasMessageStartingWith("Invalid project 'no spaces'");
        assertThatThrownBy(() -> parse("{\"topic\":\"my.topic\",\"dependsOn\":\"abc\"}"))
                .hasMessageStartingWith("Field 'dependsOn' must be 32 lower-case hex characters");
        assertThatThrownBy(() -> parse("{\"topic\":\"my.topic\",\"hash\":\"" + "h".repeat(513) + "\"}"))
                .hasMessageStartingWith("Field 'hash' is 513 characters long; the limit is 512");
        assertThatThrownBy(() -> parse("{\"topic\":\"my.topic\",\"payload\":\"text\"}"))
                .hasMessage("Field 'payload' must be a JSON object, not a string");
    }
}
