package herald.enroll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import herald.kernel.InvalidRequestException;
import herald.kernel.JsonBody;
import org.junit.jupiter.api.Test;

class EnrollRequestTest {

    private static EnrollRequest parse(String json) {
        return EnrollRequest.from(JsonBody.parse(json));
    }

    @Test
    void appliesTheContractsDefaults() {
        EnrollRequest request = parse("{\"sourceTopic\":\"a.b\",\"targetTopic\":\"c.d\"}");
        assertThat(request.sourceTopics()).containsExactly("a.b");
        assertThat(request.sequential()).isFalse();
        assertThat(request.maxRetries()).isEqualTo(3);
        assertThat(request.ignoreOlderThanDays()).isEqualTo(3);
        assertThat(request.ignoreSenderTypes()).isEmpty();
        assertThat(request.defaultDescription()).isEqualTo("Convert from a.b to c.d");
    }

    @Test
    void acceptsAListOfTopicsWithWildcards() {
        EnrollRequest request = parse("{\"source_topic\":[\"a.*\",\"b.c\"],\"target_topic\":\"c.d\",\"max_retries\":0,"
                + "\"ignore_older_than\":0,\"ignore_sender_types\":[\"sync\"],\"sequential\":true}");
        assertThat(request.sourceTopics()).containsExactly("a.*", "b.c");
        assertThat(request.ignoreSenderTypes()).containsExactly("sync");
        assertThat(request.sequential()).isTrue();
    }

    @Test
    void theTargetHashIsAyons() {
        // sha256 of the compact JSON ["ftrack.proc","69dd0000000000000000000000004f52"], as Ayon's hash_data.
        EnrollRequest request = parse("{\"sourceTopic\":\"a.b\",\"targetTopic\":\"ftrack.proc\"}");
        assertThat(request.targetHash("69dd0000000000000000000000004f52"))
                .isEqualTo(EnrollRequest.sha256("[\"ftrack.proc\",\"69dd0000000000000000000000004f52\"]"))
                .hasSize(64);
    }

    @Test
    void theQueueIsTheDefinitionNotTheWorker() {
        EnrollRequest a = parse("{\"sourceTopic\":[\"x.a\",\"x.b\"],\"targetTopic\":\"t.t\",\"sender\":\"one\"}");
        EnrollRequest b = parse("{\"sourceTopic\":[\"x.b\",\"x.a\"],\"targetTopic\":\"t.t\",\"sender\":\"two\",\"sequential\":true}");
        EnrollRequest c = parse("{\"sourceTopic\":[\"x.a\",\"x.b\"],\"targetTopic\":\"t.u\"}");
        assertThat(a.queueId()).isEqualTo(b.queueId()).isNotEqualTo(c.queueId());
    }

    @Test
    void refusesInvalidTopics() {
        assertThatThrownBy(() -> parse("{\"sourceTopic\":\"a.b\",\"targetTopic\":\"c.*\"}"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Target topic must not contain wildcards, got 'c.*'");
        assertThatThrownBy(() -> parse("{\"sourceTopic\":\"no way\",\"targetTopic\":\"c.d\"}"))
                .hasMessageStartingWith("Invalid source topic 'no way'");
        assertThatThrownBy(() -> parse("{\"sourceTopic\":[],\"targetTopic\":\"c.d\"}"))
                .hasMessageContaining("non-empty list");
        assertThatThrownBy(() -> parse("{\"sourceTopic\":[1],\"targetTopic\":\"c.d\"}"))
                .hasMessageContaining("list of strings");
        assertThatThrownBy(() -> parse("{\"targetTopic\":\"c.d\"}")).hasMessageStartingWith("Field 'sourceTopic' is required");
        assertThatThrownBy(() -> parse("{\"sourceTopic\":\"a.b\"}")).hasMessageStartingWith("Field 'targetTopic' is required");
        assertThatThrownBy(() -> parse("{\"sourceTopic\":\"a.b\",\"targetTopic\":\"c.d\",\"maxRetries\":-1}"))
                .hasMessageContaining("must not be negative");
    }
}
