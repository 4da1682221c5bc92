package herald.events;

import herald.kernel.Names;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Every topic that has ever held an event, so that a pattern such as {@code entity.*} can be turned into the
 * concrete topics to {@code Query} on the {@code byTopic} index. A topic is written before its first event, so
 * the registry never lags behind the events table; each container writes a topic once. All topics share one
 * partition, which is fine because writes are rare (once per topic per container) and reads are one
 * {@code Query} with {@code begins_with} on the literal prefix of the pattern.
 *
 * <p>Thread-safe.
 */
public final class TopicRegistry {

    private static final String SCOPE = "scope";
    private static final String TOPIC = "topic";
    private static final AttributeValue TOPICS_SCOPE = AttributeValue.fromS("topics");

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    public TopicRegistry(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    public void remember(String topic) {
        if (known.contains(topic)) {
            return;
        }
        dynamoDb.putItem(r -> r.tableName(table).item(Map.of(SCOPE, TOPICS_SCOPE, TOPIC, AttributeValue.fromS(topic))));
        known.add(topic);
    }

    /** Every registered topic, in order. */
    public Set<String> all() {
        Set<String> topics = new TreeSet<>();
        dynamoDb.queryPaginator(r -> r.tableName(table)
                        .keyConditionExpression("#scope = :scope")
                        .expressionAttributeNames(Map.of("#scope", SCOPE))
                        .expressionAttributeValues(Map.of(":scope", TOPICS_SCOPE)))
                .items().forEach(item -> topics.add(item.get(TOPIC).s()));
        return topics;
    }

    /** The concrete topics that the patterns name: a pattern without {@code *} names itself, without a read. */
    public Set<String> matching(Collection<String> patterns) {
        Set<String> topics = new TreeSet<>();
        for (String pattern : patterns) {
            int star = pattern.indexOf('*');
            if (star < 0) {
                topics.add(pattern);
                continue;
            }
            String prefix = pattern.substring(0, star);
            java.util.regex.Pattern regex = Names.wildcard(pattern);
            dynamoDb.queryPaginator(r -> r.tableName(table)
                            .keyConditionExpression("#scope = :scope AND begins_with(#topic, :prefix)")
                            .expressionAttributeNames(Map.of("#scope", SCOPE, "#topic", TOPIC))
                            .expressionAttributeValues(Map.of(":scope", TOPICS_SCOPE, ":prefix",
                                    AttributeValue.fromS(prefix))))
                    .items().stream().map(item -> item.get(TOPIC).s())
                    .filter(t -> regex.matcher(t).matches()).forEach(topics::add);
        }
        return topics;
    }
}
