package herald.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ScriptCatalogueTest {

    @Test
    void everyScriptableRouteGivesThreePhasesPerVerb() {
        Set<String> names = ScriptCatalogue.eventNames(Set.of("shop"));
        assertThat(names).contains("events.patch.pre_process", "events.patch.post_process", "events.patch.queued",
                "shop.put.queued", "system.webhook.github.post.pre_process");
        assertThat(names).noneMatch(n -> n.startsWith(".") || n.contains("{"));
    }

    @Test
    void aTunnellingRouteIsNamedAfterTheMethodItCarriesOut() {
        Set<String> names = ScriptCatalogue.eventNames(Set.of());
        assertThat(names).contains("system.cache.delete.pre_process");
        assertThat(names).noneMatch(n -> n.startsWith("system.cache.post."));
    }

    @Test
    void keyManagementFiresNoScripts() {
        assertThat(ScriptCatalogue.eventNames(Set.of())).noneMatch(n -> n.startsWith("system.api_key."));
    }
}
