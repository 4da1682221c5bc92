package herald.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import herald.kernel.Json;
import herald.local.LocalHerald;
import herald.local.SamTemplate;
import herald.testing.HeraldClient;
import herald.testing.HeraldClient.Response;
import herald.testing.LocalHeraldExtension;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /openapi.json}: served without a key, valid as swagger-parser reads OpenAPI 3.1 (no error, no
 * warning), naming exactly the template's routes, with every example valid against its schema.
 */
@ExtendWith(LocalHeraldExtension.class)
class OpenApiIT {

    private static final List<String> ANY = List.of("GET", "POST", "PUT", "PATCH", "DELETE");

    private final HeraldClient anonymous;
    private final LocalHerald herald;

    OpenApiIT(HeraldClient api, LocalHerald herald) {
        this.anonymous = api.withoutKey();
        this.herald = herald;
    }

    private JsonNode document() {
        Response served = anonymous.get("/openapi.json");
        assertThat(served.status()).as(served.body()).isEqualTo(200);
        return served.json();
    }

    @Test
    void theDocumentIsServedWithoutAKeyAndSwaggerParserFindsNothingWrong() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(Json.write(document()), null, options);
        assertThat(parsed.getMessages()).as("swagger-parser's errors and warnings").isEmpty();
        assertThat(parsed.getOpenAPI()).isNotNull();
        assertThat(parsed.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
        assertThat(parsed.getOpenAPI().getComponents().getSecuritySchemes()).containsKey("ApiKey");
    }

    @Test
    void itNamesExactlyTheTemplatesRoutesWithTheirRoles() {
        Set<String> template = new TreeSet<>();
        for (SamTemplate.FunctionSpec function : herald.template().functions()) {
            for (SamTemplate.RouteSpec route : function.routes()) {
                if (route.method() == null) {
                    continue; // $default: every unknown route's 404
                }
                String path = route.path().replace("+}", "}");
                for (String method : route.method().equals("ANY") ? ANY : List.of(route.method())) {
                    template.add(method + " " + path);
                }
            }
        }
        Set<String> documented = new TreeSet<>();
        List<String> withoutRole = new ArrayList<>();
        document().get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            documented.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
            if (!op.getValue().has("x-herald-role") || !op.getValue().get("responses").has("default")) {
                withoutRole.add(op.getKey() + " " + path.getKey());
            }
        }));
        assertThat(documented).isEqualTo(template);
        assertThat(withoutRole).as("operations without a role or the error response").isEmpty();
    }

    @Test
    void theInteractivePageAndItsAssetsAreServedWithoutAKey() {
        Response page = anonymous.get("/docs");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.raw().headers().firstValue("content-type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("SwaggerUIBundle", "url: \"openapi.json\"", "docs/swagger-ui-bundle.js",
                "persistAuthorization");
        Response css = anonymous.get("/docs/swagger-ui.css");
        assertThat(css.status()).isEqualTo(200);
        assertThat(css.raw().headers().firstValue("content-type").orElse("")).startsWith("text/css");
        Response script = anonymous.get("/docs/swagger-ui-bundle.js");
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.body()).contains("SwaggerUIBundle");
        Response other = anonymous.get("/docs/index.html");
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.json().get("detail").asText()).contains("swagger-ui-bundle.js");
    }

    @Test
    void everyExampleIsValidAgainstItsSchema() {
        JsonNode document = document();
        List<String> problems = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        collect(document, document, "", problems, checked);
        assertThat(checked).as("examples checked").hasSizeGreaterThan(10);
        assertThat(problems).isEmpty();
    }

    /** Every {schema, example} pair (media types) and every schema with its own example (components). */
    private static void collect(JsonNode document, JsonNode node, String where, List<String> problems,
            List<String> checked) {
        if (node.isObject()) {
            if (node.has("example") && (node.has("schema") || where.startsWith("/components/schemas/"))) {
                JsonNode schema = node.has("schema") ? node.get("schema") : node;
                validate(document, schema, node.get("example"), where, problems);
                checked.add(where);
            }
            node.fields().forEachRemaining(field -> collect(document, field.getValue(),
                    where + "/" + field.getKey().replace("/", "~1"), problems, checked));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(document, node.get(i), where + "/" + i, problems, checked);
            }
        }
    }

    private static void validate(JsonNode document, JsonNode schema, JsonNode example, String where,
            List<String> problems) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.setAll((ObjectNode) schema.deepCopy());
        root.remove("example");
        root.set("components", document.get("components"));
        Schema compiled = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(Json.write(root), InputFormat.JSON);
        for (Error error : compiled.validate(Json.write(example), InputFormat.JSON)) {
            problems.add(where + ": " + error);
        }
    }
}
