package herald.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import herald.auth.AuthorizerContext;
import herald.auth.Principal;
import herald.events.Caller;
import herald.kernel.Flags;
import herald.kernel.InvalidRequestException;
import herald.kernel.JsonBody;
import herald.kernel.Names;
import herald.kernel.UnauthorizedException;
import herald.scripting.CacheStamps;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One HTTP API request as a handler reads it: the route key the template declared, headers by lower-case name,
 * query and path parameters, and the body decoded from base64 when API Gateway encoded it.
 */
public final class ApiRequest {

    private final APIGatewayV2HTTPEvent event;
    /** The call's stamp, read at most once and only when something needs it; null without a stamp table. */
    private final Supplier<CacheStamps.Stamp> stamp;

    private ApiRequest(APIGatewayV2HTTPEvent event, Supplier<CacheStamps.Stamp> stamp) {
        this.event = event;
        this.stamp = stamp;
    }

    public static ApiRequest of(APIGatewayV2HTTPEvent event) {
        return new ApiRequest(event, null);
    }

    /**
     * This request with its function's per-call stamp (key changes, the script cache's state), read on first use:
     * a call without a valid key or a script to run never reads it.
     */
    ApiRequest withStamps(CacheStamps stamps) {
        CacheStamps.Stamp[] read = new CacheStamps.Stamp[1];
        return new ApiRequest(event, () -> {
            if (read[0] == null) {
                read[0] = stamps.current();
            }
            return read[0];
        });
    }

    /** The same call with the request a pre_process script changed: its stamp (and so its key check) stays. */
    ApiRequest withEvent(APIGatewayV2HTTPEvent changed) {
        return new ApiRequest(changed, stamp);
    }

    /** The per-call stamp read for this request, if its function has one. */
    public Optional<CacheStamps.Stamp> stamp() {
        return stamp == null ? Optional.empty() : Optional.of(stamp.get());
    }

    /** {@code "POST /api/events"}, as declared in template.yaml, or {@code "$default"}. */
    public String routeKey() {
        return event.getRouteKey() == null ? "$default" : event.getRouteKey();
    }

    public String method() {
        var context = event.getRequestContext();
        return context == null || context.getHttp() == null ? "" : context.getHttp().getMethod();
    }

    /**
     * The caller, as the authorizer found it: 401 with the authorizer's reason when the request had no valid key, or
     * when it reached the function without passing an authorizer at all (a route the template leaves open by mistake
     * is then closed, not open). With Ayon's {@code X-as-user} header, a service or admin key's call is the named
     * user's ({@link Principal#actingAs}).
     */
    public Principal principal() {
        // the stamp is read only once the context names a caller: a call without a valid key costs no read
        Principal key = AuthorizerContext.current(authorizerContext(),
                () -> stamp().map(CacheStamps.Stamp::keyChanges).orElse(Map.of()), Instant.now());
        return header("x-as-user").filter(user -> !user.isEmpty()).map(key::actingAs).orElse(key);
    }

    /** The caller when the request carried a valid key; empty otherwise (for routes open to everyone). */
    public Optional<Principal> optionalPrincipal() {
        try {
            return Optional.of(principal());
        } catch (UnauthorizedException e) {
            return Optional.empty();
        }
    }

    /**
     * The caller of an event operation: the principal, the {@code X-Sender} header (dropped when it is not a valid
     * name, as in Ayon) and the {@code X-Sender-Type} header, {@code "api"} by default.
     */
    public Caller caller() {
        String sender = header("x-sender").filter(Names::isName).orElse(null);
        String senderType = header("x-sender-type").filter(Names::isName).orElse(Caller.DEFAULT_SENDER_TYPE);
        return new Caller(principal(), sender, senderType);
    }

    /** The path template of the route, {@code "/api/events/{id}"}, or {@code ""} for {@code $default}. */
    public String routePath() {
        String key = routeKey();
        int space = key.indexOf(' ');
        return space < 0 ? "" : key.substring(space + 1);
    }

