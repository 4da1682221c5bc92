package herald.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import herald.http.ConsoleFiles;
import herald.http.HttpEndpoint;
import java.util.Map;

/**
 * {@code ConsoleFunction}: the web console, {@code GET /console} and its files {@code GET /console/{asset}}, without
 * a key. The console is a client of the public API like any other; this function only serves its files.
 *
 * <p>Thread-safe.
 */
public final class ConsoleFunction implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final HttpEndpoint endpoint;

    public ConsoleFunction() {
        this(System.getenv());
    }

    public ConsoleFunction(Map<String, String> environment) {
        Container container = new Container(environment);
        ConsoleFiles files = container.consoleFiles();
        this.endpoint = HttpEndpoint.of("ConsoleFunction")
                .on("GET /console", request -> files.page(request.headers()))
                .on("GET /console/{asset}", request -> files.asset(request.pathParameter("asset").orElse(""),
                        request.headers()))
                .build(container.scriptHooks(), container.stamps());
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return endpoint.handle(event);
    }
}
