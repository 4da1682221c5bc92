package herald.bench;

import herald.auth.AuthorizerContext;
import herald.auth.Principal;
import herald.auth.Role;
import herald.kernel.Json;
import herald.local.LocalHerald;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Cold start of every function of the template, from its package as {@code sam build} makes it ({@link SamBuild}):
 * for each, its size (unzipped and zipped, layers included) and the wall time of a fresh JVM from start to its first
 * handled request ({@link ColdStartDriver}: the handler built with the function's environment, then one real
 * request through it, against the local runtime's DynamoDB Local), median of five JVMs. Beside it, in the same run,
 * the baseline: a minimal handler that builds one DynamoDB client and makes one {@code GetItem}
 * ({@link ColdStartBaseline}); and the script engine's share: a GraalJS context and one evaluation alone
 * ({@link ScriptEngineBaseline}). Every JVM runs as Lambda's do ({@code -XX:TieredStopAtLevel=1}).
 *
 * <p>Targets: a function that runs no scripts starts within 1.5 times the baseline and is at most 20 MB unzipped. A
 * full run that misses one fails; the smoke run (one JVM each) checks only that every package starts and answers.
 */
final class ColdStartBenchmark {

    private static final String KEY = "bench-key-0123456789abcdef0123456789";
    private static final double TARGET_RATIO = 1.5;
    private static final double TARGET_MB = 20;
    private static final List<String> JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto");

    private ColdStartBenchmark() {
    }

    static void run(Path template) throws Exception {
        Path work = Files.createTempDirectory("herald-coldstart");
        try (LocalHerald herald = LocalHerald.start(template, "127.0.0.1", 0, Map.of("AdminApiKey", KEY))) {
            Map<String, SamBuild.Function> functions = new SamBuild(template.toAbsolutePath().getParent(),
                    work.resolve("build"), null).buildAll(template);
            Path driver = driverClasses(work.resolve("driver"));
            int runs = Benchmarks.size(5, 1);
            Map<String, String> baselineEnvironment = herald.functionEnvironment("AuthorizerFunction");
            List<Target> targets = new ArrayList<>();
            targets.add(new Target("baseline (1 client, GetItem)", ColdStartBaseline.class.getName(),
                    functions.get("AuthorizerFunction").classpath(), "{}", baselineEnvironment, null));
            for (SamBuild.Function function : functions.values()) {
                Map<String, String> environment = herald.functionEnvironment(function.logicalId());
                targets.add(new Target(function.logicalId(), function.handler(), function.classpath(),
                        request(function.logicalId(), environment), environment, function));
            }
            targets.add(new Target("script engine alone", ScriptEngineBaseline.class.getName(),
                    functions.get("EventsFunction").classpath(), "{}", baselineEnvironment, null));
            // interleaved, so that the machine's noise and the disk cache's warming fall on every target alike
            Map<Target, List<long[]>> samples = new LinkedHashMap<>();
            for (int run = 0; run < runs; run++) {
                for (Target target : targets) {
                    samples.computeIfAbsent(target, t -> new ArrayList<>()).add(once(driver, target, work));
                }
            }
            Map<Target, Result> results = new LinkedHashMap<>();
            samples.forEach((target, values) -> results.put(target, Result.median(values)));
            Result baseline = results.get(targets.get(0));

            System.out.printf("coldstart: median of %d fresh JVM%s each (%s), a real request through each handler%n",
                    runs, runs == 1 ? "" : "s", String.join(" ", JVM_OPTIONS));
            System.out.printf("  %-28s %9s %9s %11s %9s %8s %10s%n", "function", "unzipped", "zipped", "cold start",
                    "x base", "init", "request");
            List<String> missed = new ArrayList<>();
            for (Target target : targets) {
                Result result = results.get(target);
                double ratio = (double) result.wallMs / baseline.wallMs;
                String sizes = String.format("%9s %9s", "", "");
                String mark = "";
                if (target.function() != null) {
                    double unzipped = unzippedMb(target.function());
                    sizes = String.format("%6.1f MB %6.1f MB", unzipped, zippedMb(target.function(), work));
                    if (target.environment().containsKey("SCRIPTS_TABLE")) {
                        mark = "  (scripts)";
                    } else if (ratio > TARGET_RATIO || unzipped > TARGET_MB) {
                        missed.add(target.label());
                        mark = "  MISSED";
                    }
                } else if (target.handler().equals(ScriptEngineBaseline.class.getName())) {
                    mark = "  (a GraalJS context and one eval: what a scripted function's first script adds)";
                }
                System.out.printf("  %-28s %s %8d ms %8.2fx %5d ms %7d ms%s%n", target.label(), sizes, result.wallMs,
                        ratio, result.initMs, result.requestMs, mark);
            }
            if (!Benchmarks.smoke()) {
                System.out.println(missed.isEmpty()
                        ? "  targets met: every function without scripts within " + TARGET_RATIO + "x and " + TARGET_MB
                                + " MB"
                        : "  targets MISSED by " + missed);
                if (!missed.isEmpty()) {
                    throw new IllegalStateException("cold-start targets missed by " + missed);
                }
            }
        } finally {
            SamBuild.delete(work);
        }
    }

    /** What a fresh JVM is started for: a handler on a classpath, with its event and environment. */
    private record Target(String label, String handler, List<Path> classpath, String event,
            Map<String, String> environment, SamBuild.Function function) {
    }

    /** Wall time to the answered request, and the driver's own split of it into the handler's init and request. */
    private record Result(long wallMs, long initMs, long requestMs) {

        static Result median(List<long[]> samples) {
            return new Result(middle(samples, 0), middle(samples, 1), middle(samples, 2));
        }

        private static long middle(List<long[]> samples, int index) {
            List<Long> sorted = samples.stream().map(sample -> sample[index]).sorted().toList();
            return sorted.get(sorted.size() / 2);
        }
    }

    /** One fresh JVM: its classpath the target's alone (and the driver); Lambda's environment its own. */
    private static long[] once(Path driver, Target target, Path work) throws IOException, InterruptedException {
        Path eventFile = Files.writeString(work.resolve("event.json"), target.event());
        Path environmentFile = Files.writeString(work.resolve("environment.json"), Json.write(target.environment()));
        List<String> cp = new ArrayList<>(List.of(driver.toString()));
        target.classpath().forEach(entry -> cp.add(entry.toString()));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of("-cp", String.join(java.io.File.pathSeparator, cp), ColdStartDriver.class.getName(),
                target.handler(), eventFile.toString(), environmentFile.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(target.environment()); // what Lambda sets as the process's environment
        long started = System.nanoTime();
        Process process = builder.start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(target.label() + " did not start from its package alone:\n" + output);
        }
        long wall = (System.nanoTime() - started) / 1_000_000;
        String line = output.lines().filter(l -> l.startsWith("cold-start ")).reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalStateException(target.label() + " printed no result:\n" + output));
        // what a function logs is JSON lines (logback.xml), which CloudWatch Logs reads field by field
        for (String logged : output.lines().filter(l -> !l.isBlank() && !l.startsWith("cold-start ")).toList()) {
            if (target.function() != null && !isJsonObject(logged)) {
                throw new IllegalStateException(target.label() + " logged a line that is not JSON: " + logged);
            }
        }
        String[] parts = line.split(" ");
        return new long[] {wall, Long.parseLong(parts[2]), Long.parseLong(parts[3])};
    }

    private static boolean isJsonObject(String line) {
        try {
            return Json.MAPPER.readTree(line).isObject();
        } catch (IOException e) {
            return false;
        }
    }

    /** The driver and the baselines, alone in a directory: the only classes a package's JVM gets beside its own. */
    private static Path driverClasses(Path directory) throws IOException {
        for (Class<?> type : List.of(ColdStartDriver.class, ColdStartBaseline.class, ScriptEngineBaseline.class)) {
            String resource = type.getName().replace('.', '/') + ".class";
            Path copy = directory.resolve(resource);
            Files.createDirectories(copy.getParent());
            try (InputStream in = ColdStartBenchmark.class.getClassLoader().getResourceAsStream(resource)) {
                Files.copy(in, copy);
            }
        }
        return directory;
    }

    /** One real request for each function, as its trigger hands it: the admin's call for the HTTP functions. */
    static String request(String function, Map<String, String> environment) {
        Map<String, Object> authorizer = AuthorizerContext.of(new Principal("admin", Role.ADMIN, null));
        return switch (function) {
            case "AuthorizerFunction" -> Json.write(Map.of("version", "2.0", "type", "REQUEST",
                    "routeArn", "arn:aws:execute-api:local:000000000000:local/$default/GET/api/events",
                    "identitySource", List.of(KEY), "headers", Map.of("x-api-key", KEY)));
            case "RealtimeFunction" -> Json.write(Map.of("requestContext",
                    Map.of("routeKey", "$connect", "connectionId", "cold-start-connection")));
            case "FanoutFunction", "ReactionsFunction" -> Json.write(Map.of("records", List.of(Map.of(
                    "eventID", "cold-start-record", "eventName", "INSERT", "eventSource", "aws:dynamodb",
                    "dynamodb", Map.of("sequenceNumber", "1", "streamViewType", "NEW_AND_OLD_IMAGES",
                            "keys", Map.of("id", Map.of("s", "coldstart0001")),
                            "newImage", Map.of("id", Map.of("s", "coldstart0001"), "topic", Map.of("s", "cold.start"),
                                    "status", Map.of("s", "finished"), "user", Map.of("s", "admin"),
                                    "createdAt", Map.of("s", "2026-12-01T00:00:00.000000Z"),
                                    "updatedAt", Map.of("s", "2026-12-01T00:00:00.000000Z")))))));
            // a scheduled run: nothing is due, so it reads byDue and returns
            case "DeliveryRetryFunction", "HeartbeatFunction", "ReplayFunction" -> "{}";
            // a delivery that is not there: the trigger's shared state and the delivery are read, nothing is sent
            case "WebhookFunction" -> Json.write(Map.of("trigger", "cold-start", "ids", List.of("msg_coldstart")));
            default -> {
                String[] route = route(function);
                Map<String, Object> event = new LinkedHashMap<>();
                event.put("version", "2.0");
                event.put("routeKey", route[0] + " " + route[1]);
                event.put("rawPath", route[2]);
                event.put("headers", Map.of("content-type", "application/json"));
                if (route.length > 3) {
                    event.put("body", route[3]);
                }
                event.put("requestContext", Map.of("requestId", "cold-start-request", "routeKey",
                        route[0] + " " + route[1], "http", Map.of("method", route[0], "path", route[2]),
                        "authorizer", Map.of("lambda", authorizer)));
                if (route[1].contains("{")) {
                    event.put("pathParameters", Map.of(route[1].replaceAll(".*\\{(\\w+)\\}.*", "$1"), "cold-start"));
                }
                yield Json.write(event);
            }
        };
    }

    /** Method, route, path and body of the request an HTTP function gets: a read that reaches its tables. */
    private static String[] route(String function) {
        return switch (function) {
            case "EventsFunction" -> new String[] {"GET", "/api/events/{id}", "/api/events/cold-start"};
            case "EnrollFunction" -> new String[] {"POST", "/api/enroll", "/api/enroll",
                    "{\"sourceTopic\":\"cold.source\",\"targetTopic\":\"cold.target\",\"sender\":\"bench\"}"};
            case "QueryFunction" -> new String[] {"POST", "/graphql", "/graphql",
                    "{\"query\":\"{ events(first: 1) { edges { node { id } } } }\"}"};
            case "ServerFunction" -> new String[] {"GET", "/api/users/me", "/api/users/me"};
            // no table: its work is the page
            case "ConsoleFunction" -> new String[] {"GET", "/console", "/console"};
            case "ScriptsFunction" -> new String[] {"GET", "/api/v2/system/event_script",
                    "/api/v2/system/event_script"};
            case "ScriptedServiceFunction" -> new String[] {"GET", "/api/v2/{service}", "/api/v2/cold-start"};
            case "TriggerAdminFunction" -> new String[] {"GET", "/api/v2/system/trigger", "/api/v2/system/trigger"};
            case "ApiKeysFunction" -> new String[] {"GET", "/api/v2/system/api_key", "/api/v2/system/api_key"};
            default -> throw new IllegalArgumentException("No cold-start request for " + function
                    + ": add one to ColdStartBenchmark");
        };
    }

    private static double unzippedMb(SamBuild.Function function) throws IOException {
        long bytes = SamBuild.bytes(function.artifact());
        for (Path layer : function.layers()) {
            bytes += SamBuild.bytes(layer);
        }
        return bytes / 1_048_576.0;
    }

    private static double zippedMb(SamBuild.Function function, Path work) throws IOException {
        long bytes = 0;
        List<Path> parts = new ArrayList<>(List.of(function.artifact()));
        parts.addAll(function.layers());
        for (Path part : parts) {
            Path zip = work.resolve("size.zip");
            try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip));
                    Stream<Path> files = Files.walk(part)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    out.putNextEntry(new ZipEntry(part.relativize(file).toString()));
                    Files.copy(file, out);
                    out.closeEntry();
                }
            }
            bytes += Files.size(zip);
        }
        return bytes / 1_048_576.0;
    }
}
