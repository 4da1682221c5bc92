package herald.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import herald.auth.AuthorizerContext;
import herald.auth.Principal;
import herald.auth.Role;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs Herald's benchmarks: {@code Benchmarks <template.yaml> [--smoke] [name ...]}. Each prints its figures beside a
 * baseline measured in the same run, because the machines are shared and only ratios compare across runs.
 *
 * <p>{@code --smoke} runs every benchmark with tiny sizes: the figures mean nothing, but every code path runs, so that
 * the test suite (which runs it) fails when a benchmark breaks. Whatever happens, the process ends: with 0 when every
 * benchmark ran, 1 when one failed (the others still run), 3 when the run outlasted its time limit
 * ({@code -Dbench.timeoutMinutes}, 30 by default, 5 in smoke mode).
 */
public final class Benchmarks {

    /** The benchmarks, by the name {@code -Dbench.args} takes. */
    private static final Map<String, Benchmark> ALL = new LinkedHashMap<>();

    static {
        ALL.put("dispatch", DispatchBenchmark::run);
        ALL.put("enroll", EnrollBenchmark::run);
        ALL.put("query", QueryBenchmark::run);
        ALL.put("realtime", RealtimeBenchmark::run);
        ALL.put("scripting", ScriptingBenchmark::run);
        ALL.put("triggers", TriggerBenchmark::run);
        ALL.put("delivery", DeliveryBenchmark::run);
        ALL.put("replay", ReplayBenchmark::run);
        ALL.put("auth", AuthBenchmark::run);
        ALL.put("coldstart", ColdStartBenchmark::run);
    }

    private static boolean smoke;

    @FunctionalInterface
    private interface Benchmark {
        void run(Path template) throws Exception;
    }

    private Benchmarks() {
    }

    /** Whether this run is the smoke run. */
    static boolean smoke() {
        return smoke;
    }

    /** A benchmark's size: {@code full} for a real run, {@code tiny} for the smoke run. */
    static int size(int full, int tiny) {
        return smoke ? tiny : full;
    }

    /**
     * The authorizer context API Gateway hands a function for a call with the deployment's admin key, for benchmarks
     * that call a handler in-process.
     */
    static APIGatewayV2HTTPEvent.RequestContext.Authorizer adminAuthorizer() {
        return APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                .withLambda(AuthorizerContext.of(new Principal("admin", Role.ADMIN, null))).build();
    }

    public static void main(String[] args) {
        List<String> words = Arrays.stream(args).skip(1).flatMap(a -> Arrays.stream(a.split("[\\s,]+")))
                .filter(a -> !a.isBlank()).toList();
        if (args.length < 1) {
            System.err.println("usage: Benchmarks <template.yaml> [--smoke] [" + String.join("] [", ALL.keySet()) + "]");
            System.exit(2);
        }
        smoke = words.contains("--smoke");
        List<String> names = new ArrayList<>(words.stream().filter(w -> !w.equals("--smoke")).toList());
        if (names.isEmpty()) {
            names.addAll(ALL.keySet());
        }
        for (String name : names) {
            if (!ALL.containsKey(name)) {
                System.err.println("Unknown benchmark '" + name + "'; known: " + String.join(", ", ALL.keySet()));
                System.exit(2);
            }
        }
        long minutes = Long.getLong("bench.timeoutMinutes", smoke ? 5 : 30);
        Thread limit = new Thread(() -> {
            try {
                TimeUnit.MINUTES.sleep(minutes);
                System.err.println("Benchmarks outlasted their limit of " + minutes + " minutes; stopping");
                Runtime.getRuntime().halt(3);
            } catch (InterruptedException done) {
                // the run ended first
            }
        }, "bench-time-limit");
        limit.setDaemon(true);
        limit.start();

        Path template = Path.of(args[0]);
        List<String> failed = new ArrayList<>();
        for (String name : names) {
            try {
                ALL.get(name).run(template);
                System.out.println("benchmark " + name + ": done" + (smoke ? " (smoke)" : ""));
            } catch (Throwable e) {
                failed.add(name);
                System.err.println("benchmark " + name + " failed: " + e);
                e.printStackTrace();
            }
        }
        System.out.println(failed.isEmpty() ? "benchmarks: all " + names.size() + " ran"
                : "benchmarks: " + failed.size() + " of " + names.size() + " failed: " + failed);
        System.exit(failed.isEmpty() ? 0 : 1);
    }
}
