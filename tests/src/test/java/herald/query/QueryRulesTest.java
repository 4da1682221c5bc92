package herald.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import herald.kernel.InvalidRequestException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueryRulesTest {

    private static final String POSITION = "2026-11-22T10:11:12.123456+00:00#0123456789abcdef0123456789abcdef";

    @Test
    void cursorsRoundTripAndRefuseAnythingElse() {
        assertThat(Cursors.decode("after", Cursors.encode(POSITION))).isEqualTo(POSITION);
        assertThat(Cursors.decode("after", null)).isNull();
        assertThatThrownBy(() -> Cursors.decode("after", "not base64 !"))
                .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("after is not a cursor");
        assertThatThrownBy(() -> Cursors.decode("before", Cursors.encode("2026-11-22#x")))
                .hasMessageStartingWith("before is not a cursor");
    }

    @Test
    void timesTakeAnyOffsetOrADate() {
        assertThat(EventQuery.time("newerThan", "2026-11-22T12:00:00+02:00")).isEqualTo(Instant.parse("2026-11-22T10:00:00Z"));
        assertThat(EventQuery.time("newerThan", "2026-11-22T10:00:00Z")).isEqualTo(Instant.parse("2026-11-22T10:00:00Z"));
        assertThat(EventQuery.time("newerThan", "2026-11-22")).isEqualTo(Instant.parse("2026-11-22T00:00:00Z"));
        assertThat(EventQuery.time("newerThan", null)).isNull();
        assertThatThrownBy(() -> EventQuery.time("olderThan", "2026-11-22T10:00:00"))
                .hasMessageStartingWith("olderThan must be an ISO-8601 time with an offset");
    }

    @Test
    void aQueryPagesForwardUnlessItAsksForTheLast() {
        assertThat(query(10, null, null, null).backwards()).isFalse();
        assertThat(query(null, null, 10, null).backwards()).isTrue();
        assertThat(query(null, null, null, "c").backwards()).isTrue();
        assertThat(query(null, null, null, null).pageSize()).isEqualTo(EventQuery.DEFAULT_PAGE);
        assertThatThrownBy(() -> query(1, null, 1, null)).hasMessageContaining("not both");
        assertThatThrownBy(() -> query(EventQuery.MAX_PAGE + 1, null, null, null)).hasMessageContaining("0 to 2000");
        assertThatThrownBy(() -> new EventQuery(null, List.of("bad topic"), null, null, null, null, null, null, null,
                false, null, null, null, null)).hasMessageStartingWith("Invalid topic");
    }

    @Test
    void theTextFilterUsesWordsOfThreeOrMoreCharacters() {
        assertThat(QueryStore.slugs("Shot 010, an EXR of v2 comp_main")).containsExactly("shot", "010", "exr", "comp_main");
    }

    private static EventQuery query(Integer first, String after, Integer last, String before) {
        return new EventQuery(null, null, null, null, null, null, null, null, null, false, first, after, last, before);
    }
}
