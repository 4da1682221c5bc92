package herald.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RouteTest {

    @Test
    void aRouteIsCarriedOutAsItsOwnMethodWhateverTheRequestSays() {
        Route dispatch = Routes.byKey("POST /api/events").orElseThrow();
        assertThat(dispatch.executedMethod("PUT")).isEqualTo("POST");
        assertThat(dispatch.executedKey("PUT")).isEqualTo("POST /api/events");
    }

    @Test
    void aTunnellingRouteIsCarriedOutAsTheMethodItCarries() {
        Route tunnelled = Routes.byKey("POST /api/v2/system/cache/{name}").orElseThrow();
        assertThat(tunnelled.executedMethod("POST")).isEqualTo("DELETE");
        assertThat(tunnelled.executedKey("POST")).isEqualTo("DELETE /api/v2/system/cache/{name}");
    }

    @Test
    void anAnyRouteIsCarriedOutAsTheRequestsMethod() {
        Route service = Routes.byKey("ANY /api/v2/{service}").orElseThrow();
        assertThat(service.executedMethod("patch")).isEqualTo("PATCH");
    }

    @Test
    void everyFunctionOfTheTableHasRoutes() {
        assertThat(Routes.all()).extracting(Route::function).contains("EventsFunction", "QueryFunction",
                "ServerFunction", "ScriptsFunction", "ApiKeysFunction", "TriggerAdminFunction");
        assertThat(Routes.byKey(Route.DEFAULT)).isPresent();
    }
}
