package herald.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import herald.http.ScriptCatalogue;
import herald.kernel.Json;
import herald.testing.HeraldClient;
import herald.testing.HeraldClient.Response;
import herald.testing.LocalHeraldExtension;
import herald.testing.Messages;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /asyncapi.json}: served without a key, valid against the official AsyncAPI 3.0 JSON Schema, with a
 * channel for every script event the route table fires, and its message schemas rejecting what Herald must not send.
 */
@ExtendWith(LocalHeraldExtension.class)
class AsyncApiIT {

    private final HeraldClient anonymous;

    AsyncApiIT(HeraldClient api) {
        this.anonymous = api.withoutKey();
    }

    private JsonNode document() {
        Response served = anonymous.get("/asyncapi.json");
        assertThat(served.status()).as(served.body()).isEqualTo(200);
        return served.json();
    }

    @Test
    void theDocumentIsValidAgainstTheOfficialAsyncApiSchema() throws IOException {
        Schema schema;
        try (InputStream in = AsyncApiIT.class.getResourceAsStream("/asyncapi/asyncapi-3.0.0.schema.json")) {
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(in, InputFormat.JSON);
        }
        JsonNode document = document();
        List<String> errors = new ArrayList<>();
        for (Error error : schema.validate(Json.write(document), InputFormat.JSON)) {
            errors.add(error.toString());
        }
        assertThat(errors).isEmpty();

        // the check can fail: a channel without an address and an operation with an unknown action are reported
        ObjectNode broken = document.deepCopy();
        ((ObjectNode) broken.path("operations").path("deliver")).put("action", "shout");
        assertThat(schema.validate(Json.write(broken), InputFormat.JSON)).isNotEmpty();
    }

    @Test
    void everyScriptEventHasItsChannel() {
        List<String> addresses = new ArrayList<>();
        document().get("channels").forEach(channel -> addresses.add(channel.path("address").asText()));
        assertThat(addresses).containsAll(ScriptCatalogue.eventNames(Set.of("{service}")))
                .contains("/", "events.post.pre_process", "{service}.get.post_process");
    }

    @Test
    void theMessageSchemasHoldHeraldToItsWireFormat() {
        String event = "{\"createdAt\":\"2026-11-23T02:10:01.123456+00:00\",\"dependsOn\":null,\"description\":\"\","
                + "\"id\":\"0194f1c2a3b4c5d6e7f8091a2b3c4d5e\",\"progress\":100,\"project\":null,\"sender\":null,"
                + "\"senderType\":\"api\",\"status\":\"finished\",\"store\":true,\"summary\":{},\"topic\":\"a.b.c\","
                + "\"updatedAt\":\"2026-11-23T02:10:01.123456+00:00\",\"user\":\"admin\"}";
        assertThat(Messages.problems(Json.readStored(event))).isEmpty();
        assertThat(Messages.problems(Json.readStored("{\"topic\":\"heartbeat\"}"))).isEmpty();
        // a payload must never go out over the WebSocket, and a heartbeat is nothing but its topic
        ObjectNode withPayload = (ObjectNode) Json.readStored(event);
        withPayload.putObject("payload");
        assertThat(Messages.problems(withPayload)).isNotEmpty();
        assertThat(Messages.problems(Json.readStored("{\"topic\":\"heartbeat\",\"extra\":1}"))).isNotEmpty();
    }
}
