package herald.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Runs Herald's benchmarks: {@code Benchmarks <template.yaml> [name ...]}. Each prints its figures beside a
 * baseline measured in the same run, because the machines are shared and only ratios compare across runs.
 */
public final class Benchmarks {

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: Benchmarks <template.yaml> [dispatch] [enroll] [query] [realtime] [scripting] [triggers] [auth]");
            System.exit(2);
        }
        Path template = Path.of(args[0]);
        List<String> names = args.length > 1
                ? Arrays.stream(args).skip(1).flatMap(a -> Arrays.stream(a.split("[\\s,]+"))).filter(a -> !a.isBlank()).toList()
                : List.of("dispatch", "enroll", "query", "realtime", "scripting", "triggers", "auth");
        for (String name : names) {
            switch (name) {
                case "dispatch":
                    DispatchBenchmark.run(template);
                    break;
                case "enroll":
                    EnrollBenchmark.run(template);
                    break;
                case "query":
                    QueryBenchmark.run(template);
                    break;
                case "realtime":
                    RealtimeBenchmark.run(template);
                    break;
                case "scripting":
                    ScriptingBenchmark.run(template);
                    break;
                case "triggers":
                    TriggerBenchmark.run(template);
                    break;
                case "auth":
                    AuthBenchmark.run(template);
                    break;
                default:
                    System.err.println("Unknown benchmark '" + name + "'; known: dispatch, enroll, query, realtime, scripting, triggers, auth");
                    System.exit(2);
            }
        }
        System.exit(0);
    }
}