    /** Headers by lower-case name (never null). */
    public Map<String, String> headers() {
        Map<String, String> headers = event.getHeaders();
        if (headers == null) {
            return Map.of();
        }
        Map<String, String> lower = new java.util.TreeMap<>();
        headers.forEach((name, value) -> lower.put(name.toLowerCase(Locale.ROOT), value));
        return lower;
    }

    /**
     * What the Lambda authorizer put in the request's context ({@code requestContext.authorizer.lambda}); empty when
     * the route has no authorizer.
     */
    public Map<String, Object> authorizerContext() {
        var context = event.getRequestContext();
        if (context == null || context.getAuthorizer() == null || context.getAuthorizer().getLambda() == null) {
            return Map.of();
        }
        return context.getAuthorizer().getLambda();
    }

    /**
     * A true/false query parameter ({@code ?purge=true}), read by {@link Flags}: absent is false, anything but
     * true/false/1/0 (in any case) is a 400 that names the parameter.
     */
    public boolean flag(String name) {
        return optionalFlag(name).orElse(false);
    }

    /** A true/false query parameter that may be absent (empty then), read as {@link #flag} reads it. */
    public Optional<Boolean> optionalFlag(String name) {
        return Flags.parse("Query parameter '" + name + "'", queryParameter(name).orElse(null));
    }

    /** A whole-number query parameter that may be absent (empty then); anything else is a 400 that names it. */
    public Optional<Integer> integerParameter(String name) {
        return queryParameter(name).filter(v -> !v.isEmpty()).map(value -> {
            try {
                return Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new InvalidRequestException("Query parameter '" + name + "' must be a whole number, not '"
                        + Names.abbreviate(value) + "'");
            }
        });
    }

    /** Query parameters (never null). */
    public Map<String, String> queryParameters() {
        return event.getQueryStringParameters() == null ? Map.of() : event.getQueryStringParameters();
    }

    /** Path parameters (never null). */
    public Map<String, String> pathParameters() {
        return event.getPathParameters() == null ? Map.of() : event.getPathParameters();
    }

    /** The API Gateway event this request was read from. */
    public APIGatewayV2HTTPEvent event() {
        return event;
    }

    public String path() {
        return event.getRawPath() == null ? "/" : event.getRawPath();
    }

    public String requestId() {
        var context = event.getRequestContext();
        return context == null || context.getRequestId() == null ? "-" : context.getRequestId();
    }

    public Optional<String> header(String name) {
        Map<String, String> headers = event.getHeaders();
        if (headers == null) {
            return Optional.empty();
        }
        String value = headers.get(name.toLowerCase(Locale.ROOT));
        if (value == null) {
            // API Gateway lower-cases header names; events built by hand may not.
            for (var entry : headers.entrySet()) {
                if (entry.getKey().equalsIgnoreCase(name)) {
                    value = entry.getValue();
                    break;
                }
            }
        }
        return Optional.ofNullable(value);
    }

    public Optional<String> queryParameter(String name) {
        Map<String, String> parameters = event.getQueryStringParameters();
        return parameters == null ? Optional.empty() : Optional.ofNullable(parameters.get(name));
    }

    public Optional<String> pathParameter(String name) {
        Map<String, String> parameters = event.getPathParameters();
        return parameters == null ? Optional.empty() : Optional.ofNullable(parameters.get(name));
    }

    /** The body as text; an absent body is the empty string. */
    public String body() {
        String body = event.getBody();
        if (body == null) {
            return "";
        }
        if (event.getIsBase64Encoded()) {
            return utf8(bodyBytes());
        }
        return body;
    }

    /** Text strictly decoded: a body that is not UTF-8 is refused rather than read with replacement characters. */
    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new InvalidRequestException("The request body is not valid UTF-8; send JSON encoded as UTF-8");
        }
    }

    /** The body's bytes exactly as the caller sent them (what a signature is computed over). */
    public byte[] bodyBytes() {
        String body = event.getBody();
        if (body == null) {
            return new byte[0];
        }
        if (event.getIsBase64Encoded()) {
            try {
                return Base64.getDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("The request body is marked base64 but is not valid base64");
            }
        }
        return body.getBytes(StandardCharsets.UTF_8);
    }

    public JsonBody jsonBody() {
        return JsonBody.parse(body());
    }
}
