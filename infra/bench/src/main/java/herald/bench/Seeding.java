package herald.bench;

import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** Writing benchmark data directly, and the arithmetic every benchmark reports with. */
final class Seeding {

    private Seeding() {
    }

    /**
     * A DynamoDB client built as the functions build theirs (the URL-connection HTTP client, the endpoint and
     * credentials their environment names), so that a baseline's reads and writes cost what a function's do, and a
     * ratio measures Herald's work rather than a difference of HTTP clients.
     */
    static DynamoDbClient functionLikeClient(Map<String, String> environment) {
        return DynamoDbClient.builder()
                .endpointOverride(java.net.URI.create(environment.get("AWS_ENDPOINT_URL_DYNAMODB")))
                .region(software.amazon.awssdk.regions.Region.of(environment.get("AWS_REGION")))
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                                environment.get("AWS_ACCESS_KEY_ID"), environment.get("AWS_SECRET_ACCESS_KEY"))))
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .build();
    }

    /** Writes items to one table in batches of 25, resending what DynamoDB leaves unprocessed. */
    static void batchWrite(DynamoDbClient dynamoDb, String table, List<WriteRequest> writes) {
        for (int from = 0; from < writes.size(); from += 25) {
            Map<String, List<WriteRequest>> pending = Map.of(table, writes.subList(from, Math.min(writes.size(), from + 25)));
            while (!pending.isEmpty()) {
                Map<String, List<WriteRequest>> current = pending;
                var response = dynamoDb.batchWriteItem(r -> r.requestItems(current));
                pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
            }
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = new java.util.ArrayList<>(values);
        java.util.Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    /** The value below which {@code percentile} percent of the values lie (nearest rank). */
    static double percentile(List<Double> values, int percentile) {
        List<Double> sorted = new java.util.ArrayList<>(values);
        java.util.Collections.sort(sorted);
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
