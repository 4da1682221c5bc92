package herald.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import herald.kernel.InvalidRequestException;
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
        assertThat(MethodOverride.effectiveMethod(request("POST", Map.of(), Map.of("method", "delete")))).isEqualTo("DELETE");
        assertThat(MethodOverride.effectiveMethod(request("POST", Map.of("x-http-method-override", "PUT"), Map.of()))).isEqualTo("PUT");
        assertThat(MethodOverride.effectiveMethod(request("POST", Map.of("x-http-method", "PATCH"), Map.of()))).isEqualTo("PATCH");
        assertThat(MethodOverride.effectiveMethod(request("POST", Map.of("x-method-override", "DELETE"), Map.of()))).isEqualTo("DELETE");
        assertThat(MethodOverride.effectiveMethod(request("POST", Map.of(), Map.of("_method", "merge")))).isEqualTo("PATCH");
        assertThat(MethodOverride.effectiveMethod(request("POST", Map.of(), Map.of()))).isEqualTo("POST");
    }

    @Test
    void xHttpMethodOverrideAndUnderscoreMethodComeFirst() {
        assertThat(MethodOverride.effectiveMethod(request("POST", Map.of("x-http-method-override", "PUT", "x-http-method", "DELETE"), Map.of("method", "PATCH")))).isEqualTo("PUT");
        assertThat(MethodOverride.effectiveMethod(request("POST", Map.of("x-http-method", "DELETE"), Map.of("_method", "PATCH"))))
                .isEqualTo("PATCH");
    }

    @Test
    void onlyAPostTunnels() {
        assertThat(MethodOverride.effectiveMethod(request("GET", Map.of("x-http-method-override", "DELETE"), Map.of("method", "DELETE"))))
                .isEqualTo("GET");
    }

    @Test
    void anUnknownMethodIsABadRequest() {
        assertThatThrownBy(() -> MethodOverride.effectiveMethod(request("POST", Map.of(), Map.of("method", "TRACE"))))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("'TRACE'");
    }
}
