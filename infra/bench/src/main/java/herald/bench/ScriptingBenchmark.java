package herald.bench;

import herald.kernel.Json;
import herald.local.LocalHerald;
import herald.scripting.CacheStamps;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * What event scripts cost, on the local runtime, in one run:
 * <ul>
 * <li>warm: {@code POST /api/events} over HTTP with a pre_process and a post_process script bound (both change the
 * call), beside the same call with no script bound, in alternating rounds;</li>
 * <li>the first call after a cache clear, with the pre_process script in S3 (stamp read, S3 read, compile, run),
 * beside the warm call right after it;</li>
 * <li>a fresh JVM (as a cold Lambda container) from its start to the answer of its first call, with the scripts
 * bound and without.</li>
 * </ul>
 */
final class ScriptingBenchmark {

    private static final String KEY = "bench-admin-key-0123456789abcdef-0123456789";
    private static final int CALLS = Benchmarks.size(200, 4);
    private static final int ROUNDS = Benchmarks.size(4, 1);
    private static final int CLEARS = Benchmarks.size(20, 2);
    private static final int COLD = Benchmarks.size(3, 1);
    private static final String PRE = "if (event.request.payload.topic === 'bench.scripted') {\n"
            + "  event.request.payload.payload = { checked: true, by: platform.session.user.name };\n}\n";
    private static final String POST = "if (event.response.status_code === 200) {\n"
            + "  event.response.headers['x-checked'] = 'yes';\n}\n";

    private ScriptingBenchmark() {
    }

    static void run(Path template) throws Exception {
        try (LocalHerald herald = LocalHerald.start(template, "127.0.0.1", 0,
                Map.of("AdminApiKey", KEY))) {
            HttpClient http = HttpClient.newHttpClient();
            String base = herald.baseUrl().toString();
            List<Double> plain = new ArrayList<>();
            List<Double> scripted = new ArrayList<>();
            calls(http, base, Benchmarks.size(300, 3), new ArrayList<>()); // warm-up, no scripts
            for (int round = 0; round < ROUNDS; round++) {
                calls(http, base, CALLS, plain);
                bind(http, base, "events.post.pre_process", PRE);
                bind(http, base, "events.post.post_process", POST);
                calls(http, base, Benchmarks.size(50, 2), new ArrayList<>()); // warm the scripts
                calls(http, base, CALLS, scripted);
                unbind(http, base, "events.post.pre_process");
                unbind(http, base, "events.post.post_process");
                calls(http, base, 20, new ArrayList<>());
            }

            herald.s3().orElseThrow().client().putObject(b -> b.bucket("scriptsbucket").key("bench/pre.js"),
                    RequestBody.fromString(PRE));
            send(http, base, "POST", "/api/v2/system/event_script", Json.MAPPER.createObjectNode()
                    .put("name", "events.post.pre_process").put("storage_service", "s3").put("storage_path", "bench/pre.js")
                    .put("allow_event_modification", true).toString());
            List<Double> afterClear = new ArrayList<>();
            List<Double> warmAfter = new ArrayList<>();
            calls(http, base, 20, new ArrayList<>());
            for (int i = 0; i < CLEARS; i++) {
                send(http, base, "DELETE", "/api/v2/system/cache/_event/events.post.pre_process", null);
                calls(http, base, 1, afterClear);
                calls(http, base, 1, warmAfter);
            }

            Map<String, String> functionEnvironment = herald.functionEnvironment("EventsFunction");
            List<Double> stampReads = new ArrayList<>();
            {
                var dynamoDb = herald.dynamoDb();
                var stamps = new CacheStamps(dynamoDb, functionEnvironment.get("SCRIPT_CACHE_TABLE"));
                for (int i = 0; i < CALLS; i++) {
                    long start = System.nanoTime();
                    stamps.current();
                    stampReads.add((System.nanoTime() - start) / 1e6);
                }
            }

            Path environment = Files.createTempFile("herald-cold", ".json");
            Files.writeString(environment, Json.write(new HashMap<>(functionEnvironment)));
            List<Double> coldScripted = cold(environment);
            unbind(http, base, "events.post.pre_process");
            List<Double> coldPlain = cold(environment);
            Files.delete(environment);

            System.out.println();
            System.out.printf("Scripting benchmark: POST /api/events over HTTP on the local runtime%n");
            System.out.printf("  %-58s %8s %8s%n", "", "p50 ms", "p99 ms");
            row("warm, pre_process + post_process bound (" + CALLS * ROUNDS + " calls)", scripted);
            row("baseline: warm, no script bound (" + CALLS * ROUNDS + " calls)", plain);
            System.out.printf("  ratio scripted / baseline: p50 %.2f, p99 %.2f%n",
                    Seeding.percentile(scripted, 50) / Seeding.percentile(plain, 50),
                    Seeding.percentile(scripted, 99) / Seeding.percentile(plain, 99));
            row("  of which: the cache stamp read, alone (" + CALLS + ")", stampReads);
            row("first call after a cache clear, S3 source (" + CLEARS + ")", afterClear);
            row("baseline: the warm call right after it (" + CLEARS + ")", warmAfter);
            System.out.printf("  ratio first after clear / warm: p50 %.2f%n",
                    Seeding.percentile(afterClear, 50) / Seeding.percentile(warmAfter, 50));
            row("fresh JVM start to first answer, script bound (" + COLD + ")", coldScripted);
            row("baseline: fresh JVM start to first answer, no script (" + COLD + ")", coldPlain);
            System.out.printf("  ratio scripted / baseline cold start: p50 %.2f%n",
                    Seeding.percentile(coldScripted, 50) / Seeding.percentile(coldPlain, 50));
        }
    }

    private static void row(String label, List<Double> values) {
        System.out.printf("  %-58s %8.1f %8.1f%n", label, Seeding.percentile(values, 50), Seeding.percentile(values, 99));
    }

    private static void calls(HttpClient http, String base, int count, List<Double> millis) throws Exception {
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            int status = send(http, base, "POST", "/api/events", "{\"topic\":\"bench.scripted\",\"payload\":{\"n\":" + i + "}}");
            millis.add((System.nanoTime() - start) / 1e6);
            if (status != 200) {
                throw new IllegalStateException("POST /api/events answered " + status);
            }
        }
    }

    private static void bind(HttpClient http, String base, String name, String content) throws Exception {
        int status = send(http, base, "POST", "/api/v2/system/event_script", Json.MAPPER.createObjectNode()
                .put("name", name).put("content", content).put("allow_event_modification", true).toString());
        if (status != 201) {
            throw new IllegalStateException("Creating " + name + " answered " + status);
        }
    }

    private static void unbind(HttpClient http, String base, String name) throws Exception {
        send(http, base, "DELETE", "/api/v2/system/event_script/" + name, null);
    }

    private static int send(HttpClient http, String base, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).header("X-Api-Key", KEY)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Fresh JVMs, each constructing the events handler and answering one call, as a cold Lambda container does. */
    private static List<Double> cold(Path environment) throws Exception {
        List<Double> millis = new ArrayList<>();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int i = 0; i < COLD; i++) {
            Process process = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                    ColdScriptedCall.class.getName(), environment.toString(), KEY).redirectErrorStream(true).start();
            String result = null;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith("COLD ")) {
                        result = line;
                    }
                }
            }
            process.waitFor();
            if (result == null || !result.endsWith(" 200")) {
                throw new IllegalStateException("The cold call did not answer 200: " + result);
            }
            millis.add(Double.parseDouble(result.split(" ")[1]));
        }
        return millis;
    }
}
