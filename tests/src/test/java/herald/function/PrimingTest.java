package herald.function;

import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SnapStart's priming runs on a JVM without CRaC only when called, so it is called here: for a function that runs
 * scripts it starts the engine and runs a script, and it makes no AWS call (every endpoint points at a port where
 * nothing listens, so a call would fail it).
 */
class PrimingTest {

    private static final Map<String, String> SCRIPTED = Map.of(
            "AWS_REGION", "us-east-1",
            "AWS_ACCESS_KEY_ID", "priming", "AWS_SECRET_ACCESS_KEY", "priming",
            "AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:9",
            "AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9",
            "EVENTS_TABLE", "Events", "EVENT_HASHES_TABLE", "EventHashes", "TOPICS_TABLE", "Topics",
            "SCRIPTS_TABLE", "Scripts", "SCRIPT_CACHE_TABLE", "ScriptCache");

    @Test
    void primingAFunctionThatRunsScriptsStartsTheEngineAndCallsNothing() {
        assertThatCode(() -> new Container(SCRIPTED).prime()).doesNotThrowAnyException();
    }

    @Test
    void primingAFunctionWithoutScriptsNeedsNothingOfItsEnvironment() {
        assertThatCode(() -> new Container(Map.of()).prime()).doesNotThrowAnyException();
    }
}
