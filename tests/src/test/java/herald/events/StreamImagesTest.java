package herald.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import herald.auth.Principal;
import herald.auth.Role;
import herald.kernel.Json;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** An event survives the trip through a stream image whole: who caused it, with its projects, included. */
class StreamImagesTest {

    private static Map<String, AttributeValue> image(Event event) {
        Map<String, AttributeValue> image = new HashMap<>();
        EventItems.toItem(event).forEach((name, value) -> {
            AttributeValue converted = new AttributeValue();
            if (value.s() != null) {
                converted.setS(value.s());
            } else if (value.n() != null) {
                converted.setN(value.n());
            } else if (value.hasSs()) {
                converted.setSS(value.ss());
            } else if (value.hasL()) {
                converted.setL(java.util.List.of());
            }
            image.put(name, converted);
        });
        return image;
    }

    private static Event event(Principal causedBy) {
        Instant now = Instant.parse("2026-12-01T10:00:00.123456Z");
        return Event.builder().id("0123456789abcdef0123456789abcdef").hash("h").topic("a.b.c").senderType("api")
                .user(causedBy.name()).status(EventStatus.FINISHED).description("")
                .summary(Json.MAPPER.createObjectNode()).payload(Json.MAPPER.createObjectNode())
                .createdAt(now).updatedAt(now).causedBy(causedBy).build();
    }

    @Test
    void aLimitedCallersProjectsSurviveTheStream() {
        Principal limited = new Principal("svc", Role.SERVICE, Set.of("alpha", "beta"));
        assertThat(EventItems.fromItem(StreamImages.toItem(image(event(limited)))).causedBy()).isEqualTo(limited);
    }

    @Test
    void aCallerLimitedToNoProjectStaysLimited() {
        Principal none = new Principal("svc", Role.USER, Set.of());
        assertThat(EventItems.fromItem(StreamImages.toItem(image(event(none)))).causedBy()).isEqualTo(none);
    }

    @Test
    void anUnlimitedCallerStaysUnlimited() {
        Principal admin = new Principal("admin", Role.ADMIN, null);
        assertThat(EventItems.fromItem(StreamImages.toItem(image(event(admin)))).causedBy()).isEqualTo(admin);
    }
}
