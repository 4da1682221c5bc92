package herald.scripting;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Fetches a script's source from where its record says it lives: inline content, a key in a configured S3 bucket,
 * or a file in GitHub. The S3 storage services come from {@code SCRIPT_STORAGE_SERVICES}
 * ({@code name=bucket,...}); GitHub from {@code GITHUB_API_URL} and {@code GITHUB_TOKEN}.
 *
 * <p>Thread-safe.
 */
public final class ScriptSources {

    static final long MAX_BYTES = 1024 * 1024;

    private final Map<String, String> buckets;
    private final S3Client s3;
    private final GitHubContents gitHub;

    public ScriptSources(Map<String, String> buckets, S3Client s3, GitHubContents gitHub) {
        this.buckets = Map.copyOf(buckets);
        this.s3 = s3;
        this.gitHub = gitHub;
    }


    public static Map<String, String> parseServices(String setting) {
        Map<String, String> services = new LinkedHashMap<>();
        for (String entry : setting.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int equals = entry.indexOf('=');
            if (equals <= 0 || equals == entry.length() - 1) {
                throw new IllegalStateException("SCRIPT_STORAGE_SERVICES entries are name=bucket, not '" + entry + "'");
            }
            services.put(entry.substring(0, equals).trim(), entry.substring(equals + 1).trim());
        }
        return services;
    }

    public Set<String> storageServices() {
        return buckets.keySet();
    }

    public GitHubContents gitHub() {
        return gitHub;
    }

    /** The script's current source. */
    public String load(ScriptRecord record) {
        switch (record.source()) {
            case GITHUB:
                return gitHub.read(record.scmRepository(), record.scmReference(), record.storagePath());
            case STORAGE:
                return readS3(record);
            default:
                return record.content();
        }
    }

    private String readS3(ScriptRecord record) {
        String bucket = buckets.get(record.storageService());
        if (bucket == null) {
            throw new ScriptLoadException("Storage service '" + record.storageService() + "' is not configured", false);
        }
        try {
            var object = s3.getObjectAsBytes(b -> b.bucket(bucket).key(StoragePaths.require(record.storagePath())));
            if (object.asByteArrayUnsafe().length > MAX_BYTES) {
                throw new ScriptLoadException(record.location() + " is larger than 1 MB; scripts must be smaller", false);
            }
            return new String(object.asByteArrayUnsafe(), StandardCharsets.UTF_8);
        } catch (NoSuchKeyException e) {
            throw new ScriptLoadException("There is no file at " + record.location(), true);
        } catch (SdkException e) {
            // the SDK's message carries request ids and service internals: the log has it, the caller gets the gist
            LoggerFactory.getLogger(ScriptSources.class).warn("Reading {} from S3 failed", record.location(), e);
            String status = e instanceof AwsServiceException service ? " (S3 answered " + service.statusCode() + ")" : "";
            throw new ScriptLoadException("S3 could not be read for " + record.location() + status, false);
        }
    }
}
