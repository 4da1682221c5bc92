package herald.local;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A working Herald on one machine, built from {@code template.yaml}: DynamoDB Local with every table the template
 * declares, an S3 server with every bucket, every HttpApi route served on localhost by the function the
 * template names, with the environment the template gives it, and every DynamoDB stream the template maps to a
 * function polled and delivered to it as Lambda's event source mapping does. Nothing here knows Herald's functions: adding a
 * route, a table or a function to the template needs no change to the runtime.
 */
public final class LocalHerald implements AutoCloseable {

    static {
        // Lambda runs each function in a JVM of its own; here every function shares one, so the JDK's limit of
        // 5 kept-alive connections per host (URL-connection SDK clients) would throttle them all together.
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", "64");
        }
    }

    /** The template parameter that {@code HERALD_API_KEY} sets. */

    private final SamTemplate template;
    private final LocalDynamoDb dynamoDb;
    private final LocalS3 s3;
    private final HttpApiServer http;
    private final Map<String, LocalFunction> functions;
    private final StreamPoller streams;
    private final LocalScheduler schedules = new LocalScheduler();
    private final WebSocketApiServer webSocket;
    private final URI baseUrl;
    private final LambdaInvocations invocations;
    private DynamoDbClient client;

    private LocalHerald(SamTemplate template, LocalDynamoDb dynamoDb, LocalS3 s3, HttpApiServer http,
            Map<String, LocalFunction> functions, StreamPoller streams, WebSocketApiServer webSocket,
            LambdaInvocations invocations, URI baseUrl) {
        this.template = template;
        this.invocations = invocations;
        this.dynamoDb = dynamoDb;
        this.s3 = s3;
        this.http = http;
        this.functions = functions;
        this.streams = streams;
        functions.values().forEach(schedules::start);
        this.webSocket = webSocket;
        this.baseUrl = baseUrl;
    }

    private static final java.util.regex.Pattern PUBLIC_WEBSOCKET_URL = java.util.regex.Pattern.compile(
            "wss://[^./]+\\.execute-api\\." + Intrinsics.REGION + "\\.amazonaws\\.com/[^/]+");

    /** Starts Herald from {@code templateFile} on {@code host:httpPort} (0: any free port), WebSocket on any free port. */
    public static LocalHerald start(Path templateFile, String host, int httpPort, Map<String, String> parameters)
            throws Exception {
        return start(templateFile, host, httpPort, 0, parameters);
    }

    /** Starts Herald with its HTTP API on {@code httpPort} and its WebSocket API on {@code webSocketPort} (0: free). */
    public static LocalHerald start(Path templateFile, String host, int httpPort, int webSocketPort,
            Map<String, String> parameters) throws Exception {
        return start(templateFile, host, httpPort, webSocketPort, parameters, Clock.systemUTC());
    }

    /**
     * As above, with the clock API Gateway's authorizer cache keeps time by (tests move it on to see a cached result
     * expire).
     */
    public static LocalHerald start(Path templateFile, String host, int httpPort, int webSocketPort,
            Map<String, String> parameters, Clock gatewayClock) throws Exception {
        SamTemplate template = SamTemplate.load(templateFile, parameters);
        // Chosen now, because functions are told the Management API's endpoint before the servers start.
        int chosenHttpPort = httpPort == 0 ? LocalDynamoDb.freePort() : httpPort;
        int chosenWebSocketPort = webSocketPort == 0 ? LocalDynamoDb.freePort() : webSocketPort;
        String webSocketUrl = template.webSocket().map(ws -> "ws://" + host + ":" + chosenWebSocketPort).orElse(null);
        LocalDynamoDb dynamoDb = LocalDynamoDb.start(0);
        LocalS3 s3 = null;
        HttpApiServer http = null;
        StreamPoller streams = null;
        WebSocketApiServer webSocket = null;
        LambdaInvocations invocations = null;
        try {
            try (DynamoDbClient setup = dynamoDb.client()) {
                TemplateTables.create(setup, template.tables());
            }
            if (!template.buckets().isEmpty()) {
                s3 = LocalS3.start(template.buckets());
            }
            Map<String, LocalFunction> functions = new LinkedHashMap<>();
            for (SamTemplate.FunctionSpec spec : template.functions()) {
                functions.put(spec.logicalId(), LocalFunction.load(spec,
                        environment(spec, dynamoDb, s3, managementEndpoint(template, host, chosenHttpPort), webSocketUrl,
                                "http://" + host + ":" + chosenHttpPort)));
            }
            if (template.webSocket().isPresent()) {
                webSocket = new WebSocketApiServer(host, chosenWebSocketPort,
                        template.webSocket().get(), functions);
                webSocket.start();
            }
            invocations = new LambdaInvocations(functions);
            http = new HttpApiServer(host, chosenHttpPort, new HttpRoutes(new ArrayList<>(functions.values())),
                    template.httpStage(), webSocket,
                    new LambdaAuthorizers(template.httpAuthorizers(), functions, gatewayClock), invocations);
            streams = new StreamPoller(dynamoDb.client(), dynamoDb.streamsClient());
            for (LocalFunction function : functions.values()) {
                for (SamTemplate.StreamSpec stream : function.spec().streams()) {
                    streams.start(function, stream);
                }
            }
            String stagePath = template.httpStage().equals("$default") ? "" : "/" + template.httpStage();
            URI baseUrl = URI.create("http://" + host + ":" + http.port() + stagePath);
            return new LocalHerald(template, dynamoDb, s3, http, functions, streams, webSocket, invocations, baseUrl);
        } catch (Exception | Error e) {
            if (streams != null) {
                streams.close();
            }
            if (webSocket != null) {
                webSocket.stop(1_000);
            }
            if (http != null) {
                http.close();
            }
            if (invocations != null) {
                invocations.close();
            }
            if (s3 != null) {
                s3.close();
            }
            dynamoDb.close();
            throw e;
        }
    }

    /** The local {@code @connections} endpoint, as the SDK's standard variable names it; null without a WebSocket API. */
    static String managementEndpoint(SamTemplate template, String host, int httpPort) {
        return template.webSocket().map(ws -> "http://" + host + ":" + httpPort + "/" + ws.stage()).orElse(null);
    }

    /**
     * What a function's process environment would hold in AWS: the template's variables plus Lambda's own. A variable
     * that holds the WebSocket API's public URL ({@code wss://<api>.execute-api.<region>.amazonaws.com/<stage>}, what
     * a client connects to) holds the local WebSocket API's URL instead. Lambda's Invoke API is the HTTP API's own
     * port ({@code lambdaEndpoint}), as the SDK's {@code AWS_ENDPOINT_URL_LAMBDA} names it.
     */
    static Map<String, String> environment(SamTemplate.FunctionSpec spec, LocalDynamoDb dynamoDb, LocalS3 s3,
            String managementEndpoint, String webSocketUrl, String lambdaEndpoint) {
        Map<String, String> environment = new HashMap<>(spec.environment());
        if (webSocketUrl != null) {
            environment.replaceAll((name, value) -> PUBLIC_WEBSOCKET_URL.matcher(value).matches() ? webSocketUrl : value);
        }
        environment.put("AWS_REGION", Intrinsics.REGION);
        environment.put("AWS_DEFAULT_REGION", Intrinsics.REGION);
        environment.put("AWS_ACCESS_KEY_ID", LocalDynamoDb.ACCESS_KEY);
        environment.put("AWS_SECRET_ACCESS_KEY", LocalDynamoDb.SECRET_KEY);
        environment.put("AWS_LAMBDA_FUNCTION_NAME", spec.logicalId());
        environment.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(spec.memoryMb()));
        environment.put("AWS_ENDPOINT_URL_DYNAMODB", dynamoDb.endpoint().toString());
        if (s3 != null) {
            environment.put("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
        }
        if (managementEndpoint != null) {
            environment.put("AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI", managementEndpoint);
        }
        environment.put("AWS_ENDPOINT_URL_LAMBDA", lambdaEndpoint);
        return environment;
    }

    public URI baseUrl() {
        return baseUrl;
    }

    public SamTemplate template() {
        return template;
    }

    public String parameter(String name) {
        return template.parameters().get(name);
    }

    public LocalDynamoDb dynamoDbServer() {
        return dynamoDb;
    }

    /** A DynamoDB client on the runtime's DynamoDB Local, for tests and tools. */
    public synchronized DynamoDbClient dynamoDb() {
        if (client == null) {
            client = dynamoDb.client();
        }
        return client;
    }

    public Optional<LocalS3> s3() {
        return Optional.ofNullable(s3);
    }

    /** The environment the runtime gave a function: exactly what its handler was constructed with. */
    public Map<String, String> functionEnvironment(String logicalId) {
        LocalFunction function = functions.get(logicalId);
        if (function == null) {
            throw new IllegalArgumentException("No function " + logicalId + " in the template");
        }
        return environment(function.spec(), dynamoDb, s3,
                managementEndpoint(template, baseUrl.getHost(), baseUrl.getPort()),
                webSocketUrl().map(URI::toString).orElse(null), "http://" + baseUrl.getHost() + ":" + baseUrl.getPort());
    }

    /**
     * Runs a function's schedule now, as EventBridge would at its next tick, and returns what the function returned
     * (tests use it instead of waiting for the rate).
     */
    public Object runSchedule(String logicalId) throws Throwable {
        LocalFunction function = functions.get(logicalId);
        if (function == null || function.spec().schedules().isEmpty()) {
            throw new IllegalArgumentException(logicalId + " is not a scheduled function of the template");
        }
        return function.invoke(LocalScheduler.event(logicalId));
    }

    /**
     * Waits until every asynchronous Lambda invocation made so far (and those they made) has finished, at most
     * {@code timeout}; tests call it after what hands work to another function, instead of sleeping.
     */
    public void awaitAsyncInvocations(java.time.Duration timeout) throws InterruptedException {
        if (!invocations.awaitIdle(timeout)) {
            throw new IllegalStateException("Asynchronous invocations still running after " + timeout);
        }
    }

    /** The WebSocket API's URL, when the template declares one. */
    public Optional<URI> webSocketUrl() {
        return Optional.ofNullable(webSocket).map(WebSocketApiServer::endpoint);
    }

    @Override
    public synchronized void close() {
        schedules.close();
        streams.close();
        http.close();
        invocations.close();
        if (webSocket != null) {
            try {
                webSocket.stop(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (client != null) {
            client.close();
        }
        if (s3 != null) {
            s3.close();
        }
        dynamoDb.close();
    }

    /**
     * Starts the template and keeps it running until the process is stopped. Settings: {@code HERALD_HTTP_PORT}
     * (default 8080), {@code HERALD_WS_PORT} (default 8081), {@code HERALD_API_KEY} for the template's API key
     * parameter ({@link LocalSettings}; else one is generated and printed), and {@code HERALD_PARAM_<Name>} for any
     * other template parameter.
     */
    public static void main(String[] args) throws Exception {
        Path templateFile = Path.of(args.length > 0 ? args[0] : "template.yaml");
        if (!Files.isRegularFile(templateFile)) {
            System.err.println("No template at " + templateFile.toAbsolutePath() + "; pass its path as the first argument");
            System.exit(2);
        }
        LocalSettings settings = LocalSettings.of(CloudFormationYaml.read(templateFile));
        Map<String, String> parameters = new HashMap<>();
        System.getenv().forEach((name, value) -> {
            if (name.startsWith("HERALD_PARAM_")) {
                parameters.put(name.substring("HERALD_PARAM_".length()), value);
            }
        });
        String apiKey = null;
        boolean generated = false;
        if (settings.apiKeyParameter() != null) {
            apiKey = System.getenv("HERALD_API_KEY");
            generated = apiKey == null || apiKey.isBlank();
            if (generated) {
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                apiKey = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            }
            parameters.put(settings.apiKeyParameter(), apiKey);
        }
        int port = Integer.parseInt(Optional.ofNullable(System.getenv("HERALD_HTTP_PORT")).orElse("8080"));
        int webSocketPort = Integer.parseInt(Optional.ofNullable(System.getenv("HERALD_WS_PORT")).orElse("8081"));

        LocalHerald herald;
        try {
            herald = start(templateFile, "127.0.0.1", port, webSocketPort, parameters);
        } catch (Exception e) {
            System.err.println("Herald did not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(herald::close, "herald-shutdown"));
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add("Running " + templateFile.getFileName() + " at " + herald.baseUrl()
                + "  (DynamoDB Local: " + herald.dynamoDbServer().endpoint() + ")");
        herald.webSocketUrl().ifPresent(url -> lines.add("WebSocket API: " + url));
        if (apiKey != null) {
            lines.add("API key: " + apiKey + (generated ? "  (generated; set HERALD_API_KEY to choose one)" : ""));
        }
        lines.add("");
        lines.addAll(settings.banner(herald.baseUrl().toString(),
                herald.webSocketUrl().map(Object::toString).orElse(null), apiKey));
        lines.add("");
        lines.add("Press Ctrl+C to stop. Everything is in memory and goes with the process.");
        lines.forEach(System.out::println);
        Thread.currentThread().join();
    }
}
