package herald.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import herald.http.Route;
import herald.http.Routes;
import herald.local.LocalHerald;
import herald.testing.HeraldClient.Response;
import herald.testing.HeraldClient;
import herald.testing.LocalHeraldExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Generated bad input on every route of the route table: malformed, mistyped, oversized and deeply nested bodies,
 * bad query parameters, hostile path values and headers, from a seeded generator (set {@code -Dfuzz.seed} to replay
 * a run; {@code -Dfuzz.cases} cases per route, 15 by default). Whatever arrives, each answer is below 500, an error
 * is {@code {"code","detail"}} with the status as its code, no answer names an internal (a class, a package, a stack
 * frame, DynamoDB's or the SDK's wording), and nothing is written to the tables that hold what callers create.
 * The failures a security review found are among the fixed cases of {@link #FIXED}.
 */
@ExtendWith(LocalHeraldExtension.class)
class RouteFuzzIT {

    private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
    private static final int CASES = Integer.getInteger("fuzz.cases", 15);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What no answer may carry: Java and SDK internals. */
    private static final Pattern INTERNAL = Pattern.compile(
            "com\\.fasterxml|java\\.(lang|util|io|net)|software\\.amazon|herald\\.[a-z]+\\.[A-Z]|Exception|"
            + "\\tat |StackTrace|graalvm|DynamoDb|dynamodb|Service: |Status Code: |Request ID|KeyConditionExpression"
            + "|ValidationException|JsonNode|DeserializationFeature");
    /** Tables whose item counts bad input must leave alone. */
    private static final List<String> TABLES = List.of("EVENTS_TABLE", "SCRIPTS_TABLE", "TRIGGERS_TABLE",
            "API_KEYS_TABLE");

    /** Cases a security review found failing, run on every route they fit. */
    private static final List<String[]> FIXED = List.of(
            new String[] {"query", "newerThan=2026-01-02T00:00:00Z&olderThan=2026-01-01T00:00:00Z"},
            new String[] {"query", "newerThan=2026-01-01T00:00:00Z&olderThan=2026-01-01T00:00:00Z"},
            new String[] {"query", "newerThan=+10000-01-01T00:00:00Z"},
            new String[] {"query", "limit=0"},
            new String[] {"query", "limit=-5"},
            new String[] {"query", "ids=" + "a".repeat(3000)},
            new String[] {"query", "ids=,,,"},
            new String[] {"query", "projects=" + "%20".repeat(3)},
            new String[] {"query", "cursor=" + "MjA".repeat(1000)},
            new String[] {"query", "purge=TRUEISH"},
            new String[] {"path", "x".repeat(1100)},
            new String[] {"path", "%00%ff"},
            new String[] {"header", "X-GitHub-Delivery", "d".repeat(3000)},
            new String[] {"header", "X-Sender", "s".repeat(5000)},
            new String[] {"body", "{\"a\":" + "[".repeat(99) + "]".repeat(99) + "}"},
            new String[] {"body", "{\"query\":\"{ events(newerThan: \\\"2026-01-02T00:00:00Z\\\", olderThan: "
                    + "\\\"2026-01-01T00:00:00Z\\\") { edges { node { id } } } }\"}"},
            new String[] {"body", "{\"query\":\"{ events(ids: [\\\"\\\"]) { edges { node { id } } } }\"}"},
            new String[] {"body", "{\"query\":\"{ events(projects: [\\\"\\\"]) { edges { node { id } } } }\"}"},
            new String[] {"body", "{\"query\":\"{ events(first: -5) { edges { node { id } } } }\"}"},
            new String[] {"body", "{\"query\":\"{ " + "a: events(last: 2000) { edges { node { id } } } ".repeat(3)
                    + "}\"}"});

    private final LocalHerald herald;
    private final HeraldClient api;

    RouteFuzzIT(LocalHerald herald, HeraldClient api) {
        this.herald = herald;
        // bad input on purpose, some of which Herald accepts by ignoring it: only the answers are held to the contract
        this.api = api.withContractOnAnswers();
    }

    @Test
    void everyRouteAnswersBadInputWithAClearErrorAndWritesNothing() {
        Random random = new Random(SEED);
        Map<String, Long> before = counts();
        List<String> wrong = new ArrayList<>();
        int sent = 0;
        int routes = 0;
        for (Route route : Routes.all()) {
            if (route.isDefault()) {
                continue;
            }
            routes++;
            sent += fuzz(route, new Random(random.nextLong()), wrong);
        }
        System.out.println("RouteFuzzIT: " + sent + " requests over " + routes + " routes (" + FIXED.size()
                + " fixed and " + CASES + " generated cases per route), seed " + SEED + " (-Dfuzz.seed replays it)");
        assertThat(wrong).as("answers that break the rules (seed " + SEED + ")").isEmpty();
        assertThat(counts()).as("items in the tables bad input must not write").isEqualTo(before);
    }

    private int fuzz(Route route, Random random, List<String> wrong) {
        List<Request> cases = new ArrayList<>();
        for (String[] fixed : FIXED) {
            cases.add(Request.fixed(route, fixed));
        }
        for (int i = 0; i < CASES; i++) {
            cases.add(Request.generated(route, random));
        }
        for (Request request : cases) {
            Response response = api.send(request.method, request.path, request.body, request.headers);
            String problem = check(response);
            if (problem != null) {
                wrong.add(route.key() + ": " + request + " -> " + response.status() + " "
                        + abbreviate(response.body()) + ": " + problem);
            }
        }
        return cases.size();
    }

    private static String check(Response response) {
        if (response.status() >= 500) {
            return "a 5xx for bad input";
        }
        if (INTERNAL.matcher(response.body()).find()) {
            return "an internal name in the answer";
        }
        if (response.status() >= 400) {
            try {
                JsonNode error = JSON.readTree(response.body());
                if (error.get("code") == null || error.get("code").asInt() != response.status()
                        || error.get("detail") == null || error.get("detail").asText().isBlank()) {
                    return "an error that is not {\"code\",\"detail\"} with its status";
                }
            } catch (Exception e) {
                return "an error that is not JSON";
            }
        }
        return null;
    }

    private Map<String, Long> counts() {
        Map<String, Long> counts = new TreeMap<>();
        for (String variable : TABLES) {
            String table = herald.functionEnvironment(functionWith(variable)).get(variable);
            // of the events, those HTTP calls dispatched: what the stream's readers write for earlier tests' events
            // (script logs, queued scripts' dispatches) may land while this runs, and is not the fuzz's doing
            boolean events = variable.equals("EVENTS_TABLE");
            counts.put(variable, herald.dynamoDb().scanPaginator(r -> {
                r.tableName(table).select("COUNT");
                if (events) {
                    r.filterExpression("senderType = :api").expressionAttributeValues(
                            Map.of(":api", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("api")));
                }
            }).stream().mapToLong(page -> page.count()).sum());
        }
        return counts;
    }

    private String functionWith(String variable) {
        return herald.template().functions().stream().filter(f -> f.environment().containsKey(variable))
                .findFirst().orElseThrow().logicalId();
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    /** One request to send. */
    private static final class Request {
        final String method;
        final String path;
        final String body;
        final String[] headers;

        Request(String method, String path, String body, String... headers) {
            this.method = method;
            this.path = path;
            this.body = body;
            this.headers = headers;
        }

        static String method(Route route) {
            return route.anyMethod() ? "POST" : route.method();
        }

        static boolean takesBody(String method) {
            return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
        }

        static String path(Route route, String value) {
            return route.path().replaceAll("\\{[a-z_]+\\+?}", value);
        }

        static Request fixed(Route route, String[] fixed) {
            String method = method(route);
            String body = takesBody(method) ? "{\"topic\": 42}" : null;
            switch (fixed[0]) {
                case "query":
                    return new Request(method, path(route, "fuzz-x") + "?" + fixed[1].replace("+", "%2B"), body);
                case "path":
                    return new Request(method, path(route, fixed[1]), body);
                case "header":
                    return new Request(method, path(route, "fuzz-x"), body, fixed[1], fixed[2]);
                default:
                    return new Request(method, path(route, "fuzz-x"), takesBody(method) ? fixed[1] : null);
            }
        }

        static Request generated(Route route, Random random) {
            String method = method(route);
            String path = path(route, pathValue(random));
            String query = random.nextInt(3) == 0 ? "?" + queryParameters(random) : "";
            String body = takesBody(method) ? badBody(random) : null;
            if (random.nextInt(4) == 0) {
                return new Request(method, path + query, body, headerName(random), junk(random, 1 + random.nextInt(3000)));
            }
            return new Request(method, path + query, body);
        }

        private static String pathValue(Random random) {
            return switch (random.nextInt(5)) {
                case 0 -> "x".repeat(1 + random.nextInt(1200));
                case 1 -> "%25" + Integer.toHexString(random.nextInt(256));
                case 2 -> "..%2F..%2Fetc";
                case 3 -> "fuzz-" + Long.toHexString(random.nextLong());
                default -> Long.toString(random.nextLong());
            };
        }

        private static String queryParameters(Random random) {
            String[] names = {"limit", "cursor", "purge", "refresh", "include_deleted", "includeLogs", "hasChildren",
                    "newerThan", "olderThan", "ids", "topics", "projects", "statuses", "filter", "method"};
            String[] values = {"-1", "0", "99999999999", "abc", "yes", "", "%00", "1e400", "2026-13-45",
                    "a".repeat(2500), "*", "**.**", "null", "[]", "{}"};
            return names[random.nextInt(names.length)] + "="
                    + URLEncoder.encode(values[random.nextInt(values.length)], StandardCharsets.UTF_8);
        }

        private static String headerName(Random random) {
            String[] names = {"X-Sender", "X-Sender-Type", "X-HTTP-Method-Override", "X-GitHub-Event",
                    "X-GitHub-Delivery", "X-Hub-Signature-256", "Content-Type"};
            return names[random.nextInt(names.length)];
        }

        private static String junk(Random random, int length) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < length; i++) {
                text.append((char) (' ' + random.nextInt(95)));
            }
            return text.toString();
        }

        private static String badBody(Random random) {
            String[] fields = {"topic", "name", "hash", "project", "dependsOn", "sender", "payload", "summary",
                    "status", "progress", "role", "projects", "filter", "action", "content", "query", "sourceTopic",
                    "targetTopic", "expires_at", "resource", "variables"};
            String[] values = {"42", "-1", "1e400", "true", "[]", "[[[]]]", "{}", "null", "\"\"",
                    "\"" + "z".repeat(5000) + "\"", "\"\\u0000\"", "\"a b c\"", "\"*\"", "\"%s%n\"", "{\"$ne\":1}"};
            return switch (random.nextInt(6)) {
                case 0 -> "{\"" + fields[random.nextInt(fields.length)] + "\": ";
                case 1 -> "[" + values[random.nextInt(values.length)] + "]";
                case 2 -> "{\"a\":" + "[".repeat(65 + random.nextInt(40)) + "]".repeat(65) + "}";
                case 3 -> junk(random, 1 + random.nextInt(200));
                case 4 -> "{\"" + fields[random.nextInt(fields.length)] + "\": " + values[random.nextInt(values.length)]
                        + ", \"" + fields[random.nextInt(fields.length)] + "\": " + values[random.nextInt(values.length)]
                        + "}";
                default -> "{\"topic\": " + values[random.nextInt(values.length)] + ", \"name\": "
                        + values[random.nextInt(values.length)] + "}";
            };
        }

        @Override
        public String toString() {
            String shown = method + " " + path + (headers.length > 0 ? " [" + headers[0] + "]" : "")
                    + (body == null ? "" : " " + body);
            return shown.length() > 300 ? shown.substring(0, 300) + "..." : shown;
        }
    }
}
