package herald.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import herald.auth.ApiKeyAuthenticator;
import herald.auth.AuthorizerContext;
import herald.auth.Permissions;
import herald.auth.Principal;
import herald.auth.Role;
import herald.kernel.UnauthorizedException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthorizerFunctionTest {

    private static final String KEY = "k".repeat(32);
    private final AuthorizerFunction authorizer = new AuthorizerFunction(Map.of("HERALD_API_KEY", KEY));

    @Test
    void theHttpApiAlwaysReachesTheHandlerWithTheCallerOrTheReason() {
        Map<String, Object> allowed = authorizer.handleRequest(Map.of("version", "2.0", "type", "REQUEST",
                "headers", Map.of("x-api-key", KEY)), null);
        assertThat(allowed.get("isAuthorized")).isEqualTo(true);
        @SuppressWarnings("unchecked")
        Map<String, Object> context = (Map<String, Object>) allowed.get("context");
        assertThat(AuthorizerContext.principal(context)).isEqualTo(new Principal("admin", Role.ADMIN, null));

        Map<String, Object> wrong = authorizer.handleRequest(Map.of("headers", Map.of("Authorization", "ApiKey nope")), null);
        assertThat(wrong.get("isAuthorized")).isEqualTo(true);
        @SuppressWarnings("unchecked")
        Map<String, Object> denied = (Map<String, Object>) wrong.get("context");
        assertThatThrownBy(() -> AuthorizerContext.principal(denied)).isInstanceOf(UnauthorizedException.class)
                .hasMessageStartingWith("Invalid API key");

        @SuppressWarnings("unchecked")
        Map<String, Object> none = (Map<String, Object>) authorizer.handleRequest(Map.of(), null).get("context");
        assertThatThrownBy(() -> AuthorizerContext.principal(none)).hasMessageStartingWith("Missing API key");
    }

    @Test
    void theWebSocketConnectIsAllowedWithoutAKeyAndDeniedWithAWrongOne() {
        String arn = "arn:aws:execute-api:eu-west-1:1:api/live/$connect";
        Map<String, Object> anonymous = authorizer.handleRequest(Map.of("type", "REQUEST", "methodArn", arn), null);
        assertThat(effect(anonymous)).isEqualTo("Allow");
        assertThat((Map<?, ?>) anonymous.get("context")).isEmpty();
        Map<String, Object> keyed = authorizer.handleRequest(Map.of("methodArn", arn,
                "queryStringParameters", Map.of("token", KEY)), null);
        assertThat(effect(keyed)).isEqualTo("Allow");
        assertThat(keyed.get("principalId")).isEqualTo("admin");
        Map<String, Object> wrong = authorizer.handleRequest(Map.of("methodArn", arn,
                "queryStringParameters", Map.of("api_key", "nope")), null);
        assertThat(effect(wrong)).isEqualTo("Deny");
    }

    @Test
    void aPrincipalSurvivesTheContextAndAHandlerWithoutOneIsClosed() {
        Principal limited = new Principal("svc", Role.SERVICE, Set.of("b", "a"));
        Map<String, Object> context = AuthorizerContext.of(limited);
        assertThat(context.get("projects")).isEqualTo("[\"a\",\"b\"]");
        assertThat(AuthorizerContext.principal(context)).isEqualTo(limited);
        assertThatThrownBy(() -> AuthorizerContext.principal(Map.of())).isInstanceOf(UnauthorizedException.class);
        assertThatThrownBy(() -> AuthorizerContext.principal(Map.of("name", "x", "role", "root")))
                .isInstanceOf(UnauthorizedException.class);
    }

    @Test
    void theKeyIsFoundWhereverTheContractAllowsIt() {
        assertThat(ApiKeyAuthenticator.presentedKey(Map.of("X-API-KEY", " a "), null)).contains("a");
        assertThat(ApiKeyAuthenticator.presentedKey(Map.of("authorization", "apikey b"), null)).contains("b");
        assertThat(ApiKeyAuthenticator.presentedKey(Map.of("authorization", "Bearer c"), Map.of())).isEmpty();
        assertThat(ApiKeyAuthenticator.presentedKey(Map.of(), Map.of("api_key", "d"))).contains("d");
        assertThat(ApiKeyAuthenticator.presentedKey(null, Map.of("token", "e"))).contains("e");
    }

    @Test
    void usersUpdateOnlyTheirOwnEventsAndOnlyJobStatuses() {
        Principal user = new Principal("ada", Role.USER, null);
        Permissions.requireMayUpdate(user, "ada", "a.b", true, true, null);
        Permissions.requireMayUpdate(user, "ada", "a.b", false, false, "ada");
        assertThatThrownBy(() -> Permissions.requireMayUpdate(user, "bob", "a.b", true, false, null))
                .hasMessageContaining("only their own events");
        assertThatThrownBy(() -> Permissions.requireMayUpdate(user, "ada", "a.b", false, true, null))
                .hasMessageContaining("enrolled jobs only");
        assertThatThrownBy(() -> Permissions.requireMayUpdate(user, "ada", "a.b", true, false, "bob"))
                .hasMessageContaining("another user");
        Permissions.requireMayUpdate(new Principal("svc", Role.SERVICE, null), "bob", "a.b", false, true, "eve");
        assertThatThrownBy(() -> Permissions.requireManager(user, "enroll")).hasMessageContaining("role user");
        assertThatThrownBy(() -> Permissions.requireProject(new Principal("p", Role.USER, Set.of("x")), "y", "read events"))
                .hasMessageContaining("limited to projects [x]");
    }

    @SuppressWarnings("unchecked")
    private static String effect(Map<String, Object> response) {
        Map<String, Object> policy = (Map<String, Object>) response.get("policyDocument");
        return (String) ((List<Map<String, Object>>) policy.get("Statement")).get(0).get("Effect");
    }
}
