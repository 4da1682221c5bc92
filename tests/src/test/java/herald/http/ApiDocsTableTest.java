package herald.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import herald.testing.LocalHeraldExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The route table of docs/api.md is generated from the one route table ({@link Routes}) and the OpenAPI document's
 * summaries: it must be exactly what {@link #table()} writes, so the docs cannot name a route the code lacks, nor
 * miss one. When it fails, paste the table from the failure between the markers.
 */
class ApiDocsTableTest {

    static final String START = "<!-- routes: generated from herald.http.Routes and /openapi.json; ApiDocsTableTest -->";
    static final String END = "<!-- routes end -->";
    private static final Map<Access, String> WHO = Map.of(Access.PUBLIC, "anyone", Access.SIGNED, "signature",
            Access.ANY_KEY, "any key", Access.SERVICE, "service", Access.ADMIN, "admin");

    static String table() {
        JsonNode paths = OpenApi.document().get("paths");
        StringBuilder table = new StringBuilder("| Route | Who | What it does |\n|---|---|---|\n");
        for (Route route : Routes.all()) {
            if (route.isDefault()) {
                continue;
            }
            String method = route.anyMethod() ? "get" : route.method().toLowerCase(Locale.ROOT);
            JsonNode operation = paths.get(OpenApi.openApiPath(route.path())).get(method);
            String summary = operation.get("summary").asText();
            if (route.anyMethod()) {
                summary += " (any method)";
            }
            table.append("| `").append(route.method()).append(' ').append(route.path()).append("` | ")
                    .append(WHO.get(route.access())).append(" | ").append(summary).append(" |\n");
        }
        return table.toString();
    }

    @Test
    void theDocsRouteTableIsTheGeneratedOne() throws IOException {
        Path docs = LocalHeraldExtension.template().getParent().resolve("docs/api.md");
        String text = Files.readString(docs, StandardCharsets.UTF_8);
        int start = text.indexOf(START);
        int end = text.indexOf(END);
        assertThat(start).as("docs/api.md has the marker " + START).isNotNegative();
        assertThat(end).as("docs/api.md has the marker " + END).isGreaterThan(start);
        String documented = text.substring(start + START.length(), end).strip() + "\n";
        assertThat(documented).as("docs/api.md's route table; the generated one is:\n" + table()).isEqualTo(table());
    }
}
