package herald.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code template.yaml} as the local runtime reads it: parameters (with their constraints checked as
 * CloudFormation checks them), tables, buckets, and functions with their environment and HTTP routes, every
 * intrinsic resolved to local values. Physical names are the logical ids (lower-cased for buckets).
 *
 * <p>Immutable once loaded; thread-safe.
 */
public final class SamTemplate {

    /** A DynamoDB table: its physical name and its resolved CloudFormation properties. */
    public record TableSpec(String logicalId, String name, Map<String, Object> properties) {
    }

    /** An S3 bucket and its physical name. */
    public record BucketSpec(String logicalId, String name) {
    }

    /**
     * A route of the HTTP API: a method (or ANY) and a path template, or the {@code $default} route; and the name of
     * the Lambda authorizer it goes through (null: none).
     */
    public record RouteSpec(String method, String path, String authorizer) {
        public static final RouteSpec DEFAULT = new RouteSpec(null, null, null);

        public RouteSpec(String method, String path) {
            this(method, path, null);
        }

        public boolean isDefault() {
            return path == null;
        }

        public String routeKey() {
            return isDefault() ? "$default" : method + " " + path;
        }
    }

    /**
     * A DynamoDB stream mapped to a function, with the event source mapping's settings: where to start, the batch
     * size, how often a failing batch is retried (-1: until its records expire, as in AWS), whether a failing batch
     * is split in two, and whether the function reports the records that failed.
     */
    public record StreamSpec(String tableName, String startingPosition, int batchSize, int maximumRetryAttempts,
            boolean bisectOnError, boolean reportsItemFailures, List<String> filterPatterns) {

        public StreamSpec(String tableName, String startingPosition, int batchSize, int maximumRetryAttempts,
                boolean bisectOnError, boolean reportsItemFailures) {
            this(tableName, startingPosition, batchSize, maximumRetryAttempts, bisectOnError, reportsItemFailures,
                    List.of());
        }
    }

    /**
     * A Lambda REQUEST authorizer of the HTTP API ({@code Auth.Authorizers} of the {@code AWS::Serverless::HttpApi}):
     * the function, its identity sources ({@code $request.header.X-Api-Key}, {@code $request.querystring.name}), how
     * long a result is cached (0: not cached), and whether it answers with simple responses.
     */
    public record AuthorizerSpec(String name, String function, List<String> identitySources, int ttlSeconds,
            boolean simpleResponses) {
    }

    /** The HTTP API's authorizers and the one every route uses unless it names another or NONE. */
    record HttpAuth(Map<String, AuthorizerSpec> authorizers, String defaultAuthorizer) {
        static final HttpAuth NONE = new HttpAuth(Map.of(), null);
    }

    /** A Lambda function: its handler, the environment the template gives it, its limits, routes and streams. */
    public record FunctionSpec(String logicalId, String handler, Map<String, String> environment, int timeoutSeconds,
            int memoryMb, List<RouteSpec> routes, List<StreamSpec> streams, List<String> schedules) {
    }

    /**
     * An API Gateway WebSocket API ({@code AWS::ApiGatewayV2::Api}, {@code ProtocolType: WEBSOCKET}): its route
     * selection expression, its stage, and the function behind each route key ({@code $connect}, {@code $default},
     * a custom key), read from its {@code AWS::ApiGatewayV2::Route}s and their Lambda integrations.
     */
    public record WebSocketSpec(String apiId, String routeSelectionExpression, String stage,
            Map<String, String> routeFunctions, String connectAuthorizerFunction) {

        public WebSocketSpec(String apiId, String routeSelectionExpression, String stage,
                Map<String, String> routeFunctions) {
            this(apiId, routeSelectionExpression, stage, routeFunctions, null);
        }
    }

    private final Map<String, String> parameters;
    private WebSocketSpec webSocket;
    private final List<TableSpec> tables = new ArrayList<>();
    private final List<BucketSpec> buckets = new ArrayList<>();
    private final List<FunctionSpec> functions = new ArrayList<>();
    private final String httpStage;
    private final HttpAuth httpAuth;

