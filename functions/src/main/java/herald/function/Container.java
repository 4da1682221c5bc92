package herald.function;

import herald.auth.ApiKeyAuthenticator;
import herald.auth.ApiKeyStore;
import herald.enroll.EnrollService;
import herald.enroll.JobQueueStore;
import herald.events.DynamoDbEventStore;
import herald.events.EventAnnouncer;
import herald.events.EventService;
import herald.events.ProjectRegistry;
import herald.events.ResourceEvents;
import herald.events.RetentionPolicy;
import herald.events.TopicRegistry;
import herald.http.ConsoleFiles;
import herald.http.ScriptHooks;
import herald.kernel.Environment;
import herald.kernel.Json;
import herald.kernel.Metrics;
import herald.keys.ApiKeyAdmin;
import herald.keys.Users;
import herald.projects.Projects;
import herald.query.QueryStore;
import herald.realtime.Broadcaster;
import herald.realtime.ConnectionRegistry;
import herald.realtime.RealtimeAnnouncer;
import herald.realtime.Resumption;
import herald.scripting.CacheStamps;
import herald.scripting.GitHubWebhook;
import herald.scripting.QueuedScripts;
import herald.scripting.ScriptAdmin;
import herald.scripting.ScriptDryRun;
import herald.scripting.ScriptLibrary;
import herald.scripting.ScriptLogs;
import herald.scripting.ScriptRunner;
import herald.scripting.ScriptSandbox;
import herald.scripting.ScriptSources;
import herald.scripting.ScriptStore;
import herald.scripting.ScriptSyntaxException;
import herald.triggers.DeliveryStore;
import herald.triggers.EndpointHealth;
import herald.triggers.EndpointStore;
import herald.triggers.TriggerActions;
import herald.triggers.TriggerAdmin;
import herald.triggers.TriggerMatcher;
import herald.triggers.TriggerReactions;
import herald.triggers.TriggerReplays;
import herald.triggers.TriggerStore;
import herald.triggers.Triggers;
import herald.triggers.WebhookInvoker;
import herald.triggers.WebhookSender;
import herald.triggers.Webhooks;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The composition root: the services of one function's container, built from its environment (the variables
 * template.yaml gives the function) the first time something asks for them, and then shared by everything in the
 * container, so that a container has one DynamoDB client, one topic registry, one script cache and one
 * {@link EventService}. Each entry point builds exactly one container, in its constructor; nothing else reads the
 * environment or builds a service.
 *
 * <p>What a function's environment lacks it cannot build: asking for the scripts of a function without
 * {@code SCRIPTS_TABLE} fails the container's start (see {@link Environment#required}), except where a capability is
 * optional by design (scripts around calls, announcements to WebSocket clients), which then does nothing.
 *
 * <p>Thread-safe: every service is built at most once, under the container's lock.
 */
final class Container {

    private final Environment environment;
    private final Clock clock = Clock.systemUTC();
    private final Map<Class<?>, Object> built = new java.util.HashMap<>();

    Container(Map<String, String> variables) {
        this.environment = new Environment(variables);
        Priming.beforeSnapshot(this::prime);
    }

    /**
     * SnapStart's priming ({@link Priming}): Jackson's serializers for the events and answers every function reads
     * and writes, and for a function that runs scripts the script engine, through one run of a script that calls
     * nothing. No AWS call: a connection or credentials cached before the snapshot would be stale after it.
     */
    void prime() {
        Json.readStored(Json.write(Map.of("topic", "herald.priming", "payload", Map.of("n", 1), "tags",
                List.of("a")))).toString();
        if (runsScripts()) {
            ScriptSandbox sandbox = scripts().sandboxForRunner();
            try {
                var run = sandbox.run(sandbox.compile("herald.priming", "event.primed = JSON.stringify({n: 1});"),
                        Json.MAPPER.createObjectNode(), Json.MAPPER.createObjectNode(), event -> "{}");
                if (run.failed()) {
                    throw new IllegalStateException("The priming script failed: " + run.failure().detail());
                }
            } catch (ScriptSyntaxException e) {
                throw new IllegalStateException("The priming script does not parse", e);
            }
        }
    }

