package herald.bench;

import java.util.Map;
import org.graalvm.polyglot.Context;

/**
 * The script engine's share of a cold start: a GraalJS context created and one expression evaluated, in a fresh JVM
 * with the script engine layer on its classpath. Run by {@link ColdStartDriver} as a handler.
 */
public final class ScriptEngineBaseline {

    public ScriptEngineBaseline(Map<String, String> environment) {
        // nothing: the engine starts with the first request, as in Herald's functions
    }

    public Map<String, Object> handleRequest(Map<String, Object> event, Object context) {
        try (Context js = Context.newBuilder("js").option("engine.WarnInterpreterOnly", "false").build()) {
            return Map.of("value", js.eval("js", "6 * 7").asInt());
        }
    }
}