    private SamTemplate(Map<String, Object> document, Map<String, String> parameterValues) {
        Map<String, Object> resources = map(document.get("Resources"), "Resources");
        this.parameters = TemplateParameters.resolve(map(document.getOrDefault("Parameters", Map.of()), "Parameters"),
                parameterValues);
        Map<String, String> physicalNames = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        resources.forEach((id, resource) -> {
            String type = String.valueOf(map(resource, id).get("Type"));
            types.put(id, type);
            // Bucket names are lower-case DNS names; everything else keeps its logical id.
            physicalNames.put(id, type.equals("AWS::S3::Bucket") ? id.toLowerCase(java.util.Locale.ROOT) : id);
        });
        Map<String, Object> functionGlobals = map(map(document.getOrDefault("Globals", Map.of()), "Globals")
                .getOrDefault("Function", Map.of()), "Globals.Function");
        // SAM's AutoPublishAlias: each function's alias, which `!Ref <Function>.Alias` names
        Map<String, String> aliases = new LinkedHashMap<>();
        resources.forEach((id, resource) -> {
            if ("AWS::Serverless::Function".equals(types.get(id))) {
                Object alias = map(map(resource, id).getOrDefault("Properties", Map.of()), id + ".Properties")
                        .getOrDefault("AutoPublishAlias", functionGlobals.get("AutoPublishAlias"));
                if (alias != null) {
                    aliases.put(id, String.valueOf(alias));
                }
            }
        });
        Intrinsics intrinsics = new Intrinsics(parameters, physicalNames, types, aliases, "herald-local");

        HttpAuth auth = HttpAuth.NONE;
        for (var entry : resources.entrySet()) {
            if (types.get(entry.getKey()).equals("AWS::Serverless::HttpApi")) {
                auth = httpAuth(entry.getKey(), properties(entry), intrinsics);
            }
        }
        this.httpAuth = auth;
        String stage = "$default";
        int httpApis = 0;
        for (var entry : resources.entrySet()) {
            String id = entry.getKey();
            Map<String, Object> resource = map(entry.getValue(), id);
            Map<String, Object> properties = map(resource.getOrDefault("Properties", Map.of()), id + ".Properties");
            switch (types.get(id)) {
                case "AWS::DynamoDB::Table":
                    tables.add(new TableSpec(id, id, map(intrinsics.resolve(properties), id)));
                    break;
                case "AWS::S3::Bucket":
                    buckets.add(new BucketSpec(id, physicalNames.get(id)));
                    break;
                case "AWS::Serverless::Function":
                    functions.add(function(id, properties, functionGlobals, intrinsics, auth));
                    break;
                case "AWS::Serverless::HttpApi":
                    httpApis++;
                    Object stageName = properties.get("StageName");
                    stage = stageName == null ? "$default" : intrinsics.resolveString(stageName);
                    break;
                default:
                    break;
            }
        }
        this.webSocket = webSocket(resources, types, intrinsics);
        if (httpApis > 1) {
            throw new IllegalArgumentException("The local runtime serves one AWS::Serverless::HttpApi; the template has "
                    + httpApis);
        }
        this.httpStage = stage;
    }

    /** Loads a template; {@code parameterValues} overrides parameter defaults (as deploy-time values would). */
    public static SamTemplate load(Path file, Map<String, String> parameterValues) {
        return new SamTemplate(CloudFormationYaml.read(file), parameterValues);
    }

    public Map<String, String> parameters() {
        return parameters;
    }

    public List<TableSpec> tables() {
        return List.copyOf(tables);
    }

    public List<BucketSpec> buckets() {
        return List.copyOf(buckets);
    }

    public List<FunctionSpec> functions() {
        return List.copyOf(functions);
    }

    /** The template's WebSocket API, if it declares one. */
    public java.util.Optional<WebSocketSpec> webSocket() {
        return java.util.Optional.ofNullable(webSocket);
    }

    /** The HTTP API's stage: {@code $default} serves at the root, a named stage under {@code /<stage>}. */
    public String httpStage() {
        return httpStage;
    }

