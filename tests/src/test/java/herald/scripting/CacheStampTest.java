package herald.scripting;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CacheStampTest {

    @Test
    void aScriptLoadedBeforeAClearOfOneOfItsKeysIsStale() {
        CacheStamps.Stamp stamp = new CacheStamps.Stamp(7, 2, Map.of("event:events.post.pre_process", 6L), Map.of());
        assertThat(stamp.invalidates(5, List.of("event:events.post.pre_process", "events-of:events"))).isTrue();
        assertThat(stamp.invalidates(6, List.of("event:events.post.pre_process"))).as("loaded at the clear").isFalse();
        assertThat(stamp.invalidates(5, List.of("event:enroll.post.pre_process", "events-of:enroll"))).isFalse();
    }

    @Test
    void aClearOfEverythingMakesAllOlderScriptsStale() {
        CacheStamps.Stamp stamp = new CacheStamps.Stamp(9, 9, Map.of(), Map.of());
        assertThat(stamp.invalidates(8, List.of("service:x"))).isTrue();
        assertThat(stamp.invalidates(9, List.of("service:x"))).isFalse();
    }

    @Test
    void theCacheDropsOnlyWhatTheStampClears() {
        ScriptCache cache = new ScriptCache();
        cache.get("event:a", List.of("event:a"), 1, java.util.Optional::empty);
        cache.get("event:b", List.of("event:b"), 1, java.util.Optional::empty);
        cache.apply(new CacheStamps.Stamp(2, 0, Map.of("event:a", 2L), Map.of()));
        assertThat(cache.size()).isEqualTo(1);
        int[] loads = {0};
        cache.get("event:b", List.of("event:b"), 2, () -> {
            loads[0]++;
            return java.util.Optional.empty();
        });
        assertThat(loads[0]).as("b stayed cached, negative entry included").isZero();
    }
}
