package herald.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import herald.kernel.HeraldException;
import java.util.function.Supplier;

/**
 * Runs a handler's work for one request and turns every failure into a JSON error: Herald's own failures into
 * their 4xx, anything else into a logged 500 without internals.
 */
public final class RequestGuard {

    private RequestGuard() {
    }

    public static APIGatewayV2HTTPResponse respond(ApiRequest request, Supplier<APIGatewayV2HTTPResponse> work) {
        try {
            return work.get();
        } catch (HeraldException e) {
            return ErrorResponses.of(e);
        } catch (RuntimeException | Error e) {
            return ErrorResponses.unexpected(e, request.requestId());
        }
    }
}
