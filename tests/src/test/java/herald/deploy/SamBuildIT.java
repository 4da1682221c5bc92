package herald.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import herald.bench.SamBuild;
import herald.local.CloudFormationYaml;
import herald.testing.LocalHeraldExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every function and layer builds from its code folder alone, the way {@code sam build} builds it: the folder copied
 * to a scratch directory, {@code mvn clean install} and {@code mvn dependency:copy-dependencies -DincludeScope=runtime}
 * there, with an empty Maven repository (so nothing that an earlier build installed can help). The artifacts have the
 * layout Lambda's Java runtime loads, and each function carries only what it uses. (That each package then starts
 * and answers a request from its package alone is the cold-start benchmark's smoke run, in BenchmarksSmokeIT.)
 */
class SamBuildIT {

    @Test
    @SuppressWarnings("unchecked")
    void everyFunctionBuildsFromItsCodeUriAloneWithAnEmptyMavenRepository() throws Exception {
        Path template = LocalHeraldExtension.template();
        Path work = Files.createTempDirectory("herald-sam-build");
        Path emptyRepository = Files.createDirectories(work.resolve("repository"));
        Map<String, SamBuild.Function> functions = new SamBuild(template.toAbsolutePath().getParent(),
                work.resolve("build"), emptyRepository).buildAll(template);

        assertThat(functions).containsKeys("AuthorizerFunction", "EventsFunction", "QueryFunction", "FanoutFunction",
                "ReactionsFunction");
        for (SamBuild.Function function : functions.values()) {
            Path artifact = function.artifact();
            String id = function.logicalId();
            // classes at the root and jars in lib/, as Lambda's Java runtime loads a package
            assertThat(artifact.resolve(function.handler().replace('.', '/') + ".class")).as(id).isRegularFile();
            assertThat(artifact.resolve("herald/version.properties")).as(id).isRegularFile();
            List<String> lib = names(artifact.resolve("lib"));
            assertThat(lib).as(id + " lib").isNotEmpty().allMatch(name -> name.endsWith(".jar"))
                    .anyMatch(name -> name.startsWith("software.amazon.awssdk.dynamodb-"))
                    .noneMatch(name -> name.startsWith("org.graalvm") || name.startsWith("com.graphql-java")
                            || name.startsWith("software.amazon.awssdk.lambda-")
                            || name.startsWith("software.amazon.awssdk.s3-")
                            || name.startsWith("org.junit") || name.startsWith("org.assertj"));
            try (Stream<Path> files = Files.walk(artifact)) {
                assertThat(files.map(Path::toString)).as(id + ": no test classes")
                        .noneMatch(name -> name.endsWith("Test.class") || name.endsWith("IT.class"));
            }
        }
        Map<String, Object> resources = (Map<String, Object>) CloudFormationYaml.read(template).get("Resources");
        for (SamBuild.Function function : functions.values()) {
            boolean scripted = runsScripts(resources, function.logicalId());
            List<String> layerJars = function.layers().stream()
                    .flatMap(layer -> names(layer.resolve("java").resolve("lib")).stream()).toList();
            if (scripted) {
                assertThat(layerJars).as(function.logicalId() + " layers")
                        .anyMatch(name -> name.startsWith("software.amazon.awssdk.s3-"))
                        .anyMatch(name -> name.startsWith("org.graalvm.polyglot.polyglot-"))
                        .anyMatch(name -> name.startsWith("org.graalvm.js.js-language-"));
            } else {
                if (function.logicalId().equals("ConsoleFunction")) {
                    // the console's editor, and nothing else
                    assertThat(layerJars).as("ConsoleFunction layers")
                            .singleElement().satisfies(name -> assertThat(name).startsWith("org.webjars.npm.codemirror-"));
                } else if (List.of("DeliveryRetryFunction", "ReplayFunction").contains(function.logicalId())) {
                    // the Lambda client, and nothing else: what it needs of the SDK is in every function's package
                    assertThat(layerJars).as(function.logicalId() + " layers")
                            .singleElement().satisfies(name -> assertThat(name).startsWith("software.amazon.awssdk.lambda-"));
                } else {
                    assertThat(function.layers()).as(function.logicalId() + " runs no scripts: no layer").isEmpty();
                }
                assertThat(SamBuild.bytes(function.artifact()) / 1_048_576.0)
                        .as(function.logicalId() + " MB unzipped").isLessThan(20);
            }
            boolean lambda = layerJars.stream().anyMatch(name -> name.startsWith("software.amazon.awssdk.lambda-"));
            assertThat(lambda).as(function.logicalId() + " has the Lambda client").isEqualTo(
                    List.of("ReactionsFunction", "DeliveryRetryFunction", "TriggerAdminFunction", "ReplayFunction")
                            .contains(function.logicalId()));
            boolean graphql = layerJars.stream().anyMatch(name -> name.startsWith("com.graphql-java.graphql-java-"));
            assertThat(graphql).as(function.logicalId() + " has graphql-java")
                    .isEqualTo(function.logicalId().equals("QueryFunction"));
        }
        SamBuild.delete(work);
    }

    /** A function runs scripts when its template gives it the scripts table. */
    private static boolean runsScripts(Map<String, Object> resources, String function) {
        Object properties = ((Map<?, ?>) resources.get(function)).get("Properties");
        Object environment = ((Map<?, ?>) properties).get("Environment");
        return environment instanceof Map<?, ?> map && map.get("Variables") instanceof Map<?, ?> variables
                && variables.containsKey("SCRIPTS_TABLE");
    }

    private static List<String> names(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
