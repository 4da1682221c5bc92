package herald.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import herald.function.EventsFunction;
import herald.kernel.Json;
import herald.local.LocalHerald;
import herald.testing.LocalHeraldExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code EventsFunction} alone, fed API Gateway events captured in the shape AWS sends them
 * ({@code src/test/resources/events}), against the tables of the local runtime.
 */
@ExtendWith(LocalHeraldExtension.class)
class EventsFunctionIT {

    private final EventsFunction handler;

    EventsFunctionIT(LocalHerald herald) {
        this.handler = new EventsFunction(herald.functionEnvironment("EventsFunction"));
    }

    @Test
    void dispatchesACapturedRequestAndReadsItBack() throws Exception {
        APIGatewayV2HTTPEvent dispatch = EventLoader.loadApiGatewayHttpEvent("events/dispatch-event.json");
        APIGatewayV2HTTPResponse created = handler.handleRequest(dispatch, null);
        assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(200);
        String id = Json.MAPPER.readTree(created.getBody()).get("id").asText();

        APIGatewayV2HTTPEvent get = EventLoader.loadApiGatewayHttpEvent("events/get-event.json");
        get.setPathParameters(Map.of("id", id));
        APIGatewayV2HTTPResponse read = handler.handleRequest(get, null);
        assertThat(read.getStatusCode()).isEqualTo(200);
        assertThat(read.getHeaders()).containsEntry("content-type", "application/json");
        JsonNode event = Json.MAPPER.readTree(read.getBody());
        assertThat(event.get("topic").asText()).isEqualTo("entity.task.status_changed");
        assertThat(event.get("project").asText()).isEqualTo("demo_commercial");
        assertThat(event.get("sender").asText()).isEqualTo("ftrack-leecher");
        assertThat(event.get("senderType").asText()).isEqualTo("service");
        assertThat(event.get("payload").get("newValue").asText()).isEqualTo("Approved");
    }

    @Test
    void decodesABase64Body() throws Exception {
        APIGatewayV2HTTPResponse created = handler.handleRequest(
                EventLoader.loadApiGatewayHttpEvent("events/dispatch-event-base64.json"), null);
        assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(200);
    }

    @Test
    void aRouteThisFunctionDoesNotServeIsA404() {
        APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent("events/get-event.json");
        event.setRouteKey("GET /api/other");
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);
        assertThat(response.getStatusCode()).isEqualTo(404);
        assertThat(response.getBody()).contains("\"code\":404");
    }
}
