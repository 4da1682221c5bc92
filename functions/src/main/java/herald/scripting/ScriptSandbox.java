package herald.scripting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.kernel.Json;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.ResourceLimits;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * Runs scripts in GraalJS under {@link SandboxPolicy#CONSTRAINED}: no host classes, no IO, no threads, no
 * environment, no native access, no other languages. A script sees only {@code event} (a deep copy, passed in and
 * out as JSON), {@code platform} ({@code session}, {@code log}, {@code dispatch}) and {@code console}. Each run gets
 * a fresh context on one shared engine (which keeps parsed code), on a thread of its own, with a statement limit and
 * a wall-clock deadline that the caller's own thread enforces: at the deadline the run ends for Herald (its platform
 * calls are refused from then on, and the call gets its "stopped" answer) and its context is cancelled on yet another
 * thread, so that a script that catches its way around cancellation holds only its own thread and delays no other
 * run. A run makes at most {@value #MAX_PLATFORM_CALLS} platform calls.
 *
 * <p>The engine is created when the first script is compiled, never before, so a container that has no script
 * to run never loads it. Thread-safe: runs are independent contexts.
 */
public final class ScriptSandbox {

    /** How long and how much a run may take: both are needed, since one builtin call counts as one statement. */
    public record Limits(long statements, Duration wallClock) {
        public static final Limits DEFAULT = new Limits(1_000_000, Duration.ofSeconds(2));
    }

    static final int MAX_LOG_LINES = 200;
    /** Events a run may dispatch or update: a script that loops over platform calls stops here. */
    static final int MAX_PLATFORM_CALLS = 100;
    static final int MAX_LOG_LINE = 4_000;

    private static final String RUNNER = ""
            + "(function (fn, eventJson, sessionJson, log, dispatch, update) {\n"
            + "  const text = (a) => { if (typeof a === 'string') return a;\n"
            + "    try { const s = JSON.stringify(a); return s === undefined ? String(a) : s; } catch (e) { return String(a); } };\n"
            + "  const line = (level) => (...args) => { log(level, args.map(text).join(' ')); };\n"
            + "  const console = Object.freeze({ log: line('info'), info: line('info'), debug: line('debug'),\n"
            + "    warn: line('warn'), error: line('error') });\n"
            + "  const platform = Object.freeze({\n"
            + "    session: Object.freeze(JSON.parse(sessionJson)),\n"
            + "    log: line('info'),\n"
            + "    dispatch: (e) => { const r = JSON.parse(dispatch(JSON.stringify(e === undefined ? null : e)));\n"
            + "      if (r.error) { throw new Error('platform.dispatch: ' + r.error); } return r; },\n"
            + "    update: (id, u) => { const r = JSON.parse(update(String(id), JSON.stringify(u === undefined ? null : u)));\n"
            + "      if (r.error) { throw new Error('platform.update: ' + r.error); } return r; }\n"
            + "  });\n"
            + "  const event = JSON.parse(eventJson);\n"
            + "  const result = fn(event, platform, console);\n"
            + "  return JSON.stringify({ event: event, result: result === undefined ? null : result });\n"
            + "})";

    /**
     * What a script's {@code platform} does with what the script passes: JSON in, JSON out ({@code error} on
     * failure). {@code platform.dispatch(event)} dispatches an event; {@code platform.update(id, changes)} updates
     * one, as a PATCH would ({@code progress} included).
     */
    @FunctionalInterface
    public interface Platform {
        String dispatch(String eventJson);

        default String update(String id, String changesJson) {
            return "{\"error\":\"updating events is not available here\"}";
        }
    }

    private final Limits limits;
    private final ResourceLimits resourceLimits;

    public ScriptSandbox(Limits limits) {
        this.limits = limits;
        // one instance for every context: contexts of one engine share the same resource limit configuration
        this.resourceLimits = ResourceLimits.newBuilder().statementLimit(limits.statements(), null).build();
    }

    /** Parses a script once; a syntax error is reported as a {@link ScriptFailure.Kind#SYNTAX} failure. */
    public CompiledScript compile(String name, String code) throws ScriptSyntaxException {
        Source source = Source.newBuilder("js", "(function (event, platform, console) {" + code + "\n})", name)
                .cached(true).buildLiteral();
        try (Context context = newContext(OutputStream.nullOutputStream())) {
            context.parse(source);
        } catch (PolyglotException e) {
            if (e.isSyntaxError()) {
                int line = e.getSourceLocation() == null ? 0 : e.getSourceLocation().getStartLine();
                throw new ScriptSyntaxException(new ScriptFailure(ScriptFailure.Kind.SYNTAX, name, 500,
                        firstLine(e.getMessage()), line));
            }
            throw e;
        }
        return new CompiledScript(name, source);
    }

    /** Runs a compiled script on a copy of {@code event}; never throws for anything the script does. */
    public ScriptRun run(CompiledScript script, ObjectNode event, ObjectNode session, Platform platform) {
        Run run = new Run();
        Future<ScriptRun> work = Threads.RUNS.submit(() -> execute(script, event, session, platform, run));
        try {
            // the deadline is the caller's own, not a shared watchdog's: nothing a run does can delay another's
            return work.get(limits.wallClock().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException late) {
            run.end();
            // cancelled on a thread of its own, which a script that resists cancellation may hold; the run has ended
            // for Herald either way: its platform calls are refused from now on, and its answer is this one
            Threads.CANCELS.submit(run::cancel);
            return new ScriptRun(event, null, run.logs(), stopped(script.name(), true));
        } catch (InterruptedException e) {
            run.end();
            Threads.CANCELS.submit(run::cancel);
            Thread.currentThread().interrupt();
            return new ScriptRun(event, null, run.logs(), stopped(script.name(), true));
        } catch (ExecutionException e) {
            run.end();
            throw new IllegalStateException("Running script " + script.name() + " failed", e.getCause());
        }
    }

    private ScriptRun execute(CompiledScript script, ObjectNode event, ObjectNode session, Platform platform, Run run) {
        Context context = run.open(newContext(run.printed));
        try {
            Value function = context.eval(script.source());
            Value runner = context.eval(Runner.SOURCE);
            ProxyExecutable log = args -> {
                if (!run.ended() && run.lines.size() < MAX_LOG_LINES) {
                    String message = args.length > 1 ? args[1].asString() : "";
                    run.lines.add(args[0].asString() + ": " + (message.length() > MAX_LOG_LINE
                            ? message.substring(0, MAX_LOG_LINE) + "..." : message));
                }
                return null;
            };
            ProxyExecutable dispatch = args -> run.call("platform.dispatch", () -> platform.dispatch(args[0].asString()));
            ProxyExecutable update = args -> run.call("platform.update",
                    () -> platform.update(args[0].asString(), args[1].asString()));
            String out = runner.execute(function, Json.write(event), Json.write(session), log, dispatch, update)
                    .asString();
            JsonNode result = Json.readStored(out);
            return new ScriptRun((ObjectNode) result.get("event"), result.get("result"), run.logs(), null);
        } catch (PolyglotException e) {
            return new ScriptRun(event, null, run.logs(), failure(script.name(), e, run.ended()));
        } catch (IllegalStateException e) {
            // the context was closed between two calls into it: the run's time was up
            return new ScriptRun(event, null, run.logs(), stopped(script.name(), true));
        } finally {
            run.cancel();
        }
    }

    /**
     * One run's state: its context, its log, and whether it has ended for Herald. Once ended, a run's platform calls
     * are refused, so nothing it does outlasts the request that started it. A run makes at most
     * {@link #MAX_PLATFORM_CALLS} platform calls.
     */
    private static final class Run {
        private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
        private final AtomicBoolean ended = new AtomicBoolean();
        private final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        private volatile Context context;

        Context open(Context opened) {
            this.context = opened;
            if (ended.get()) {
                cancel();
            }
            return opened;
        }

        boolean ended() {
            return ended.get();
        }

        void end() {
            ended.set(true);
        }

        String call(String what, java.util.function.Supplier<String> call) {
            if (ended.get()) {
                throw new IllegalStateException(what + ": the script's time is up");
            }
            if (calls.incrementAndGet() > MAX_PLATFORM_CALLS) {
                return "{\"error\":\"a run may make at most " + MAX_PLATFORM_CALLS + " platform calls\"}";
            }
            return call.get();
        }

        void cancel() {
            Context opened = context;
            if (opened != null) {
                try {
                    opened.close(true);
                } catch (RuntimeException ignored) {
                    // closed already
                }
            }
        }

        List<String> logs() {
            return ScriptSandbox.logs(lines, printed);
        }
    }

    private Context newContext(OutputStream out) {
        return Context.newBuilder("js")
                .engine(Shared.ENGINE)
                .sandbox(SandboxPolicy.CONSTRAINED)
                .out(out)
                .err(out)
                .allowHostAccess(HostAccess.CONSTRAINED)
                .allowHostClassLookup(className -> false)
                .allowIO(IOAccess.NONE)
                .allowCreateThread(false)
                .allowNativeAccess(false)
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .resourceLimits(resourceLimits)
                .build();
    }

    private ScriptFailure failure(String name, PolyglotException e, boolean timedOut) {
        if (timedOut || e.isCancelled() || e.isResourceExhausted() || e.isInterrupted()) {
            return stopped(name, timedOut);
        }
        int line = line(name, e);
        if (e.isSyntaxError()) {
            return new ScriptFailure(ScriptFailure.Kind.SYNTAX, name, 500, firstLine(e.getMessage()), line);
        }
        if (e.isGuestException() && !e.isHostException()) {
            Value thrown = e.getGuestObject();
            if (thrown != null && thrown.hasMembers() && thrown.hasMember("status") && thrown.getMember("status").fitsInInt()) {
                int status = thrown.getMember("status").asInt();
                if (status >= 400 && status <= 599) {
                    Value message = thrown.getMember("message");
                    String text = message != null && message.isString() ? message.asString()
                            : "Rejected by script '" + name + "'";
                    return new ScriptFailure(ScriptFailure.Kind.REJECTED, name, status, text, line);
                }
            }
        }
        return new ScriptFailure(ScriptFailure.Kind.ERROR, name, 500, firstLine(e.getMessage()), line);
    }

    private ScriptFailure stopped(String name, boolean timedOut) {
        return new ScriptFailure(ScriptFailure.Kind.STOPPED, name, 500, timedOut
                ? "it ran longer than " + limits.wallClock().toMillis() + " ms"
                : "it ran more than " + limits.statements() + " statements", 0);
    }

    /** The script's own line where it failed: the first stack frame in its source. */
    private static int line(String name, PolyglotException e) {
        for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
            if (frame.isGuestFrame() && frame.getSourceLocation() != null
                    && name.equals(frame.getSourceLocation().getSource().getName())) {
                return frame.getSourceLocation().getStartLine();
            }
        }
        return e.getSourceLocation() != null && name.equals(e.getSourceLocation().getSource().getName())
                ? e.getSourceLocation().getStartLine() : 0;
    }

    private static List<String> logs(List<String> logs, ByteArrayOutputStream printed) {
        List<String> all = new ArrayList<>(logs);
        String text = printed.toString(StandardCharsets.UTF_8);
        if (!text.isEmpty()) {
            for (String line : text.split("\n")) {
                if (all.size() < MAX_LOG_LINES) {
                    all.add("print: " + line);
                }
            }
        }
        return all;
    }

    private static String firstLine(String message) {
        return message == null ? "unknown error" : message.split("\n")[0];
    }

    /** The shared engine, created on first use (a class is initialised only when first touched). */
    private static final class Shared {
        static final Engine ENGINE = Engine.newBuilder("js")
                .sandbox(SandboxPolicy.CONSTRAINED)
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                .option("engine.WarnInterpreterOnly", "false")
                .build();
    }

    private static final class Runner {
        static final Source SOURCE = Source.newBuilder("js", RUNNER, "herald-runner.js").cached(true).buildLiteral();
    }

    /**
     * Where runs happen: each on a thread of its own (so a run that resists cancellation holds only its own thread),
     * and cancellations on others (so a cancellation that blocks delays no other run's).
     */
    private static final class Threads {
        static final ExecutorService RUNS = Executors.newCachedThreadPool(daemon("script-run"));
        static final ExecutorService CANCELS = Executors.newCachedThreadPool(daemon("script-cancel"));

        private static java.util.concurrent.ThreadFactory daemon(String name) {
            return runnable -> {
                Thread thread = new Thread(runnable, name);
                thread.setDaemon(true);
                return thread;
            };
        }
    }
}