    /** The HTTP API's authorizers, by name. */
    public Map<String, AuthorizerSpec> httpAuthorizers() {
        return httpAuth.authorizers();
    }

    private static HttpAuth httpAuth(String id, Map<String, Object> properties, Intrinsics intrinsics) {
        Map<String, Object> auth = map(properties.getOrDefault("Auth", Map.of()), id + ".Auth");
        Map<String, AuthorizerSpec> authorizers = new LinkedHashMap<>();
        map(auth.getOrDefault("Authorizers", Map.of()), id + ".Auth.Authorizers").forEach((name, value) -> {
            Map<String, Object> authorizer = map(value, id + ".Auth.Authorizers." + name);
            String where = id + ".Auth.Authorizers." + name;
            String arn = intrinsics.resolveString(authorizer.get("FunctionArn"));
            int function = arn == null ? -1 : arn.indexOf(":function:");
            if (function < 0) {
                throw new IllegalArgumentException(where + ": the local runtime serves Lambda authorizers, whose "
                        + "FunctionArn is a function's Arn (JWT authorizers are not served)");
            }
            if (!"2.0".equals(String.valueOf(authorizer.getOrDefault("AuthorizerPayloadFormatVersion", "2.0")))) {
                throw new IllegalArgumentException(where + ": the local runtime serves payload format 2.0 only");
            }
            Map<String, Object> identity = map(authorizer.getOrDefault("Identity", Map.of()), where + ".Identity");
            List<String> sources = new ArrayList<>();
            for (Object header : (List<?>) identity.getOrDefault("Headers", List.of())) {
                sources.add("$request.header." + intrinsics.resolveString(header));
            }
            for (Object query : (List<?>) identity.getOrDefault("QueryStrings", List.of())) {
                sources.add("$request.querystring." + intrinsics.resolveString(query));
            }
            int ttl = Integer.parseInt(intrinsics.resolveString(identity.getOrDefault("ReauthorizeEvery", 300)));
            if (ttl > 0 && sources.isEmpty()) {
                throw new IllegalArgumentException(where + ": API Gateway caches an authorizer's results by its "
                        + "identity sources, so ReauthorizeEvery > 0 needs Identity.Headers or Identity.QueryStrings");
            }
            authorizers.put(name, new AuthorizerSpec(name, arn.substring(function + ":function:".length()).split("[/:]")[0],
                    List.copyOf(sources), ttl, Boolean.parseBoolean(String.valueOf(
                            authorizer.getOrDefault("EnableSimpleResponses", false)))));
        });
        Object defaultAuthorizer = auth.get("DefaultAuthorizer");
        if (defaultAuthorizer != null && !authorizers.containsKey(String.valueOf(defaultAuthorizer))) {
            throw new IllegalArgumentException(id + ".Auth.DefaultAuthorizer names no authorizer: " + defaultAuthorizer);
        }
        return new HttpAuth(Map.copyOf(authorizers), defaultAuthorizer == null ? null : String.valueOf(defaultAuthorizer));
    }

    private static String routeAuthorizer(String where, Map<String, Object> eventProperties, HttpAuth auth) {
        Map<String, Object> routeAuth = map(eventProperties.getOrDefault("Auth", Map.of()), where + ".Auth");
        Object named = routeAuth.get("Authorizer");
        if (named == null) {
            return auth.defaultAuthorizer();
        }
        if ("NONE".equals(named)) {
            return null;
        }
        if (!auth.authorizers().containsKey(String.valueOf(named))) {
            throw new IllegalArgumentException(where + ".Auth.Authorizer names no authorizer of the HTTP API: " + named);
        }
        return String.valueOf(named);
    }