    Environment environment() {
        return environment;
    }

    Clock clock() {
        return clock;
    }

    @SuppressWarnings("unchecked")
    private synchronized <T> T once(Class<T> type, Supplier<T> build) {
        Object service = built.get(type);
        if (service == null) {
            service = build.get();
            built.put(type, service);
        }
        return (T) service;
    }

    // AWS clients: region, credentials and endpoints from the standard variables

    DynamoDbClient dynamoDb() {
        return once(DynamoDbClient.class, () -> AwsClients.dynamoDb(environment));
    }

    /**
     * The function's metrics ({@link Metrics}): EMF lines on standard output in Lambda; elsewhere (the local runtime,
     * where every function shares one JVM and its output) lines at debug level of the logger {@code herald.metrics}.
     */
    Metrics metrics() {
        return once(Metrics.class, () -> {
            String function = environment.optional("AWS_LAMBDA_FUNCTION_NAME").orElse("local");
            if (System.getenv("AWS_LAMBDA_FUNCTION_NAME") != null) {
                return Metrics.standardOutput(function, clock);
            }
            org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger("herald.metrics");
            return new Metrics(function, log::debug, clock);
        });
    }

    S3Client s3() {
        return once(S3Client.class, () -> AwsClients.s3(environment));
    }

    LambdaClient lambda() {
        return once(LambdaClient.class, () -> AwsClients.lambda(environment));
    }

    ApiGatewayManagementApiClient connectionsApi() {
        return once(ApiGatewayManagementApiClient.class, () -> AwsClients.connections(environment));
    }

    // identity

    ApiKeyStore apiKeyStore() {
        return once(ApiKeyStore.class, () -> new ApiKeyStore(dynamoDb(), environment.required("API_KEYS_TABLE")));
    }

    Users users() {
        return once(Users.class, () -> new Users(apiKeyStore(), clock));
    }

    Projects projectsApi() {
        return once(Projects.class, () -> new Projects(projects(), resourceEvents(), clock));
    }

    ApiKeyAuthenticator authenticator() {
        return once(ApiKeyAuthenticator.class, () -> new ApiKeyAuthenticator(environment.required("HERALD_API_KEY"),
                environment.optional("API_KEYS_TABLE").isPresent() ? apiKeyStore() : null, clock));
    }

    // events

    TopicRegistry topics() {
        return once(TopicRegistry.class, () -> new TopicRegistry(dynamoDb(), environment.required("TOPICS_TABLE")));
    }

    ProjectRegistry projects() {
        return once(ProjectRegistry.class, () -> new ProjectRegistry(dynamoDb(), environment.required("PROJECTS_TABLE"),
                environment.optional("EVENTS_TABLE").orElse(null), clock));
    }

    DynamoDbEventStore eventStore() {
        return once(DynamoDbEventStore.class, () -> DynamoDbEventStore.builder()
                .withDynamoDb(dynamoDb())
                .withEventsTable(environment.required("EVENTS_TABLE"))
                .withHashesTable(environment.required("EVENT_HASHES_TABLE"))
                .withTopics(topics())
                .withProjects(projects())
                .build());
    }

    RetentionPolicy retention() {
        return once(RetentionPolicy.class, () -> RetentionPolicy.parse(environment.integer("DEFAULT_RETENTION_DAYS", 0),
                environment.optional("TOPIC_RETENTION_DAYS").orElse("")));
    }

    /** Announcements reach WebSocket clients when the function has the realtime tables, and go nowhere otherwise. */
    EventAnnouncer announcer() {
        return once(EventAnnouncer.class, () -> environment.optional("SUBSCRIPTIONS_TABLE").isPresent()
                ? new RealtimeAnnouncer(broadcaster()) : EventAnnouncer.NONE);
    }

    EventService events() {
        return once(EventService.class,
                () -> new EventService(eventStore(), retention(), announcer(), metrics(), clock));
    }

    ResourceEvents resourceEvents() {
        return once(ResourceEvents.class, () -> new ResourceEvents(events()));
    }

    // realtime

