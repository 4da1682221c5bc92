package herald.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MethodOverrideTest {

    private static ApiRequest request(String method, Map<String, String> headers, Map<String, String> query) {
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                .withHeaders(new HashMap<>(headers))
                .withQueryStringParameters(new HashMap<>(query))
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).build())
                        .build())
                .build();
        return ApiRequest.of(event);
    }

    @Test
    void aPostTunnelsTheMethodItNames() {
        assertThat(request("POST", Map.of(), Map.of("method", "delete")).effectiveMethod()).isEqualTo("DELETE");
        assertThat(request("POST", Map.of("x-http-method-override", "PUT"), Map.of()).effectiveMethod()).isEqualTo("PUT");
        assertThat(request("POST", Map.of("x-http-method", "PATCH"), Map.of()).effectiveMethod()).isEqualTo("PATCH");
        assertThat(request("POST", Map.of("x-method-override", "DELETE"), Map.of()).effectiveMethod()).isEqualTo("DELETE");
        assertThat(request("POST", Map.of(), Map.of("_method", "merge")).effectiveMethod()).isEqualTo("PATCH");
        assertThat(request("POST", Map.of(), Map.of()).effectiveMethod()).isEqualTo("POST");
    }

    @Test
    void xHttpMethodOverrideAndUnderscoreMethodComeFirst() {
        assertThat(request("POST", Map.of("x-http-method-override", "PUT", "x-http-method", "DELETE"), Map.of("method", "PATCH"))
                .effectiveMethod()).isEqualTo("PUT");
        assertThat(request("POST", Map.of("x-http-method", "DELETE"), Map.of("_method", "PATCH")).effectiveMethod())
                .isEqualTo("PATCH");
    }

    @Test
    void onlyAPostTunnels() {
        assertThat(request("GET", Map.of("x-http-method-override", "DELETE"), Map.of("method", "DELETE")).effectiveMethod())
                .isEqualTo("GET");
    }

    @Test
    void anUnknownMethodIsABadRequest() {
        assertThatThrownBy(() -> request("POST", Map.of(), Map.of("method", "TRACE")).effectiveMethod())
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("'TRACE'");
    }
}
