package herald.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FlagsTest {

    @ParameterizedTest
    @ValueSource(strings = {"true", "TRUE", "True", "1", " true "})
    void readsTrueInAnyCase(String value) {
        assertThat(Flags.parse("Query parameter 'purge'", value)).contains(true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "FALSE", "False", "0"})
    void readsFalseInAnyCase(String value) {
        assertThat(Flags.parse("Query parameter 'purge'", value)).contains(false);
    }

    @Test
    void absentOrEmptyIsEmpty() {
        assertThat(Flags.parse("Query parameter 'purge'", null)).isEmpty();
        assertThat(Flags.parse("Query parameter 'purge'", "")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "no", "on", "2", "truee"})
    void anythingElseIsRefusedNamingTheParameter(String value) {
        assertThatThrownBy(() -> Flags.parse("Query parameter 'refresh'", value))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("'refresh'")
                .hasMessageContaining("true or false");
    }
}
