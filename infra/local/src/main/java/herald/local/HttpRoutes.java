package herald.local;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The routes of the HTTP API and API Gateway's rules for choosing one: a route matches on method (or
 * {@code ANY}) and path template; the most specific match wins (literal segments over {@code {param}}, which wins
 * over a greedy {@code {param+}}; an exact method over {@code ANY}); with no match, the {@code $default} route.
 *
 * <p>Immutable and thread-safe.
 */
final class HttpRoutes {

    record Match(SamTemplate.RouteSpec route, LocalFunction function, Map<String, String> pathParameters) {
    }

    private record Route(SamTemplate.RouteSpec spec, LocalFunction function, String[] segments) {
    }

    private final List<Route> routes = new ArrayList<>();
    private Route defaultRoute;

    HttpRoutes(List<LocalFunction> functions) {
        for (LocalFunction function : functions) {
            for (SamTemplate.RouteSpec spec : function.spec().routes()) {
                if (spec.isDefault()) {
                    if (defaultRoute != null) {
                        throw new IllegalArgumentException("Two $default routes: " + defaultRoute.function().name()
                                + " and " + function.name());
                    }
                    defaultRoute = new Route(spec, function, new String[0]);
                } else {
                    for (Route existing : routes) {
                        if (existing.spec().routeKey().equals(spec.routeKey())) {
                            throw new IllegalArgumentException("Route " + spec.routeKey() + " is declared twice");
                        }
                    }
                    routes.add(new Route(spec, function, split(spec.path())));
                }
            }
        }
    }

    List<SamTemplate.RouteSpec> all() {
        List<SamTemplate.RouteSpec> all = new ArrayList<>();
        routes.forEach(r -> all.add(r.spec()));
        if (defaultRoute != null) {
            all.add(defaultRoute.spec());
        }
        return all;
    }

    Optional<Match> match(String method, String rawPath) {
        String[] segments = split(rawPath);
        List<Match> candidates = new ArrayList<>();
        for (Route route : routes) {
            String routeMethod = route.spec().method();
            if (!routeMethod.equals("ANY") && !routeMethod.equals(method)) {
                continue;
            }
            Map<String, String> parameters = bind(route.segments(), segments);
            if (parameters != null) {
                candidates.add(new Match(route.spec(), route.function(), parameters));
            }
        }
        Optional<Match> best = candidates.stream().max(Comparator.comparingLong(HttpRoutes::specificity));
        if (best.isPresent() || defaultRoute == null) {
            return best;
        }
        return Optional.of(new Match(defaultRoute.spec(), defaultRoute.function(), Map.of()));
    }

    private static long specificity(Match match) {
        long score = 0;
        for (String segment : split(match.route().path())) {
            score = score * 4 + (segment.endsWith("+}") ? 0 : segment.startsWith("{") ? 1 : 2);
        }
        return score * 2 + (match.route().method().equals("ANY") ? 0 : 1);
    }

    /** Binds path segments to a template, or returns null when they do not match it. */
    private static Map<String, String> bind(String[] template, String[] path) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < template.length; i++) {
            String segment = template[i];
            if (segment.startsWith("{") && segment.endsWith("+}")) {
                if (i >= path.length) {
                    return null;
                }
                List<String> rest = new ArrayList<>();
                for (int j = i; j < path.length; j++) {
                    rest.add(decode(path[j]));
                }
                parameters.put(segment.substring(1, segment.length() - 2), String.join("/", rest));
                return parameters;
            }
            if (i >= path.length) {
                return null;
            }
            if (segment.startsWith("{") && segment.endsWith("}")) {
                if (path[i].isEmpty()) {
                    return null;
                }
                parameters.put(segment.substring(1, segment.length() - 1), decode(path[i]));
            } else if (!segment.equals(path[i])) {
                return null;
            }
        }
        return template.length == path.length ? parameters : null;
    }

    private static String[] split(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    }

    private static String decode(String segment) {
        return decode(segment, false);
    }

    /**
     * Percent-decodes a path segment or a query part as strict UTF-8 ({@code +} is a space in a query only).
     * Throws {@link IllegalArgumentException} for a {@code %} without two hexadecimal digits or bytes that are not
     * UTF-8, which API Gateway would not route.
     */
    static String decode(String encoded, boolean plusIsSpace) {
        if (encoded.indexOf('%') < 0 && !(plusIsSpace && encoded.indexOf('+') >= 0)) {
            return encoded;
        }
        StringBuilder decoded = new StringBuilder(encoded.length());
        ByteArrayOutputStream escaped = new ByteArrayOutputStream();
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                if (i + 2 >= encoded.length()) {
                    throw new IllegalArgumentException("an incomplete escape");
                }
                int high = Character.digit(encoded.charAt(i + 1), 16);
                int low = Character.digit(encoded.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    throw new IllegalArgumentException("an escape that is not hexadecimal");
                }
                escaped.write(high * 16 + low);
                i += 2;
                continue;
            }
            flush(escaped, decoded);
            decoded.append(c == '+' && plusIsSpace ? ' ' : c);
        }
        flush(escaped, decoded);
        return decoded.toString();
    }

    /** Appends escaped bytes as strict UTF-8. */
    private static void flush(ByteArrayOutputStream escaped, StringBuilder decoded) {
        if (escaped.size() == 0) {
            return;
        }
        try {
            decoded.append(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(escaped.toByteArray())));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("escapes that are not UTF-8");
        }
        escaped.reset();
    }
}
