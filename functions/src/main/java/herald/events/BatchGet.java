package herald.events;

import herald.kernel.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * Items by key with {@code BatchGetItem}, the one way the stores read many items at once: keys in batches of 100
 * (DynamoDB's limit), and what DynamoDB leaves unprocessed (it does under throttling) asked again after a growing,
 * jittered wait, as AWS recommends, rather than at once.
 *
 * <p>Stateless and thread-safe.
 */
public final class BatchGet {

    private static final int BATCH = 100;
    private static final int MAX_ROUNDS = 10;
    private static final Backoff UNPROCESSED = Backoff.of(Duration.ofMillis(20), Duration.ofSeconds(1));

    private BatchGet() {
    }

    /** The items of {@code table} whose key attribute {@code keyName} is one of {@code keys}; absent keys are left out. */
    public static List<Map<String, AttributeValue>> items(DynamoDbClient dynamoDb, String table, String keyName,
            Collection<String> keys, boolean consistentRead) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        List<String> distinct = keys.stream().filter(Objects::nonNull).distinct().toList();
        for (int from = 0; from < distinct.size(); from += BATCH) {
            List<Map<String, AttributeValue>> batch = distinct.subList(from, Math.min(distinct.size(), from + BATCH))
                    .stream().map(k -> Map.of(keyName, AttributeValue.fromS(k))).toList();
            Map<String, KeysAndAttributes> request = Map.of(table,
                    KeysAndAttributes.builder().keys(batch).consistentRead(consistentRead).build());
            for (int round = 0; !request.isEmpty(); round++) {
                if (round > 0 && (round >= MAX_ROUNDS || !UNPROCESSED.pause(round - 1))) {
                    throw new IllegalStateException("DynamoDB left keys of " + table + " unprocessed " + round
                            + " times in a row");
                }
                Map<String, KeysAndAttributes> current = request;
                var response = dynamoDb.batchGetItem(r -> r.requestItems(current));
                items.addAll(response.responses().getOrDefault(table, List.of()));
                request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
            }
        }
        return items;
    }
}