    ConnectionRegistry connections() {
        return once(ConnectionRegistry.class, () -> new ConnectionRegistry(dynamoDb(),
                environment.required("CONNECTIONS_TABLE"), environment.required("SUBSCRIPTIONS_TABLE"), clock));
    }

    Broadcaster broadcaster() {
        return once(Broadcaster.class, () -> new Broadcaster(connections(), connectionsApi(), metrics()));
    }

    /** WebSocket resume: bounded by the template's ResumeMaxEvents and ResumeMaxAgeMinutes. */
    Resumption resumption() {
        return once(Resumption.class, () -> new Resumption(connections(), broadcaster(), queries(),
                environment.integer("RESUME_MAX_EVENTS", 1000),
                Duration.ofMinutes(environment.integer("RESUME_MAX_AGE_MINUTES", 120)), metrics(), clock));
    }

    // enroll and query

    EnrollService enroll() {
        return once(EnrollService.class, () -> EnrollService.builder()
                .withEvents(eventStore())
                .withQueues(new JobQueueStore(dynamoDb(), eventStore(), environment.required("EVENTS_TABLE"),
                        environment.required("EVENT_HASHES_TABLE"), environment.required("ENROLL_QUEUES_TABLE")))
                .withRetention(retention())
                .withLease(Duration.ofMinutes(environment.integer("JOB_LEASE_MINUTES", 30)))
                .withMetrics(metrics())
                .withClock(clock)
                .build());
    }

    QueryStore queries() {
        return once(QueryStore.class, () -> new QueryStore(dynamoDb(), environment.required("EVENTS_TABLE"), topics()));
    }

    // the per-call stamp: the script cache's state and the key changes every call checks its authorization against

    CacheStamps cacheStamps() {
        return once(CacheStamps.class, () -> new CacheStamps(dynamoDb(), environment.required("SCRIPT_CACHE_TABLE")));
    }

    /** The stamps an HTTP function reads once per call, or null when its template gives it no stamp table. */
    CacheStamps stamps() {
        return environment.optional("SCRIPT_CACHE_TABLE").isPresent() ? cacheStamps() : null;
    }

    // scripting

    boolean runsScripts() {
        return environment.optional("SCRIPTS_TABLE").isPresent();
    }

    ScriptLibrary scripts() {
        return once(ScriptLibrary.class, () -> {
            Map<String, String> buckets = ScriptSources.parseServices(
                    environment.optional("SCRIPT_STORAGE_SERVICES").orElse(""));
            ScriptSources sources = new ScriptSources(buckets, buckets.isEmpty() ? null : s3(),
                    new herald.scripting.GitHubContents(environment.optional("GITHUB_API_URL")
                            .orElse("https://api.github.com"), environment.optional("GITHUB_TOKEN").orElse(null)));
            ScriptSandbox.Limits limits = new ScriptSandbox.Limits(
                    environment.integer("SCRIPT_STATEMENT_LIMIT", (int) ScriptSandbox.Limits.DEFAULT.statements()),
                    Duration.ofMillis(environment.integer("SCRIPT_TIMEOUT_MS",
                            (int) ScriptSandbox.Limits.DEFAULT.wallClock().toMillis())));
            return new ScriptLibrary(new ScriptStore(dynamoDb(), environment.required("SCRIPTS_TABLE")),
                    cacheStamps(), sources, new ScriptSandbox(limits));
        });
    }

    ScriptRunner scriptRunner() {
        return once(ScriptRunner.class, () -> new ScriptRunner(scripts().sandboxForRunner(), events(),
                new ScriptLogs(events()), metrics()));
    }

    QueuedScripts queuedScripts() {
        return once(QueuedScripts.class, () -> new QueuedScripts(scripts(), scriptRunner(), events()));
    }

    /** The scripts around the function's HTTP calls, or none when its template gives it no scripts table. */
    ScriptHooks scriptHooks() {
        return once(ScriptHooks.class, () -> runsScripts()
                ? new ScriptHooks(scripts(), scriptRunner(), events()) : ScriptHooks.NONE);
    }

