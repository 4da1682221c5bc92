package herald.scripting;

import herald.events.EventService;
import herald.runtime.Environment;
import java.time.Duration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Builds the scripting pieces a function needs from its environment, as template.yaml passes it:
 * {@code SCRIPTS_TABLE}, {@code SCRIPT_CACHE_TABLE}, {@code SCRIPT_STORAGE_SERVICES}, {@code GITHUB_API_URL},
 * {@code GITHUB_TOKEN}, {@code SCRIPT_STATEMENT_LIMIT}, {@code SCRIPT_TIMEOUT_MS}, and the events tables that logs,
 * queued calls and {@code platform.dispatch} write to. Without {@code SCRIPTS_TABLE} a function runs no scripts.
 */
public final class Scripting {

    private Scripting() {
    }

    public static boolean enabled(Environment environment) {
        return environment.optional("SCRIPTS_TABLE").isPresent();
    }

    public static ScriptLibrary library(Environment environment, DynamoDbClient dynamoDb) {
        return new ScriptLibrary(
                new ScriptStore(dynamoDb, environment.required("SCRIPTS_TABLE")),
                new CacheStamps(dynamoDb, environment.required("SCRIPT_CACHE_TABLE")),
                ScriptSources.fromEnvironment(environment),
                new ScriptSandbox(limits(environment)));
    }

    public static ScriptSandbox.Limits limits(Environment environment) {
        return new ScriptSandbox.Limits(
                environment.integer("SCRIPT_STATEMENT_LIMIT", (int) ScriptSandbox.Limits.DEFAULT.statements()),
                Duration.ofMillis(environment.integer("SCRIPT_TIMEOUT_MS",
                        (int) ScriptSandbox.Limits.DEFAULT.wallClock().toMillis())));
    }

    /** The hooks around a function's calls, or {@link ScriptHooks#NONE} when it has no scripts table. */
    public static ScriptHooks hooks(Environment environment, DynamoDbClient dynamoDb) {
        if (!enabled(environment)) {
            return ScriptHooks.NONE;
        }
        return hooks(environment, dynamoDb, library(environment, dynamoDb));
    }

    /** The hooks on a library the function also uses itself (one cache per container). */
    public static ScriptHooks hooks(Environment environment, DynamoDbClient dynamoDb, ScriptLibrary library) {
        EventService events = EventService.fromEnvironment(environment, dynamoDb);
        return new ScriptHooks(library, runner(library, events), events);
    }

    public static ScriptRunner runner(ScriptLibrary library, EventService events) {
        return new ScriptRunner(library.sandboxForRunner(), events, new ScriptLogs(events));
    }
}
