package herald.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import herald.http.ApiRequest;
import herald.kernel.UnauthorizedException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiKeyAuthenticatorTest {

    private final ApiKeyAuthenticator authenticator = new ApiKeyAuthenticator("the-right-key", null, java.time.Clock.systemUTC());

    private static ApiRequest request(Map<String, String> headers, Map<String, String> query) {
        return ApiRequest.of(APIGatewayV2HTTPEvent.builder().withHeaders(headers).withQueryStringParameters(query).build());
    }

    private Principal authenticate(ApiRequest request) {
        return authenticator.authenticate(request.headers(), request.queryParameters()).principal();
    }

    @Test
    void acceptsTheKeyInEachPlaceTheContractAllows() {
        assertThat(authenticate(request(Map.of("x-api-key", "the-right-key"), null)).name()).isEqualTo("admin");
        assertThat(authenticate(request(Map.of("authorization", "ApiKey the-right-key"), null))).isNotNull();
        assertThat(authenticate(request(Map.of("authorization", "apikey the-right-key"), null))).isNotNull();
        assertThat(authenticate(request(null, Map.of("api_key", "the-right-key")))).isNotNull();
        assertThat(authenticate(request(Map.of("X-Api-Key", "the-right-key"), null))).isNotNull();
    }

    @Test
    void theHeaderWinsOverTheQueryParameter() {
        assertThatThrownBy(() -> authenticate(
                request(Map.of("x-api-key", "wrong"), Map.of("api_key", "the-right-key"))))
                .isInstanceOf(UnauthorizedException.class).hasMessageStartingWith("Invalid API key");
    }

    @Test
    void refusesMissingAndWrongKeys() {
        assertThatThrownBy(() -> authenticate(request(Map.of(), null)))
                .isInstanceOf(UnauthorizedException.class).hasMessageStartingWith("Missing API key");
        assertThatThrownBy(() -> authenticate(request(Map.of("authorization", "Bearer the-right-key"), null)))
                .hasMessageStartingWith("Missing API key");
        assertThatThrownBy(() -> authenticate(request(Map.of("x-api-key", "the-right-ke"), null)))
                .hasMessageStartingWith("Invalid API key");
        assertThatThrownBy(() -> authenticate(request(Map.of("x-api-key", "the-right-key-and-more"), null)))
                .hasMessageStartingWith("Invalid API key");
    }

    @Test
    void anEmptyConfiguredKeyIsAConfigurationError() {
        assertThatThrownBy(() -> new ApiKeyAuthenticator(" ", null, java.time.Clock.systemUTC())).isInstanceOf(IllegalArgumentException.class);
    }
}
