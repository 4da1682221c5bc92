package herald.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API's Lambda REQUEST authorizers, run as API Gateway runs them before a route's function: every identity
 * source must be present and non-empty, else 401 without calling the authorizer; a result is cached per authorizer
 * and identity values for the authorizer's TTL; the authorizer gets the payload format 2.0 request; a simple
 * response's {@code isAuthorized: false} is a 403, a failing authorizer a 500, and an authorized request carries
 * the response's {@code context} to the function as {@code requestContext.authorizer.lambda}.
 *
 * <p>Thread-safe.
 */
final class LambdaAuthorizers {

    private static final Logger LOG = LoggerFactory.getLogger(LambdaAuthorizers.class);

    /** What API Gateway decided: the status it answers itself (0: go on to the function) and the context. */
    record Decision(int status, String body, Map<String, Object> context) {
        static Decision allow(Map<String, Object> context) {
            return new Decision(0, null, context);
        }

        static Decision refuse(int status, String message) {
            return new Decision(status, "{\"message\":\"" + message + "\"}", null);
        }

        boolean allowed() {
            return status == 0;
        }
    }

    private record Cached(Decision decision, Instant until) {
    }

    private final Map<String, SamTemplate.AuthorizerSpec> authorizers;
    private final Map<String, LocalFunction> functions;
    private final Clock clock;
    private final Map<List<String>, Cached> cache = new ConcurrentHashMap<>();

    LambdaAuthorizers(Map<String, SamTemplate.AuthorizerSpec> authorizers, Map<String, LocalFunction> functions,
            Clock clock) {
        this.authorizers = authorizers;
        this.functions = functions;
        this.clock = clock;
        authorizers.values().forEach(a -> {
            if (!functions.containsKey(a.function())) {
                throw new IllegalArgumentException("Authorizer " + a.name() + " names " + a.function()
                        + ", which is not a function of the template");
            }
        });
    }

    /** Runs the route's authorizer over the request that {@code event} describes. */
    Decision authorize(String authorizerName, APIGatewayV2HTTPEvent event) {
        SamTemplate.AuthorizerSpec authorizer = authorizers.get(authorizerName);
        List<String> identity = new ArrayList<>();
        for (String source : authorizer.identitySources()) {
            String value = identityValue(source, event);
            if (value == null || value.isEmpty()) {
                return Decision.refuse(401, "Unauthorized");
            }
            identity.add(value);
        }
        List<String> cacheKey = new ArrayList<>(identity);
        cacheKey.add(0, authorizer.name());
        Instant now = clock.instant();
        if (authorizer.ttlSeconds() > 0) {
            Cached cached = cache.get(cacheKey);
            if (cached != null && now.isBefore(cached.until())) {
                return cached.decision();
            }
        }
        Decision decision = invoke(authorizer, event, identity);
        if (authorizer.ttlSeconds() > 0 && decision.status() != 500) {
            cache.put(cacheKey, new Cached(decision, now.plusSeconds(authorizer.ttlSeconds())));
        }
        return decision;
    }

    private Decision invoke(SamTemplate.AuthorizerSpec authorizer, APIGatewayV2HTTPEvent event, List<String> identity) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("version", "2.0");
        request.put("type", "REQUEST");
        request.put("routeArn", "arn:aws:execute-api:" + Intrinsics.REGION + ":" + Intrinsics.ACCOUNT + ":local/"
                + event.getRequestContext().getStage() + "/" + event.getRequestContext().getHttp().getMethod()
                + event.getRawPath());
        request.put("identitySource", identity);
        request.put("routeKey", event.getRouteKey());
        request.put("rawPath", event.getRawPath());
        request.put("rawQueryString", event.getRawQueryString());
        request.put("cookies", event.getCookies());
        request.put("headers", event.getHeaders());
        request.put("queryStringParameters", event.getQueryStringParameters());
        request.put("pathParameters", event.getPathParameters());
        request.put("requestContext", LocalJson.MAPPER.convertValue(event.getRequestContext(), Map.class));
        Object result;
        try {
            result = functions.get(authorizer.function()).invoke(request);
        } catch (Throwable failure) {
            LOG.error("Authorizer {} failed", authorizer.name(), failure);
            return Decision.refuse(500, "Internal Server Error");
        }
        Map<?, ?> response = result instanceof Map<?, ?> map ? map
                : LocalJson.MAPPER.convertValue(result, Map.class);
        if (!authorizer.simpleResponses()) {
            throw new IllegalStateException("Authorizer " + authorizer.name() + ": the local runtime reads simple "
                    + "responses only (EnableSimpleResponses: true)");
        }
        if (!Boolean.TRUE.equals(response.get("isAuthorized"))) {
            return Decision.refuse(403, "Forbidden");
        }
        Map<String, Object> context = new LinkedHashMap<>();
        if (response.get("context") instanceof Map<?, ?> given) {
            given.forEach((name, value) -> context.put(String.valueOf(name), value));
        }
        return Decision.allow(context);
    }

    private static String identityValue(String source, APIGatewayV2HTTPEvent event) {
        if (source.startsWith("$request.header.")) {
            Map<String, String> headers = event.getHeaders();
            return headers == null ? null : headers.get(source.substring("$request.header.".length())
                    .toLowerCase(Locale.ROOT));
        }
        if (source.startsWith("$request.querystring.")) {
            Map<String, String> query = event.getQueryStringParameters();
            return query == null ? null : query.get(source.substring("$request.querystring.".length()));
        }
        throw new IllegalArgumentException("Identity source " + source + " is not served locally");
    }
}
