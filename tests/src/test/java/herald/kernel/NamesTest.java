package herald.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"abc", "entity.task.created", "log.info", "A_b.c", "x.*", "a23456789012345678901234567890123456789012345678901234567890123"})
    void acceptsAyonTopics(String topic) {
        assertThat(Names.isTopic(topic)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ab", "1abc", ".abc", "abc-def", "abc def", "ab/c", "tøpic",
        "a234567890123456789012345678901234567890123456789012345678901234567"})
    void refusesOtherTopics(String topic) {
        assertThat(Names.isTopic(topic)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "my_project", "Project-1", "v1.2_x", "_x_"})
    void acceptsNames(String name) {
        assertThat(Names.isName(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-a", "a-", "a.", "a b", "a/b", "ä"})
    void refusesOtherNames(String name) {
        assertThat(Names.isName(name)).isFalse();
    }

    @org.junit.jupiter.api.Test
    void boundsNameLengthSoItFitsAKey() {
        assertThat(Names.isName("a".repeat(255))).isTrue();
        assertThat(Names.isName("a".repeat(256))).isFalse();
    }

    @org.junit.jupiter.api.Test
    void aDispatchedTopicMustNotBeAWildcard() {
        assertThatThrownBy(() -> Names.requireConcreteTopic("topic", "entity.*"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("must not contain the wildcard");
        assertThat(Names.requireConcreteTopic("topic", "entity.task")).isEqualTo("entity.task");
    }
}
