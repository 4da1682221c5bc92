package herald.triggers;

import herald.events.EventService;
import herald.realtime.Broadcaster;
import herald.realtime.Realtime;
import herald.runtime.AwsClients;
import herald.runtime.Environment;
import herald.scripting.ScriptLibrary;
import herald.scripting.ScriptRunner;
import herald.scripting.Scripting;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The triggers capability wired from a function's environment: {@code TRIGGERS_TABLE},
 * {@code TRIGGER_SECRETS_TABLE}, {@code DELIVERIES_TABLE}, {@code WEBHOOK_RETRY_BASE_SECONDS} (default 30),
 * {@code ALLOW_PRIVATE_WEBHOOK_URLS} (default false), and, when present, the WebSocket tables (for notify) and the
 * scripts tables (for script actions).
 */
public record Triggers(TriggerStore store, DeliveryStore deliveries, Webhooks webhooks, TriggerMatcher matcher,
        TriggerActions actions, boolean allowPrivateUrls) {

    public static Triggers of(Environment environment) {
        DynamoDbClient dynamoDb = AwsClients.dynamoDb(environment);
        Clock clock = Clock.systemUTC();
        TriggerStore store = new TriggerStore(dynamoDb, environment.required("TRIGGERS_TABLE"),
                environment.optional("TRIGGER_SECRETS_TABLE").orElse(null));
        DeliveryStore deliveries = environment.optional("DELIVERIES_TABLE")
                .map(table -> new DeliveryStore(dynamoDb, table)).orElse(null);
        boolean allowPrivate = Boolean.parseBoolean(environment.optional("ALLOW_PRIVATE_WEBHOOK_URLS").orElse("false"));
        Webhooks webhooks = deliveries == null ? null : new Webhooks(deliveries, store,
                new WebhookSender(allowPrivate, clock),
                Duration.ofSeconds(environment.integer("WEBHOOK_RETRY_BASE_SECONDS", 30)), clock);
        Broadcaster broadcaster = environment.optional("CONNECTIONS_TABLE").isPresent()
                ? Realtime.broadcaster(environment, dynamoDb) : null;
        ScriptLibrary library = Scripting.enabled(environment) ? Scripting.library(environment, dynamoDb) : null;
        ScriptRunner runner = library == null ? null : Scripting.runner(library, EventService.fromEnvironment(environment, dynamoDb));
        return new Triggers(store, deliveries, webhooks, new TriggerMatcher(store),
                new TriggerActions(webhooks, broadcaster, library, runner, clock), allowPrivate);
    }
}
