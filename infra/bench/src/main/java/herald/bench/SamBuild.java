package herald.bench;

import herald.local.CloudFormationYaml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Builds the template's functions and layers as {@code sam build} does with its {@code java_maven} builder, without
 * SAM: each code folder ({@code CodeUri}, or a layer's {@code ContentUri}) is copied alone to a scratch directory,
 * where {@code mvn clean install} and then {@code mvn dependency:copy-dependencies -DincludeScope=runtime
 * -Dmdep.prependGroupId=true} run; a function's artifact is {@code target/classes} with the jars in {@code lib/}, a
 * layer's is {@code java/lib/} with its jars, as Lambda's Java runtime loads them. Folders that several functions
 * share are built once, as SAM builds them.
 */
public final class SamBuild {

    /** A function as deployed: its handler, its artifact, and the artifacts of its layers. */
    public record Function(String logicalId, String handler, Path artifact, List<Path> layers) {

        /** The classpath Lambda gives the function: its classes, its jars, then its layers' jars. */
        public List<Path> classpath() {
            List<Path> entries = new ArrayList<>();
            entries.add(artifact);
            entries.addAll(jars(artifact.resolve("lib")));
            layers.forEach(layer -> entries.addAll(jars(layer.resolve("java").resolve("lib"))));
            return entries;
        }
    }

    private final Path projectRoot;
    private final Path workDir;
    private final Path localRepository;

    /**
     * @param localRepository the Maven repository the builds use, or null for the user's own (then nothing is
     *     installed into it); an empty one proves that a folder builds from nothing but itself and the registry
     */
    public SamBuild(Path projectRoot, Path workDir, Path localRepository) {
        this.projectRoot = projectRoot;
        this.workDir = workDir;
        this.localRepository = localRepository;
    }

    /** Builds every function of the template and its layers; returns them by logical id. */
    public Map<String, Function> buildAll(Path template) throws IOException, InterruptedException {
        Map<String, Object> resources = map(CloudFormationYaml.read(template).get("Resources"));
        Map<String, Object> globals = map(map(map(CloudFormationYaml.read(template).getOrDefault("Globals", Map.of()))
                .getOrDefault("Function", Map.of())));
        Map<String, Path> built = new LinkedHashMap<>();
        Map<String, Function> functions = new LinkedHashMap<>();
        for (Map.Entry<String, Object> resource : resources.entrySet()) {
            Map<String, Object> definition = map(resource.getValue());
            if (!"AWS::Serverless::Function".equals(definition.get("Type"))) {
                continue;
            }
            Map<String, Object> properties = map(definition.get("Properties"));
            String codeUri = String.valueOf(properties.getOrDefault("CodeUri", globals.get("CodeUri")));
            Path artifact = built.computeIfAbsent("function:" + codeUri, key -> build(codeUri, false));
            List<Path> layers = new ArrayList<>();
            for (Object layer : (List<?>) properties.getOrDefault("Layers", List.of())) {
                String id = String.valueOf(map(layer).get("Ref"));
                String contentUri = String.valueOf(map(map(resources.get(id)).get("Properties")).get("ContentUri"));
                layers.add(built.computeIfAbsent("layer:" + contentUri, key -> build(contentUri, true)));
            }
            functions.put(resource.getKey(), new Function(resource.getKey(), String.valueOf(properties.get("Handler"))
                    .replaceAll("::.*", ""), artifact, layers));
        }
        return functions;
    }

    private Path build(String folder, boolean layer) {
        try {
            Path scratch = workDir.resolve("scratch").resolve(folder.replace('/', '_'));
            copyAlone(projectRoot.resolve(folder), scratch);
            maven(scratch, "clean", "install");
            maven(scratch, "dependency:copy-dependencies", "-DincludeScope=runtime", "-Dmdep.prependGroupId=true");
            Path artifact = workDir.resolve("artifacts").resolve(folder.replace('/', '_'));
            Path target = scratch.resolve("target");
            if (layer) {
                Path lib = artifact.resolve("java").resolve("lib");
                Files.createDirectories(lib);
                for (Path jar : jars(target)) {
                    Files.copy(jar, lib.resolve(jar.getFileName().toString()));
                }
                for (Path jar : jars(target.resolve("dependency"))) {
                    Files.copy(jar, lib.resolve(jar.getFileName().toString()));
                }
            } else {
                copyTree(target.resolve("classes"), artifact);
                copyTree(target.resolve("dependency"), artifact.resolve("lib"));
            }
            return artifact;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while building " + folder, e);
        }
    }

    private void maven(Path directory, String... goals) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(mavenExecutable(), "-B", "-q"));
        if (localRepository != null) {
            command.add("-Dmaven.repo.local=" + localRepository.toAbsolutePath());
        } else {
            // the user's own repository: `install` would replace the herald-functions jar that this very JVM (and
            // the project's build) reads, so the artifact is built but not installed there
            command.add("-Dmaven.install.skip=true");
        }
        command.addAll(List.of(goals));
        Path log = directory.resolve("build.log");
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!process.waitFor(15, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish in 15 minutes in "
                    + directory);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed in " + directory + ":\n"
                    + Files.readString(log));
        }
    }

    private static String mavenExecutable() {
        String home = System.getProperty("maven.home", System.getenv("MAVEN_HOME"));
        if (home != null && Files.isExecutable(Path.of(home, "bin", "mvn"))) {
            return Path.of(home, "bin", "mvn").toString();
        }
        return "mvn";
    }

    /** Copies a code folder as SAM does: its files only, never what an earlier build left in it. */
    private static void copyAlone(Path source, Path destination) throws IOException {
        if (Files.exists(destination)) {
            delete(destination);
        }
        copyTree(source, destination, relative -> relative.startsWith("target"));
    }

    private static void copyTree(Path source, Path destination) throws IOException {
        copyTree(source, destination, relative -> false);
    }

    /** Copies {@code source} (when it exists) into {@code destination}, but what {@code skipped} names. */
    private static void copyTree(Path source, Path destination, java.util.function.Predicate<Path> skipped)
            throws IOException {
        if (!Files.isDirectory(source)) {
            return;
        }
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path relative = source.relativize(file);
                if (skipped.test(relative)) {
                    continue;
                }
                Path copy = destination.resolve(relative.toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** The bytes of every file under {@code tree}: a package's unzipped size. */
    public static long bytes(Path tree) throws IOException {
        try (Stream<Path> files = Files.walk(tree)) {
            long total = 0;
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                total += Files.size(file);
            }
            return total;
        }
    }

    /** Deletes {@code tree} and everything under it. */
    public static void delete(Path tree) throws IOException {
        try (Stream<Path> files = Files.walk(tree)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    static List<Path> jars(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map ? (Map<String, Object>) value : Map.of();
    }
}
