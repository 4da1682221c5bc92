package herald.scripting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.kernel.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScriptSandboxTest {

    private final ScriptSandbox sandbox = new ScriptSandbox(new ScriptSandbox.Limits(100_000, Duration.ofSeconds(5)));
    private final List<String> dispatched = new ArrayList<>();

    private ScriptRun run(String code) throws Exception {
        ObjectNode event = (ObjectNode) Json.readStored("{\"request\":{\"payload\":{\"n\":1}},\"resource\":\"\"}");
        ObjectNode session = (ObjectNode) Json.readStored("{\"user\":{\"name\":\"alice\"}}");
        return sandbox.run(sandbox.compile("test.script", code), event, session, json -> {
            dispatched.add(json);
            return "{\"id\":\"abc\"}";
        });
    }

    @Test
    void aScriptChangesItsCopyOfTheEventAndReturnsAValue() throws Exception {
        ScriptRun run = run("event.request.payload.n = event.request.payload.n + 41;\nreturn {ok: platform.session.user.name};");
        assertThat(run.failed()).isFalse();
        assertThat(run.event().at("/request/payload/n").asInt()).isEqualTo(42);
        assertThat(run.result().path("ok").asText()).isEqualTo("alice");
    }

    @Test
    void aThrownStatusAndMessageRejectTheCall() throws Exception {
        ScriptRun run = run("if (true) {\n  throw {status: 403, message: 'projects are closed'};\n}");
        assertThat(run.failure().kind()).isEqualTo(ScriptFailure.Kind.REJECTED);
        assertThat(run.failure().httpStatus()).isEqualTo(403);
        assertThat(run.failure().detail()).isEqualTo("projects are closed");
    }

    @Test
    void anyOtherErrorNamesTheScriptAndTheLine() throws Exception {
        ScriptRun run = run("const a = 1;\nconst b = undefined;\nb.boom();");
        assertThat(run.failure().kind()).isEqualTo(ScriptFailure.Kind.ERROR);
        assertThat(run.failure().httpStatus()).isEqualTo(500);
        assertThat(run.failure().line()).isEqualTo(3);
        assertThat(run.failure().detail()).startsWith("Script 'test.script' failed at line 3: TypeError");
    }

    @Test
    void aRunawayScriptIsStoppedByTheStatementLimit() throws Exception {
        ScriptRun run = run("while (true) {}");
        assertThat(run.failure().kind()).isEqualTo(ScriptFailure.Kind.STOPPED);
        assertThat(run.failure().detail()).contains("statements");
    }

    @Test
    void aRunawayBuiltinIsStoppedByTheClock() throws Exception {
        ScriptSandbox quick = new ScriptSandbox(new ScriptSandbox.Limits(Long.MAX_VALUE / 2, Duration.ofMillis(300)));
        ScriptRun run = quick.run(quick.compile("slow", "while (true) {}"), Json.MAPPER.createObjectNode(),
                Json.MAPPER.createObjectNode(), json -> "{}");
        assertThat(run.failure().kind()).isEqualTo(ScriptFailure.Kind.STOPPED);
        assertThat(run.failure().detail()).contains("longer than 300 ms");
    }

    @Test
    void noHostClassesNoIoNoNetwork() throws Exception {
        assertThat(run("Java.type('java.lang.System').exit(1);").failed()).isTrue();
        assertThat(run("return typeof Java === 'undefined' ? 'none' : Object.keys(Java);").failure()).isNull();
        assertThat(run("load('/etc/passwd');").failed()).isTrue();
        assertThat(run("return typeof require === 'undefined' && typeof fetch === 'undefined'"
                + " && typeof XMLHttpRequest === 'undefined' && typeof process === 'undefined';").result().asBoolean())
                .isTrue();
    }

    @Test
    void logsAndDispatchesReachTheHost() throws Exception {
        ScriptRun run = run("console.log('hello', {a: 1});\nplatform.log('two');\nreturn platform.dispatch({topic: 'x.y'}).id;");
        assertThat(run.logs()).containsExactly("info: hello {\"a\":1}", "info: two");
        assertThat(run.result().asText()).isEqualTo("abc");
        assertThat(dispatched).containsExactly("{\"topic\":\"x.y\"}");
    }

    @Test
    void aSyntaxErrorIsReportedWhenTheScriptIsLoaded() {
        assertThatThrownBy(() -> sandbox.compile("broken", "const x = ;"))
                .isInstanceOf(ScriptSyntaxException.class)
                .hasMessageStartingWith("Script 'broken' has a syntax error at line 1");
    }

    @Test
    void aScriptThatCatchesItsWayAroundCancellationIsStillStoppedAtItsDeadline() throws Exception {
        ScriptSandbox quick = new ScriptSandbox(new ScriptSandbox.Limits(1_000_000, Duration.ofMillis(300)));
        long start = System.nanoTime();
        ScriptRun run = quick.run(quick.compile("evil",
                "function f(){ try { return f(); } catch (e) { return f(); } } return f();"),
                Json.MAPPER.createObjectNode(), Json.MAPPER.createObjectNode(), json -> "{}");
        assertThat(run.failure().kind()).isEqualTo(ScriptFailure.Kind.STOPPED);
        assertThat(run.failure().detail()).contains("longer than 300 ms");
        // bounded, not timed: far below the 20 s the old shared watchdog never came back from
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));

        // and the next run's own deadline still holds
        ScriptSandbox later = new ScriptSandbox(new ScriptSandbox.Limits(Long.MAX_VALUE / 2, Duration.ofMillis(300)));
        ScriptRun next = later.run(later.compile("slow", "while (true) {}"), Json.MAPPER.createObjectNode(),
                Json.MAPPER.createObjectNode(), json -> "{}");
        assertThat(next.failure().detail()).contains("longer than 300 ms");
    }

    @Test
    void aRunsPlatformCallsAreBoundedAndEndWithIt() throws Exception {
        ScriptSandbox quick = new ScriptSandbox(new ScriptSandbox.Limits(Long.MAX_VALUE / 2, Duration.ofMillis(500)));
        List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
        ScriptRun run = quick.run(quick.compile("loop", "while (true) { try { platform.dispatch({topic: 'a.b.c'}); } "
                + "catch (e) { } }"), Json.MAPPER.createObjectNode(), Json.MAPPER.createObjectNode(), json -> {
                    calls.add(json);
                    return "{\"id\":\"x\"}";
                });
        assertThat(run.failure().kind()).isEqualTo(ScriptFailure.Kind.STOPPED);
        assertThat(calls).hasSize(ScriptSandbox.MAX_PLATFORM_CALLS);
    }
}
