package herald.scripting;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EventNamesTest {

    @Test
    void theNameIsTheRoutesLiteralSegmentsWithoutTheApiPrefix() {
        assertThat(EventNames.base("/api/events", Map.of())).isEqualTo("events");
        assertThat(EventNames.base("/api/events/{id}", Map.of("id", "abc"))).isEqualTo("events");
        assertThat(EventNames.base("/api/enroll", Map.of())).isEqualTo("enroll");
        assertThat(EventNames.base("/graphql", Map.of())).isEqualTo("graphql");
        assertThat(EventNames.base("/api/users/me", Map.of())).isEqualTo("users.me");
        assertThat(EventNames.base("/api/v2/system/event_script/{name}", Map.of("name", "x"))).isEqualTo("system.event_script");
        assertThat(EventNames.base("/api/v2/system/cache/_event/{event_name}", Map.of())).isEqualTo("system.cache._event");
    }

    @Test
    void aScriptedServiceFiresUnderItsOwnName() {
        assertThat(EventNames.base("/api/v2/{service}/{proxy+}", Map.of("service", "Greeting", "proxy", "a/b")))
                .isEqualTo("greeting");
        assertThat(EventNames.base("/api/v2/{service}", Map.of())).isNull();
    }

    @Test
    void theRootAndTheDefaultRouteFireNothing() {
        assertThat(EventNames.base("/", Map.of())).isNull();
        assertThat(EventNames.base("", Map.of())).isNull();
    }

    @Test
    void namesAndServices() {
        assertThat(EventNames.name("events", "POST", EventNames.PRE_PROCESS)).isEqualTo("events.post.pre_process");
        assertThat(EventNames.serviceOf("system.event_script.get.queued")).isEqualTo("system");
        assertThat(EventNames.serviceOf("events")).isEqualTo("events");
    }

}
