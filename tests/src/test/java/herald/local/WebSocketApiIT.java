package herald.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;

/** The local WebSocket API and @connections, with a real WebSocket client and the AWS SDK's Management API client. */
class WebSocketApiIT {

    private static LocalHerald runtime;
    private static ApiGatewayManagementApiClient connections;

    @BeforeAll
    static void start() throws Exception {
        Path template = Path.of(WebSocketApiIT.class.getResource("/templates/websocket.yaml").toURI());
        runtime = LocalHerald.start(template, "127.0.0.1", 0, Map.of());
        connections = ApiGatewayManagementApiClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + runtime.baseUrl().getPort() + "/live"))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .build();
    }

    @AfterAll
    static void stop() {
        connections.close();
        runtime.close();
    }

    /** A client that queues what it receives. */
    private static final class Client implements WebSocket.Listener {
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            received.add(data.toString());
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
            closed.complete(code);
            return null;
        }
    }

    private static WebSocket connect(String token, Client client) throws Exception {
        return HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(runtime.webSocketUrl().orElseThrow() + "/?token=" + token), client)
                .get(10, TimeUnit.SECONDS);
    }

    private static APIGatewayV2WebSocketEvent next(String routeKey, String connectionId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            APIGatewayV2WebSocketEvent event = SocketTestHandler.EVENTS.poll(200, TimeUnit.MILLISECONDS);
            if (event != null && event.getRequestContext().getRouteKey().equals(routeKey)
                    && (connectionId == null || connectionId.equals(event.getRequestContext().getConnectionId()))) {
                return event;
            }
        }
        throw new AssertionError("No " + routeKey + " event for " + connectionId);
    }

    @Test
    void aConnectionRefusedByConnectNeverOpens() {
        assertThatThrownBy(() -> connect("wrong", new Client())).isInstanceOf(ExecutionException.class);
    }

    @Test
    void messagesGoToTheSelectedRouteAndAFunctionAnswersThroughConnections() throws Exception {
        Client client = new Client();
        WebSocket socket = connect("let-me-in", client);
        APIGatewayV2WebSocketEvent connected = next("$connect", null);
        String id = connected.getRequestContext().getConnectionId();
        assertThat(id).hasSize(12).endsWith("=");
        assertThat(connected.getRequestContext().getEventType()).isEqualTo("CONNECT");
        assertThat(connected.getRequestContext().getStage()).isEqualTo("live");
        assertThat(connected.getQueryStringParameters()).containsEntry("token", "let-me-in");

        socket.sendText("{\"topic\":\"echo\",\"n\":1}", true).get(5, TimeUnit.SECONDS);
        assertThat(client.received.poll(10, TimeUnit.SECONDS)).isEqualTo("echo: {\"topic\":\"echo\",\"n\":1}");
        APIGatewayV2WebSocketEvent echoed = next("echo", id);
        assertThat(echoed.getRequestContext().getEventType()).isEqualTo("MESSAGE");

        socket.sendText("{\"topic\":\"nothing.else\"}", true).get(5, TimeUnit.SECONDS);
        assertThat(next("$default", id).getBody()).isEqualTo("{\"topic\":\"nothing.else\"}");
        socket.sendText("not json", true).get(5, TimeUnit.SECONDS);
        assertThat(next("$default", id).getBody()).isEqualTo("not json");

        connections.postToConnection(r -> r.connectionId(id).data(SdkBytes.fromUtf8String("pushed")));
        assertThat(client.received.poll(10, TimeUnit.SECONDS)).isEqualTo("pushed");
        assertThat(connections.getConnection(r -> r.connectionId(id)).identity().sourceIp()).isEqualTo("127.0.0.1");

        connections.deleteConnection(r -> r.connectionId(id));
        assertThat(client.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
        assertThat(next("$disconnect", id).getRequestContext().getEventType()).isEqualTo("DISCONNECT");
        assertThatThrownBy(() -> connections.postToConnection(r -> r.connectionId(id)
                .data(SdkBytes.fromUtf8String("too late")))).isInstanceOf(GoneException.class);
    }

    @Test
    void aClientThatLeavesIsGoneForPosts() throws Exception {
        Client client = new Client();
        WebSocket socket = connect("let-me-in", client);
        String id = next("$connect", null).getRequestContext().getConnectionId();
        socket.abort();
        next("$disconnect", id);
        assertThatThrownBy(() -> connections.postToConnection(r -> r.connectionId(id)
                .data(SdkBytes.fromUtf8String("anyone?")))).isInstanceOf(GoneException.class);
        assertThatThrownBy(() -> connections.getConnection(r -> r.connectionId("unknown0000="))).isInstanceOf(GoneException.class);
    }
}
