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
    private static final AttributeValue DAYS_SCOPE = AttributeValue.fromS("days");
    private static final Map<String, AttributeValue> SINCE_KEY = Map.of(SCOPE, AttributeValue.fromS("meta"), TOPIC,
            AttributeValue.fromS("timeIndexSince"));

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private final Set<String> knownDays = ConcurrentHashMap.newKeySet();
    /** Where the time index begins, once known: it is written once and never changes. */
    private volatile String since;

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

    /**
     * Remembers the day of an event about to be written, before it is written (once per day per container), so that
     * a listing over the {@code byTime} index knows which days hold events; the first event any container writes so
     * also records where that index begins ({@link #timeIndexSince}).
     */
    public void rememberDay(String createdKey) {
        if (since == null && timeIndexSince().isEmpty()) {
            try {
                dynamoDb.putItem(r -> r.tableName(table).item(Map.of(SCOPE, SINCE_KEY.get(SCOPE), TOPIC,
                                SINCE_KEY.get(TOPIC), "since", AttributeValue.fromS(createdKey)))
                        .conditionExpression("attribute_not_exists(#t)").expressionAttributeNames(Map.of("#t", TOPIC)));
            } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException e) {
                // another container wrote it first
            }
            timeIndexSince();
        }
        String day = EventsTable.day(createdKey);
        if (!knownDays.contains(day)) {
            dynamoDb.putItem(r -> r.tableName(table).item(Map.of(SCOPE, DAYS_SCOPE, TOPIC, AttributeValue.fromS(day))));
            knownDays.add(day);
        }
    }

    /**
     * The {@code createdKey} from which every event is in the {@code byTime} index (events created before it were
     * written before the index existed, and are read through their topics), or empty before the first event. Read
     * once per container, once it exists.
     */
    public java.util.Optional<String> timeIndexSince() {
        if (since == null) {
            Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(table).key(SINCE_KEY)
                    .consistentRead(true)).item();
            since = item == null || !item.containsKey("since") ? null : item.get("since").s();
        }
        return java.util.Optional.ofNullable(since);
    }

    /** The days that hold events, from {@code fromDay} to {@code toDay} (both inclusive), in order. */
    public java.util.List<String> days(String fromDay, String toDay, boolean newestFirst) {
        java.util.List<String> days = new java.util.ArrayList<>();
        dynamoDb.queryPaginator(r -> r.tableName(table)
                        .keyConditionExpression("#scope = :scope AND #day BETWEEN :from AND :to")
                        .expressionAttributeNames(Map.of("#scope", SCOPE, "#day", TOPIC))
                        .expressionAttributeValues(Map.of(":scope", DAYS_SCOPE, ":from", AttributeValue.fromS(fromDay),
                                ":to", AttributeValue.fromS(toDay)))
                        .scanIndexForward(!newestFirst))
                .items().forEach(item -> days.add(item.get(TOPIC).s()));
        return days;
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
