package herald.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import herald.kernel.HeraldException;
import herald.kernel.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become responses: every error is {@code {"code": status, "detail": "..."}}.
 * Unexpected failures are logged with their stack trace and answered with a 500 that names the request id,
 * never with the trace itself.
 */
public final class ErrorResponses {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

    private ErrorResponses() {
    }

    public static APIGatewayV2HTTPResponse of(HeraldException e) {
        return error(e.status(), e.detail());
    }

    public static APIGatewayV2HTTPResponse unexpected(Throwable failure, String requestId) {
        LOG.error("Request {} failed unexpectedly", requestId, failure);
        return error(500, "Herald failed to handle this request (request id " + requestId
                + "). It was logged; retrying may help, and if it persists, report the request id.");
    }

    public static APIGatewayV2HTTPResponse error(int status, String detail) {
        var body = Json.MAPPER.createObjectNode().put("code", status).put("detail", detail);
        return ApiResponses.json(status, body);
    }
}