    private static FunctionSpec function(String id, Map<String, Object> properties, Map<String, Object> globals,
            Intrinsics intrinsics, HttpAuth auth) {
        Map<String, Object> merged = new LinkedHashMap<>(globals);
        merged.putAll(properties);
        Map<String, String> environment = new LinkedHashMap<>();
        for (Map<String, Object> source : List.of(globals, properties)) {
            Map<String, Object> variables = map(map(source.getOrDefault("Environment", Map.of()), id + ".Environment")
                    .getOrDefault("Variables", Map.of()), id + ".Environment.Variables");
            variables.forEach((name, value) -> environment.put(name, intrinsics.resolveString(value)));
        }
        List<RouteSpec> routes = new ArrayList<>();
        List<StreamSpec> streams = new ArrayList<>();
        List<String> schedules = new ArrayList<>();
        map(properties.getOrDefault("Events", Map.of()), id + ".Events").forEach((eventName, event) -> {
            Map<String, Object> eventMap = map(event, id + ".Events." + eventName);
            Map<String, Object> eventProperties = map(eventMap.getOrDefault("Properties", Map.of()), eventName);
            if ("Schedule".equals(eventMap.get("Type"))) {
                String expression = intrinsics.resolveString(eventProperties.get("Schedule"));
                LocalScheduler.interval(id + ".Events." + eventName, expression); // refused here if not served
                schedules.add(expression);
                return;
            }
            if ("DynamoDB".equals(eventMap.get("Type"))) {
                streams.add(stream(id + ".Events." + eventName, eventProperties, intrinsics));
                return;
            }
            if (!"HttpApi".equals(eventMap.get("Type"))) {
                return;
            }
            Object path = eventProperties.get("Path");
            Object method = eventProperties.get("Method");
            String authorizer = routeAuthorizer(id + ".Events." + eventName, eventProperties, auth);
            if (path == null && method == null) {
                routes.add(new RouteSpec(null, null, authorizer));
            } else {
                routes.add(new RouteSpec(String.valueOf(Objects.requireNonNullElse(method, "ANY"))
                        .toUpperCase(java.util.Locale.ROOT), String.valueOf(path), authorizer));
            }
        });
        String handler = String.valueOf(Objects.requireNonNull(merged.get("Handler"), id + " has no Handler"));
        int timeout = Integer.parseInt(String.valueOf(merged.getOrDefault("Timeout", 3)));
        int memory = Integer.parseInt(String.valueOf(merged.getOrDefault("MemorySize", 128)));
        return new FunctionSpec(id, handler, Map.copyOf(environment), timeout, memory, List.copyOf(routes),
                List.copyOf(streams), List.copyOf(schedules));
    }

    private static StreamSpec stream(String where, Map<String, Object> properties, Intrinsics intrinsics) {
        String arn = intrinsics.resolveString(properties.get("Stream"));
        int table = arn == null ? -1 : arn.indexOf(":table/");
        int stream = arn == null ? -1 : arn.indexOf("/stream/");
        if (table < 0 || stream < table) {
            throw new IllegalArgumentException(where + ": Stream must be a table's StreamArn, e.g. "
                    + "!GetAtt EventsTable.StreamArn");
        }
        List<?> responseTypes = (List<?>) properties.getOrDefault("FunctionResponseTypes", List.of());
        List<String> patterns = new ArrayList<>();
        Map<String, Object> criteria = map(properties.getOrDefault("FilterCriteria", Map.of()), where + ".FilterCriteria");
        for (Object filter : (List<?>) criteria.getOrDefault("Filters", List.of())) {
            patterns.add(intrinsics.resolveString(map(filter, where + ".FilterCriteria.Filters").get("Pattern")));
        }
        StreamFilter.of(where, patterns); // a pattern Lambda would refuse stops the start here too
        return new StreamSpec(
                arn.substring(table + ":table/".length(), stream),
                String.valueOf(properties.getOrDefault("StartingPosition", "LATEST")),
                Integer.parseInt(String.valueOf(properties.getOrDefault("BatchSize", 100))),
                Integer.parseInt(String.valueOf(properties.getOrDefault("MaximumRetryAttempts", -1))),
                Boolean.parseBoolean(String.valueOf(properties.getOrDefault("BisectBatchOnFunctionError", false))),
                responseTypes.contains("ReportBatchItemFailures"),
                List.copyOf(patterns));
    }

