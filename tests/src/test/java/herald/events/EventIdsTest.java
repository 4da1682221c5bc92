package herald.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import herald.kernel.InvalidRequestException;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventIdsTest {

    @Test
    void idsAre32LowerCaseHexCharacters() {
        String id = EventIds.newId(System.currentTimeMillis());
        assertThat(id).matches("[0-9a-f]{32}");
        assertThat(EventIds.isValid(id)).isTrue();
    }

    @Test
    void idsSortByTheirMillisecond() {
        String earlier = EventIds.newId(1_700_000_000_000L);
        String later = EventIds.newId(1_700_000_000_001L);
        assertThat(earlier.compareTo(later)).isNegative();
        assertThat(earlier).startsWith(String.format("%012x", 1_700_000_000_000L));
    }

    @Test
    void idsOfOneMillisecondAreDistinct() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(EventIds.newId(1_700_000_000_000L));
        }
        assertThat(ids).hasSize(10_000);
    }

    @Test
    void refusesMalformedIds() {
        assertThat(EventIds.isValid("0123456789ABCDEF0123456789abcdef")).isFalse();
        assertThat(EventIds.isValid("0123456789abcdef0123456789abcde")).isFalse();
        assertThat(EventIds.isValid("01234567-89ab-cdef-0123-456789abcdef")).isFalse();
        assertThat(EventIds.isValid(null)).isFalse();
        assertThatThrownBy(() -> EventIds.require("The id", "nope"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("The id must be 32 lower-case hex characters (an event id), got 'nope'");
    }
}
