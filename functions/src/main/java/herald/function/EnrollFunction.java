package herald.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import herald.enroll.EnrollRequest;
import herald.enroll.EnrollService;
import herald.http.ApiResponses;
import herald.http.HttpEndpoint;
import java.util.Map;

/**
 * {@code EnrollFunction}: {@code POST /api/enroll}. 200 with {@code {"id","dependsOn","hash","status"}} when there
 * is a job for the caller, 204 with an empty body when there is none.
 *
 * <p>Thread-safe.
 */
public final class EnrollFunction implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final HttpEndpoint endpoint;

    public EnrollFunction() {
        this(System.getenv());
    }

    public EnrollFunction(Map<String, String> environment) {
        Container container = new Container(environment);
        EnrollService enroll = container.enroll();
        this.endpoint = HttpEndpoint.of("EnrollFunction")
                .on("POST /api/enroll", request -> enroll.enroll(EnrollRequest.from(request.jsonBody()), request.caller())
                        .map(job -> ApiResponses.json(200, job))
                        .orElseGet(ApiResponses::noContent))
                .build(container.scriptHooks(), container.stamps());
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return endpoint.handle(event);
    }
}