    private static WebSocketSpec webSocket(Map<String, Object> resources, Map<String, String> types,
            Intrinsics intrinsics) {
        String api = null;
        String selection = null;
        for (var entry : resources.entrySet()) {
            Map<String, Object> properties = properties(entry);
            if (types.get(entry.getKey()).equals("AWS::ApiGatewayV2::Api")
                    && "WEBSOCKET".equals(properties.get("ProtocolType"))) {
                if (api != null) {
                    throw new IllegalArgumentException("The local runtime serves one WebSocket API; the template has more");
                }
                api = entry.getKey();
                selection = String.valueOf(properties.getOrDefault("RouteSelectionExpression", "$request.body.action"));
            }
        }
        if (api == null) {
            return null;
        }
        Map<String, String> integrations = new LinkedHashMap<>();
        Map<String, String> authorizers = new LinkedHashMap<>();
        Map<String, String> routes = new LinkedHashMap<>();
        String connectAuthorizer = null;
        String stage = "$default";
        for (var entry : resources.entrySet()) {
            Map<String, Object> properties = properties(entry);
            if (!api.equals(intrinsics.resolveString(properties.get("ApiId")))) {
                continue;
            }
            switch (types.get(entry.getKey())) {
                case "AWS::ApiGatewayV2::Integration":
                    String uri = intrinsics.resolveString(properties.get("IntegrationUri"));
                    int function = uri == null ? -1 : uri.indexOf(":function:");
                    if (function < 0) {
                        throw new IllegalArgumentException(entry.getKey() + ": the local runtime serves Lambda proxy "
                                + "integrations, whose IntegrationUri names a function's Arn");
                    }
                    integrations.put(entry.getKey(), uri.substring(function + ":function:".length()).split("[/:]")[0]);
                    break;
                case "AWS::ApiGatewayV2::Stage":
                    stage = intrinsics.resolveString(properties.get("StageName"));
                    break;
                case "AWS::ApiGatewayV2::Authorizer":
                    String authorizerUri = intrinsics.resolveString(properties.get("AuthorizerUri"));
                    int at = authorizerUri == null ? -1 : authorizerUri.indexOf(":function:");
                    if (at < 0 || !"REQUEST".equals(properties.get("AuthorizerType"))) {
                        throw new IllegalArgumentException(entry.getKey() + ": the local runtime serves Lambda REQUEST "
                                + "authorizers, whose AuthorizerUri names a function's Arn");
                    }
                    authorizers.put(entry.getKey(), authorizerUri.substring(at + ":function:".length()).split("[/:]")[0]);
                    break;
                default:
                    break;
            }
        }
        for (var entry : resources.entrySet()) {
            Map<String, Object> properties = properties(entry);
            if (types.get(entry.getKey()).equals("AWS::ApiGatewayV2::Route")
                    && api.equals(intrinsics.resolveString(properties.get("ApiId")))) {
                String target = intrinsics.resolveString(properties.get("Target"));
                String integration = target == null ? null : target.replaceFirst("^integrations/", "");
                if (!integrations.containsKey(integration)) {
                    throw new IllegalArgumentException(entry.getKey() + ": Target must be integrations/<an integration "
                            + "of the same API>");
                }
                String routeKey = intrinsics.resolveString(properties.get("RouteKey"));
                routes.put(routeKey, integrations.get(integration));
                if ("CUSTOM".equals(properties.get("AuthorizationType"))) {
                    String authorizer = intrinsics.resolveString(properties.get("AuthorizerId"));
                    if (!routeKey.equals("$connect") || !authorizers.containsKey(authorizer)) {
                        throw new IllegalArgumentException(entry.getKey() + ": a WebSocket API authorizes $connect only, "
                                + "with AuthorizerId naming an AWS::ApiGatewayV2::Authorizer of the same API");
                    }
                    connectAuthorizer = authorizers.get(authorizer);
                }
            }
        }
        return new WebSocketSpec(api, selection, stage, Map.copyOf(routes), connectAuthorizer);
    }

    private static Map<String, Object> properties(Map.Entry<String, Object> resource) {
        return map(map(resource.getValue(), resource.getKey()).getOrDefault("Properties", Map.of()), resource.getKey());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value, String where) {
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException("template.yaml: " + where + " must be a mapping");
        }
        return (Map<String, Object>) value;
    }
}
