package herald.testing;

import herald.local.LocalHerald;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests the one local runtime of this test JVM: started from the project's template.yaml on first use
 * (DynamoDB Local, tables, HTTP API on a free port) and stopped when the whole run ends, not per class.
 * Test classes ask for a {@link LocalHerald} or a {@link HeraldClient} parameter.
 */
public final class LocalHeraldExtension implements ParameterResolver {

    /** The admin key of the test runtime. */
    public static final String API_KEY = "test-admin-key-0123456789abcdef-0123456789";

    /** The GitHub webhook secret of the test runtime (GitHub's own test vector's secret). */
    public static final String WEBHOOK_SECRET = "It's a Secret to Everybody";

    private static final class Running implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        final LocalHerald herald;
        final FakeGitHub gitHub;
        final AdjustableClock gatewayClock;

        Running(LocalHerald herald, FakeGitHub gitHub, AdjustableClock gatewayClock) {
            this.herald = herald;
            this.gitHub = gitHub;
            this.gatewayClock = gatewayClock;
        }

        @Override
        public void close() {
            herald.close();
            gitHub.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == LocalHerald.class || type == HeraldClient.class || type == FakeGitHub.class
                || type == AdjustableClock.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (parameter.getParameter().getType() == FakeGitHub.class) {
            return running(context).gitHub;
        }
        if (parameter.getParameter().getType() == AdjustableClock.class) {
            return running(context).gatewayClock;
        }
        LocalHerald herald = herald(context);
        return parameter.getParameter().getType() == LocalHerald.class ? herald : new HeraldClient(herald.baseUrl(), API_KEY);
    }

    static LocalHerald herald(ExtensionContext context) {
        return running(context).herald;
    }

    private static Running running(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Running.class, key -> start(), Running.class);
    }

    private static Running start() {
        FakeGitHub gitHub = null;
        AdjustableClock gatewayClock = new AdjustableClock();
        try {
            gitHub = new FakeGitHub();
            return new Running(LocalHerald.start(template(), "127.0.0.1", 0, 0, Map.of(
                    "AdminApiKey", API_KEY,
                    "GitHubApiUrl", gitHub.url().toString(),
                    "GitHubToken", FakeGitHub.TOKEN,
                    "GitHubWebhookSecret", WEBHOOK_SECRET,
                    "ScriptTimeoutMs", "1500",
                    // webhooks go to listeners on 127.0.0.1, and retries are due at once (tests run the schedule)
                    "AllowPrivateWebhookUrls", "true",
                    "WebhookRetryBaseSeconds", "0",
                    // a resume's bound, reached with a few dozen events
                    "ResumeMaxEvents", "40"), gatewayClock), gitHub, gatewayClock);
        } catch (Exception e) {
            if (gitHub != null) {
                gitHub.close();
            }
            throw new IllegalStateException("The local runtime did not start", e);
        }
    }

    /** The project's template.yaml: from the build's system property, else found above the working directory. */
    public static Path template() {
        String configured = System.getProperty("herald.template");
        if (configured != null && Files.isRegularFile(Path.of(configured))) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("template.yaml"))) {
                return dir.resolve("template.yaml");
            }
        }
        throw new IllegalStateException("template.yaml not found above " + Path.of("").toAbsolutePath());
    }
}
