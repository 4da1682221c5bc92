package herald.bench;

import static org.assertj.core.api.Assertions.assertThat;

import herald.testing.LocalHeraldExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every benchmark of {@code infra/bench}, in its smoke mode (tiny sizes, no figure judged), in a fresh JVM as the
 * documented command runs them: a benchmark that breaks fails the build, and one that hangs is stopped by the run's
 * own time limit and fails it too.
 */
class BenchmarksSmokeIT {

    private static final List<String> ALL = List.of("dispatch", "enroll", "query", "realtime", "scripting", "triggers",
            "auth");

    @Test
    void everyBenchmarkRunsAndTheRunEndsWithZero() throws IOException, InterruptedException {
        Path output = Files.createTempFile("herald-bench-smoke", ".log");
        Process run = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dbench.timeoutMinutes=8", "-cp", System.getProperty("java.class.path"),
                Benchmarks.class.getName(), LocalHeraldExtension.template().toString(), "--smoke")
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean ended = run.waitFor(10, TimeUnit.MINUTES);
        if (!ended) {
            run.destroyForcibly();
        }
        String printed = Files.readString(output, StandardCharsets.UTF_8);
        Files.delete(output);
        assertThat(ended).as("the smoke run ends by itself; it printed:%n%s", printed).isTrue();
        assertThat(run.exitValue()).as("exit code; it printed:%n%s", printed).isZero();
        for (String name : ALL) {
            assertThat(printed).contains("benchmark " + name + ": done (smoke)");
        }
    }
}
