package herald.scripting;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import herald.http.Access;
import herald.http.Route;
import herald.http.Routes;
import herald.scripting.EventNames;
import herald.testing.HeraldClient.Response;
import herald.testing.HeraldClient;
import herald.testing.LocalHeraldExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A method-override header or parameter never makes Herald run one verb's scripts around another's work: on every
 * scriptable POST route of the route table, a guard bound to the route's own {@code .post.pre_process} event refuses
 * the call whatever override form and method the request names. (The cache routes, which exist to carry a
 * tunnelled DELETE, are named after the DELETE they carry out, and their own test is in ScriptSourcesIT.)
 */
@ExtendWith(LocalHeraldExtension.class)
class MethodOverrideIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SERVICE = "overrideguarded";

    private final HeraldClient api;

    MethodOverrideIT(HeraldClient api) {
        this.api = api;
    }

    /** Every way a caller can name another method on a POST, and the methods it might name. */
    private static List<String[]> overrides() {
        List<String[]> forms = new ArrayList<>();
        for (String method : List.of("PUT", "PATCH", "DELETE", "GET", "MERGE")) {
            for (String header : List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override")) {
                forms.add(new String[] {"", header, method});
            }
            for (String parameter : List.of("method", "_method")) {
                forms.add(new String[] {parameter + "=" + method, null, null});
            }
        }
        return forms;
    }

    private static String concrete(String path) {
        return path.replace("{id}", "0123456789abcdef0123456789abcdef").replace("{name}", "override-nothing")
                .replace("{service}", SERVICE).replace("{proxy+}", "a/b").replace("{event_name}", "x.y.get.queued");
    }

    @Test
    void everyOverrideFormOnEveryScriptablePostRouteMeetsThePostGuard() throws Exception {
        List<String> skipped = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Route route : Routes.all()) {
            boolean post = route.method().equals("POST") || route.anyMethod();
            if (!post || !route.scriptable() || route.tunnelledAs() != null || route.access() == Access.PUBLIC
                    || route.access() == Access.SIGNED) {
                continue;
            }
            String base = EventNames.base(route.path(), Map.of("service", SERVICE));
            String guard = EventNames.name(base, "post", EventNames.PRE_PROCESS);
            String record = JSON.createObjectNode().put("name", guard)
                    .put("content", "throw {status: 418, message: 'guarded " + guard + "'};").toString();
            Response bound = api.post("/api/v2/system/event_script", record);
            if (bound.status() != 201) {
                skipped.add(route.key() + ": " + bound.body());
                continue;
            }
            try {
                for (String[] form : overrides()) {
                    String path = concrete(route.path()) + (form[0].isEmpty() ? "" : "?" + form[0]);
                    Response response = form[1] == null ? api.post(path, "{}") : api.post(path, "{}", form[1], form[2]);
                    checked++;
                    if (response.status() != 418 || !response.body().contains("guarded " + guard)) {
                        wrong.add(route.key() + " with " + (form[1] == null ? "?" + form[0] : form[1] + ": " + form[2])
                                + " -> " + response.status() + " " + response.body());
                    }
                }
            } finally {
                assertThat(api.delete("/api/v2/system/event_script/" + URLEncoder.encode(guard, StandardCharsets.UTF_8)
                        + "?purge=true").status()).isEqualTo(200);
            }
        }
        assertThat(skipped).as("guards that could not be bound").isEmpty();
        assertThat(wrong).as("calls that got past their POST guard").isEmpty();
        assertThat(checked).as("override forms tried").isGreaterThan(100);
    }
}
