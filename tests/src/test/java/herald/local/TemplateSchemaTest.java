package herald.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import herald.kernel.Json;
import herald.testing.LocalHeraldExtension;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * template.yaml against the JSON schema SAM publishes for its templates (a copy in the test resources, with its
 * source in the README beside it), the intrinsic functions read as their JSON forms, as the schema expects.
 */
class TemplateSchemaTest {

    private static Schema schema;

    @BeforeAll
    static void loadSchema() throws IOException {
        try (InputStream in = TemplateSchemaTest.class.getResourceAsStream("/sam/sam.schema.json")) {
            // SAM's own annotations are documentation, not validation
            Dialect draft4 = Dialect.builder(Dialects.getDraft4())
                    .keyword(new NonValidationKeyword("__samPassThrough"))
                    .keyword(new NonValidationKeyword("markdownDescription"))
                    .build();
            schema = SchemaRegistry.withDefaultDialect(draft4).getSchema(in, InputFormat.JSON);
        }
    }

    @Test
    void theTemplateIsValidAsSamReadsIt() {
        assertThat(errors(template())).isEmpty();
    }

    /**
     * The validation can fail: a misspelt property and an event source SAM does not know are both reported. (The
     * schema leaves what CloudFormation passes through, such as {@code MemorySize}, to CloudFormation.)
     */
    @Test
    void aMistakeInTheTemplateIsReported() {
        ObjectNode template = template();
        ObjectNode function = (ObjectNode) template.path("Resources").path("EventsFunction").path("Properties");
        function.put("Handlr", function.path("Handler").asText());
        assertThat(errors(template)).anySatisfy(error -> assertThat(error).contains("Handlr"));

        template = template();
        ((ObjectNode) template.path("Resources").path("EventsFunction").path("Properties").path("Events")
                .path("Dispatch")).put("Type", "HttpAPI");
        assertThat(errors(template)).isNotEmpty();
    }

    private static ObjectNode template() {
        return Json.MAPPER.valueToTree(CloudFormationYaml.read(LocalHeraldExtension.template()));
    }

    private static List<String> errors(ObjectNode template) {
        List<Error> errors = schema.validate(Json.write(template), InputFormat.JSON);
        return errors.stream().map(Error::toString).toList();
    }
}
