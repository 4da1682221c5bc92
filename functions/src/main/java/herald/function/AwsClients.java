package herald.function;

import herald.kernel.Environment;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * Builds the AWS clients a function uses from its {@link Environment} (the composition root asks once per container): region and
 * credentials from the standard Lambda variables, and the endpoint from the SDK's standard
 * {@code AWS_ENDPOINT_URL_<SERVICE>} variable when one is set (the local runtime sets it; AWS does not).
 */
final class AwsClients {

    private AwsClients() {
    }

    /** A DynamoDB client; the composition root builds one per container and shares it. */
    public static DynamoDbClient dynamoDb(Environment environment) {
        DynamoDbClientBuilder builder = configured(DynamoDbClient.builder(), environment, Duration.ofSeconds(10));
        environment.optional("AWS_ENDPOINT_URL_DYNAMODB").map(URI::create).ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /** The S3 client scripts are read with; path-style when an endpoint is set (the local S3 server needs it). */
    public static software.amazon.awssdk.services.s3.S3Client s3(Environment environment) {
        var builder = configured(software.amazon.awssdk.services.s3.S3Client.builder(), environment,
                Duration.ofSeconds(5));
        environment.optional("AWS_ENDPOINT_URL_S3").map(URI::create).ifPresent(endpoint -> builder
                .endpointOverride(endpoint).forcePathStyle(true));
        return builder.build();
    }

    /** The Lambda client webhook deliveries are handed to WebhookFunction with (asynchronous invocations). */
    public static software.amazon.awssdk.services.lambda.LambdaClient lambda(Environment environment) {
        var builder = configured(software.amazon.awssdk.services.lambda.LambdaClient.builder(), environment,
                Duration.ofSeconds(5));
        environment.optional("AWS_ENDPOINT_URL_LAMBDA").map(URI::create).ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /**
     * The API Gateway Management API client that posts to WebSocket connections: its endpoint is the SDK's standard
     * {@code AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI} when set (locally), else {@code WEBSOCKET_ENDPOINT}, which
     * template.yaml builds from the API's id and stage.
     */
    public static software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient connections(
            Environment environment) {
        String endpoint = environment.optional("AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI")
                .orElseGet(() -> environment.required("WEBSOCKET_ENDPOINT"));
        return configured(software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient.builder(),
                environment, Duration.ofSeconds(5)).endpointOverride(URI.create(endpoint)).build();
    }

    /**
     * A client builder with what every client of a function has: the URL-connection HTTP client (2 s to connect,
     * {@code socketTimeout} to read), the region and the credentials.
     */
    private static <B extends AwsClientBuilder<B, ?> & SdkSyncClientBuilder<B, ?>> B configured(B builder,
            Environment environment, Duration socketTimeout) {
        return builder.httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(socketTimeout)
                        .build())
                .region(region(environment))
                .credentialsProvider(credentials(environment));
    }

    static Region region(Environment environment) {
        return Region.of(environment.optional("AWS_REGION").orElse("us-east-1"));
    }

    /**
     * In Lambda, the SDK's default chain, which reads the credentials Lambda gives the process when they are first
     * needed and renews them (after a SnapStart restore they are new ones; nothing is read before the snapshot).
     * Credentials that only the function's environment map holds, not the process (the local runtime runs every
     * function in one JVM), are used as given.
     */
    static AwsCredentialsProvider credentials(Environment environment) {
        String accessKey = environment.optional("AWS_ACCESS_KEY_ID").orElse(null);
        String secretKey = environment.optional("AWS_SECRET_ACCESS_KEY").orElse(null);
        if (accessKey == null || secretKey == null || accessKey.equals(System.getenv("AWS_ACCESS_KEY_ID"))) {
            return DefaultCredentialsProvider.builder().build();
        }
        AwsCredentials credentials = environment.optional("AWS_SESSION_TOKEN")
                .<AwsCredentials>map(token -> AwsSessionCredentials.create(accessKey, secretKey, token))
                .orElseGet(() -> AwsBasicCredentials.create(accessKey, secretKey));
        return StaticCredentialsProvider.create(credentials);
    }
}
