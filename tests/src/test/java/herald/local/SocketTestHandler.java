package herald.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;

/**
 * A WebSocket test function: $connect accepts only {@code ?token=let-me-in}; the {@code echo} route posts the
 * message back through the Management API, as a real function would; every event is recorded.
 */
public final class SocketTestHandler
        implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {

    static final BlockingQueue<APIGatewayV2WebSocketEvent> EVENTS = new LinkedBlockingQueue<>();
    private final ApiGatewayManagementApiClient connections;

    public SocketTestHandler(Map<String, String> environment) {
        this.connections = ApiGatewayManagementApiClient.builder()
                .endpointOverride(URI.create(environment.get("AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI")))
                .region(Region.of(environment.get("AWS_REGION")))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        environment.get("AWS_ACCESS_KEY_ID"), environment.get("AWS_SECRET_ACCESS_KEY"))))
                .build();
    }

    @Override
    public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
        EVENTS.add(event);
        var request = event.getRequestContext();
        int status = 200;
        if (request.getRouteKey().equals("$connect")) {
            var query = event.getQueryStringParameters();
            status = query != null && "let-me-in".equals(query.get("token")) ? 200 : 401;
        } else if (request.getRouteKey().equals("echo")) {
            connections.postToConnection(r -> r.connectionId(request.getConnectionId())
                    .data(SdkBytes.fromUtf8String("echo: " + event.getBody())));
        }
        APIGatewayV2WebSocketResponse response = new APIGatewayV2WebSocketResponse();
        response.setStatusCode(status);
        return response;
    }
}
