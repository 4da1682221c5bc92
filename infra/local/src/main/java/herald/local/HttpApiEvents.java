package herald.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Builds the {@link APIGatewayV2HTTPEvent} (payload format 2.0) that API Gateway's HTTP API builds for a request:
 * lower-case header names with repeated values joined by commas, cookies apart, decoded query and path
 * parameters, the route key, the request context, and a body that is text for textual content types and base64
 * otherwise.
 */
final class HttpApiEvents {

    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);

    private HttpApiEvents() {
    }

    /** A request as it came off the wire: its path and query still percent-encoded, its headers in order. */
    record Received(String method, String rawPath, String rawQuery, List<Map.Entry<String, String>> headers,
            String protocol, String sourceIp) {
    }

    /**
     * The event for a request. Throws {@link IllegalArgumentException} for a query that is not valid
     * percent-encoding, which API Gateway refuses before any function runs.
     */
    static APIGatewayV2HTTPEvent build(Received request, HttpRoutes.Match match, String stage, byte[] body) {
        String method = request.method().toUpperCase(Locale.ROOT);
        String rawPath = request.rawPath();
        String rawQuery = request.rawQuery();

        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        for (Map.Entry<String, String> header : request.headers()) {
            String lower = header.getKey().toLowerCase(Locale.ROOT);
            if (lower.equals("cookie")) {
                cookies.addAll(List.of(header.getValue().split(";\\s*")));
            } else {
                headers.merge(lower, header.getValue(), (a, b) -> a + "," + b);
            }
        }

        // Text that is not UTF-8 is passed base64-encoded, as binary, so the function sees the bytes sent.
        boolean text = isText(headers.get("content-type")) && isUtf8(body);
        String encodedBody = body.length == 0 ? null
                : text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body);
        long now = System.currentTimeMillis();

        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(match.route().routeKey())
                .withRawPath(rawPath)
                .withRawQueryString(rawQuery == null ? "" : rawQuery)
                .withCookies(cookies.isEmpty() ? null : cookies)
                .withHeaders(headers)
                .withQueryStringParameters(query(rawQuery))
                .withPathParameters(match.pathParameters().isEmpty() ? null : match.pathParameters())
                .withBody(encodedBody)
                .withIsBase64Encoded(encodedBody != null && !text)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withAccountId(Intrinsics.ACCOUNT)
                        .withApiId("local")
                        .withDomainName(headers.getOrDefault("host", "127.0.0.1"))
                        .withDomainPrefix("local")
                        .withRequestId(UUID.randomUUID().toString())
                        .withRouteKey(match.route().routeKey())
                        .withStage(stage)
                        .withTime(REQUEST_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)))
                        .withTimeEpoch(now)
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(method)
                                .withPath(rawPath)
                                .withProtocol(request.protocol())
                                .withSourceIp(request.sourceIp())
                                .withUserAgent(headers.get("user-agent"))
                                .build())
                        .build())
                .build();
    }

    private static Map<String, String> query(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return null;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = HttpRoutes.decode(eq < 0 ? pair : pair.substring(0, eq), true);
            String value = eq < 0 ? "" : HttpRoutes.decode(pair.substring(eq + 1), true);
            parameters.merge(name, value, (a, b) -> a + "," + b);
        }
        return parameters;
    }

    private static boolean isUtf8(byte[] body) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(body));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    private static boolean isText(String contentType) {
        if (contentType == null) {
            return true;
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        return type.startsWith("text/") || type.contains("json") || type.contains("xml")
                || type.contains("javascript") || type.contains("x-www-form-urlencoded");
    }
}
