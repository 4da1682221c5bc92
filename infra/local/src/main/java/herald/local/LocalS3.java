package herald.local;

import java.net.URI;
import java.util.List;
import java.util.Properties;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3-compatible server (s3proxy, in-memory) in this JVM, with the template's buckets created. It speaks the S3
 * REST API with SigV4, path-style, so functions reach it with their ordinary S3 client and only the endpoint
 * changed.
 */
public final class LocalS3 implements AutoCloseable {

    private final S3Proxy proxy;
    private final URI endpoint;

    private LocalS3(S3Proxy proxy, URI endpoint) {
        this.proxy = proxy;
        this.endpoint = endpoint;
    }

    public static LocalS3 start(List<SamTemplate.BucketSpec> buckets) {
        int port = LocalDynamoDb.freePort();
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        try {
            S3Proxy proxy = S3Proxy.builder()
                    .blobStore(BlobStores.create("transient", new Properties()))
                    .endpoint(endpoint)
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, LocalDynamoDb.ACCESS_KEY, LocalDynamoDb.SECRET_KEY)
                    .build();
            proxy.start();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!"STARTED".equals(proxy.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("s3proxy did not start within 30 s");
                }
                Thread.sleep(5);
            }
            LocalS3 s3 = new LocalS3(proxy, endpoint);
            try (S3Client client = s3.client()) {
                for (SamTemplate.BucketSpec bucket : buckets) {
                    client.createBucket(r -> r.bucket(bucket.name()));
                }
            }
            return s3;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("The S3 server did not start", e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    public S3Client client() {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .region(Region.of(Intrinsics.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(LocalDynamoDb.ACCESS_KEY, LocalDynamoDb.SECRET_KEY)))
                .httpClient(ApacheHttpClient.builder().build())
                .build();
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("The S3 server did not stop cleanly", e);
        }
    }
}