    ScriptAdmin scriptAdmin() {
        return once(ScriptAdmin.class, () -> new ScriptAdmin(scripts(), resourceEvents(), clock));
    }

    ScriptDryRun scriptDryRun() {
        return once(ScriptDryRun.class, () -> new ScriptDryRun(scripts(), events()));
    }

    // the console

    ConsoleFiles consoleFiles() {
        return once(ConsoleFiles.class, () -> new ConsoleFiles(environment.optional("WEBSOCKET_URL").orElse(null),
                environment.integer("JOB_LEASE_MINUTES", 30)));
    }

    GitHubWebhook gitHubWebhook() {
        return once(GitHubWebhook.class, () -> new GitHubWebhook(
                environment.optional("GITHUB_WEBHOOK_SECRET").orElse(null), scripts().store(), scripts().stamps(), clock));
    }

    // keys

    ApiKeyAdmin apiKeyAdmin() {
        return once(ApiKeyAdmin.class,
                () -> new ApiKeyAdmin(apiKeyStore(), resourceEvents(), cacheStamps(), broadcaster(), projects(),
                        clock));
    }

    // triggers

    Triggers triggers() {
        return once(Triggers.class, () -> {
            // without the triggers table (DeliveryRetryFunction), the store serves webhook secrets only
            TriggerStore store = new TriggerStore(dynamoDb(), environment.optional("TRIGGERS_TABLE").orElse(null),
                    environment.optional("TRIGGER_SECRETS_TABLE").orElse(null));
            Optional<String> table = environment.optional("DELIVERIES_TABLE");
            DeliveryStore deliveries = table.map(name -> new DeliveryStore(dynamoDb(), name)).orElse(null);
            EndpointStore endpoints = table.map(name -> new EndpointStore(dynamoDb(), name)).orElse(null);
            boolean allowPrivate = environment.flag("ALLOW_PRIVATE_WEBHOOK_URLS", false);
            WebhookInvoker invoker = environment.optional("WEBHOOK_FUNCTION")
                    .map(function -> new WebhookInvoker(lambda(), function)).orElse(null);
            // what disables a failing trigger: where attempts are made (the triggers table, and events are recorded)
            EndpointHealth health = endpoints != null && environment.optional("TRIGGERS_TABLE").isPresent()
                    && environment.optional("EVENT_HASHES_TABLE").isPresent()
                    ? new EndpointHealth(store, endpoints, resourceEvents(), metrics(), clock) : null;
            Webhooks webhooks = deliveries == null ? null : new Webhooks(deliveries, endpoints, store,
                    new WebhookSender(allowPrivate, clock), invoker, health,
                    Duration.ofSeconds(environment.integer("WEBHOOK_RETRY_BASE_SECONDS", 30)), metrics(), clock);
            Broadcaster notifications = environment.optional("CONNECTIONS_TABLE").isPresent() ? broadcaster() : null;
            ScriptLibrary library = runsScripts() ? scripts() : null;
            ScriptRunner runner = runsScripts() ? scriptRunner() : null;
            return new Triggers(store, deliveries, endpoints, webhooks, new TriggerMatcher(store),
                    new TriggerActions(webhooks, notifications, library, runner, clock), allowPrivate);
        });
    }

    TriggerReactions triggerReactions() {
        return once(TriggerReactions.class, () -> new TriggerReactions(triggers().matcher(), triggers().actions()));
    }

    TriggerAdmin triggerAdmin() {
        return once(TriggerAdmin.class, () -> new TriggerAdmin(triggers(), resourceEvents(), events(), triggerReplays(),
                clock));
    }

    /** Trigger replays: REPLAY_FUNCTION is where a request hands on a replay its first step did not finish. */
    TriggerReplays triggerReplays() {
        return once(TriggerReplays.class, () -> {
            Optional<String> replayFunction = environment.optional("REPLAY_FUNCTION");
            return new TriggerReplays(dynamoDb(), environment.required("DELIVERIES_TABLE"), triggers().store(),
                    queries(), triggers().webhooks(), replayFunction.isPresent() ? lambda() : null,
                    replayFunction.orElse(null), metrics(), clock);
        });
    }
}
