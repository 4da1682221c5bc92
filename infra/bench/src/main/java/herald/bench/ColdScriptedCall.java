package herald.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.type.TypeReference;
import herald.function.EventsFunction;
import herald.kernel.Json;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One cold Lambda container, as near as a JVM gets: a fresh JVM constructs {@code EventsFunction} with the
 * environment in the file it is given and sends it one {@code POST /api/events}, then prints the milliseconds from
 * the JVM's start to the answer, and the answer's status. Run by {@link ScriptingBenchmark} in a child process.
 */
public final class ColdScriptedCall {

    private ColdScriptedCall() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> environment = Json.MAPPER.readValue(Files.readString(Path.of(args[0])),
                new TypeReference<Map<String, String>>() { });
        EventsFunction handler = new EventsFunction(environment);
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("POST /api/events")
                .withRawPath("/api/events")
                .withHeaders(Map.of("x-api-key", args[1], "content-type", "application/json"))
                .withBody("{\"topic\":\"bench.cold\",\"payload\":{\"n\":1}}")
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withRequestId("cold")
                        .withAuthorizer(Benchmarks.adminAuthorizer())
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST")
                                .withPath("/api/events").build())
                        .build())
                .build();
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);
        long millis = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        System.out.println("COLD " + millis + " " + response.getStatusCode());
        System.exit(0);
    }
}
