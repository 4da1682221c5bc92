package herald.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import herald.auth.ApiKeyAuthenticator;
import herald.auth.AuthorizerContext;
import herald.auth.Principal;
import herald.kernel.HeraldException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code AuthorizerFunction}: the Lambda REQUEST authorizer of the HTTP API and of the WebSocket API's
 * {@code $connect}. It finds the key ({@link ApiKeyAuthenticator#presentedKey}), checks it, and hands the caller to
 * the handlers in the authorizer context ({@link AuthorizerContext}); the handlers authorise the action itself.
 *
 * <ul>
 *   <li>HTTP API (payload 2.0, simple responses): always {@code isAuthorized: true}; a request without a valid key
 *   carries the reason in the context and the handler answers 401 in Herald's JSON, as the Ayon contract wants,
 *   rather than API Gateway's bare 403.</li>
 *   <li>WebSocket {@code $connect} (an IAM policy): a valid key connects as its principal, no key connects
 *   anonymously (Ayon's clients authenticate with a message after connecting), a wrong key is denied.</li>
 * </ul>
 *
 * <p>It never logs a key. Thread-safe.
 */
public final class AuthorizerFunction implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private static final Logger LOG = LoggerFactory.getLogger(AuthorizerFunction.class);

    private final ApiKeyAuthenticator authenticator;

    public AuthorizerFunction() {
        this(System.getenv());
    }

    public AuthorizerFunction(Map<String, String> environment) {
        this.authenticator = new Container(environment).authenticator();
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        Map<String, String> headers = strings(event.get("headers"));
        Map<String, String> query = strings(event.get("queryStringParameters"));
        Object methodArn = event.get("methodArn");
        if (methodArn != null) {
            return webSocket(String.valueOf(methodArn), ApiKeyAuthenticator.presentedKey(headers, query));
        }
        Map<String, Object> caller;
        try {
            caller = AuthorizerContext.of(authenticator.authenticate(headers, query), Instant.now());
        } catch (HeraldException e) {
            caller = AuthorizerContext.denied(e.getMessage());
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("isAuthorized", true);
        response.put("context", caller);
        return response;
    }

    private Map<String, Object> webSocket(String methodArn, Optional<String> key) {
        Map<String, Object> context = Map.of();
        String principalId = "anonymous";
        String effect = "Allow";
        if (key.isPresent()) {
            try {
                Principal principal = authenticator.authenticateKey(key.get());
                context = AuthorizerContext.of(principal);
                principalId = principal.name();
            } catch (HeraldException e) {
                LOG.info("Refused a WebSocket connection: {}", e.getMessage());
                effect = "Deny";
            }
        }
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Action", "execute-api:Invoke");
        statement.put("Effect", effect);
        statement.put("Resource", methodArn);
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("Version", "2012-10-17");
        policy.put("Statement", List.of(statement));
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("principalId", principalId);
        response.put("policyDocument", policy);
        response.put("context", context);
        return response;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> strings(Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            return Map.of();
        }
        Map<String, String> strings = new LinkedHashMap<>();
        ((Map<Object, Object>) map).forEach((name, v) -> {
            if (name != null && v != null) {
                strings.put(String.valueOf(name), String.valueOf(v));
            }
        });
        return strings;
    }
}
