package herald.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import herald.http.Access;
import herald.http.Route;
import herald.http.Routes;
import herald.local.LocalHerald;
import herald.local.SamTemplate;
import herald.testing.ApiKeys;
import herald.testing.HeraldClient.Response;
import herald.testing.HeraldClient;
import herald.testing.LocalHeraldExtension;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every route of the template, called with no key, a wrong, a revoked and an expired key, and with a key of each
 * role, must answer as the route table ({@link Routes}) says who may call it. A route the template gains without an
 * entry in the table fails here (and in {@code RouteTableIT}), so nobody adds a route without deciding who may call
 * it; and what the table declares is proven on the running system, not just written down.
 */
@ExtendWith(LocalHeraldExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RouteAccessMatrixIT {

    private final LocalHerald herald;
    private final HeraldClient admin;
    private final Map<String, HeraldClient> callers = new LinkedHashMap<>();
    private HeraldClient revoked;
    private HeraldClient expired;

    RouteAccessMatrixIT(LocalHerald herald, HeraldClient admin) {
        this.herald = herald;
        this.admin = admin;
    }

    @BeforeAll
    void makeKeys() {
        callers.put("admin", admin);
        callers.put("service", admin.withKey(ApiKeys.create(admin, ApiKeys.uniqueName("matrix-service"), "service", null)));
        callers.put("user", admin.withKey(ApiKeys.create(admin, ApiKeys.uniqueName("matrix-user"), "user", null)));
        String revokedName = ApiKeys.uniqueName("matrix-revoked");
        revoked = admin.withKey(ApiKeys.create(admin, revokedName, "admin", null));
        assertThat(admin.patch("/api/v2/system/api_key/" + revokedName, "{\"revoked\":true}").status()).isEqualTo(200);
        String expiredName = ApiKeys.uniqueName("matrix-expired");
        expired = admin.withKey(ApiKeys.create(admin, expiredName, "admin", null));
        assertThat(admin.patch("/api/v2/system/api_key/" + expiredName,
                "{\"expires_at\":\"" + Instant.now().minusSeconds(5) + "\"}").status()).isEqualTo(200);
    }

    @Test
    void everyRouteHasARule() {
        List<String> missing = new ArrayList<>();
        for (SamTemplate.RouteSpec route : routes()) {
            if (Routes.byKey(route.routeKey()).isEmpty()) {
                missing.add(route.routeKey());
            }
        }
        assertThat(missing).as("routes of the template without an access rule in herald.http.Routes").isEmpty();
    }

    @Test
    void everyRouteAnswersEachCallerAsItsRuleSays() {
        List<String> wrong = new ArrayList<>();
        for (SamTemplate.RouteSpec route : routes()) {
            Access rule = Routes.byKey(route.routeKey()).map(Route::access).orElse(null);
            if (rule == null) {
                continue; // everyRouteHasARule reports it
            }
            String method = route.isDefault() || route.method().equals("ANY") ? "GET" : route.method();
            String path = route.isDefault() ? "/no/such/route" : concrete(route.path());
            String body = method.equals("GET") || method.equals("DELETE") ? null : "{}";

            Map<String, HeraldClient> refused = new LinkedHashMap<>();
            refused.put("no key", admin.withoutKey());
            refused.put("a wrong key", admin.withKey("hk_" + "x".repeat(43)));
            refused.put("a revoked key", revoked);
            refused.put("an expired key", expired);
            for (var caller : refused.entrySet()) {
                Response response = caller.getValue().send(method, path, body);
                boolean mayPass = rule == Access.PUBLIC || rule == Access.SIGNED;
                if (mayPass ? response.status() >= 500 : response.status() != 401) {
                    wrong.add(route.routeKey() + " with " + caller.getKey() + ": " + response.status() + " " + response.body());
                }
            }
            for (var caller : callers.entrySet()) {
                Response response = caller.getValue().send(method, path, body);
                boolean allowed = switch (rule) {
                    case PUBLIC, SIGNED, ANY_KEY -> true;
                    case SERVICE -> !caller.getKey().equals("user");
                    case ADMIN -> caller.getKey().equals("admin");
                };
                boolean ok = response.status() < 500 && (allowed
                        ? response.status() != 401 && response.status() != 403 || rule == Access.SIGNED
                        : response.status() == 403 && response.body().contains("\"detail\""));
                if (!ok) {
                    wrong.add(route.routeKey() + " as " + caller.getKey() + " (" + (allowed ? "allowed" : "refused")
                            + "): " + response.status() + " " + response.body());
                }
            }
        }
        if (!wrong.isEmpty()) {
            fail("Answers that break the access rules:\n" + String.join("\n", wrong));
        }
    }

    private List<SamTemplate.RouteSpec> routes() {
        List<SamTemplate.RouteSpec> routes = new ArrayList<>();
        herald.template().functions().forEach(f -> routes.addAll(f.routes()));
        return routes;
    }

    /** A path for the route template that names nothing that exists. */
    private static String concrete(String template) {
        return template.replace("{id}", "0123456789abcdef0123456789abcdef")
                .replace("{event_name}", "matrix.nothing.get.pre_process")
                .replace("{name}", "matrix-nothing")
                .replace("{service}", "matrixnothing")
                .replace("{proxy+}", "a/b")
                .replace("{asset}", "swagger-ui.css");
    }
}
