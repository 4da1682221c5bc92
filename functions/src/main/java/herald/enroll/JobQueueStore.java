package herald.enroll;

import herald.events.BatchGet;
import herald.events.DynamoDbEventStore;
import herald.events.Event;
import herald.events.EventItems;
import herald.events.EventsTable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * What enroll reads and writes besides events themselves, all by key or {@code Query}: queue state items
 * (table {@code EnrollQueuesTable}), open jobs of a target topic (index {@code byOpenJob}), source events after a
 * cursor (index {@code byTopic}), hash claims and events in batches.
 *
 * <p>Thread-safe.
 */
public final class JobQueueStore {

    static final String OPEN_JOB_INDEX = EventsTable.BY_OPEN_JOB;
    static final String TOPIC_INDEX = EventsTable.BY_TOPIC;

    /** A page of the merged source stream: sources in creation order, and how far the merge is complete. */
    public record SourcePage(List<Event> sources, String horizon, boolean exhausted) {
    }

    private final DynamoDbClient dynamoDb;
    private final DynamoDbEventStore events;
    private final String eventsTable;
    private final String hashesTable;
    private final String queuesTable;

    public JobQueueStore(DynamoDbClient dynamoDb, DynamoDbEventStore events, String eventsTable, String hashesTable,
            String queuesTable) {
        this.dynamoDb = Objects.requireNonNull(dynamoDb);
        this.events = Objects.requireNonNull(events);
        this.eventsTable = Objects.requireNonNull(eventsTable);
        this.hashesTable = Objects.requireNonNull(hashesTable);
        this.queuesTable = Objects.requireNonNull(queuesTable);
    }

    public QueueState load(String queueId) {
        var item = dynamoDb.getItem(r -> r.tableName(queuesTable).key(key(queueId)).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return QueueState.fresh(queueId);
        }
        Map<String, String> waiting = new LinkedHashMap<>();
        if (item.containsKey("waiting")) {
            item.get("waiting").m().forEach((id, createdKey) -> waiting.put(id, createdKey.s()));
        }
        return new QueueState(queueId, item.get("cursor").s(), Map.copyOf(waiting),
                item.containsKey("activeJob") ? item.get("activeJob").s() : null, Long.parseLong(item.get("version").n()));
    }

    /** The conditional write that moves a queue from {@code read} to {@code next}; it fails if another moved it. */
    TransactWriteItem advance(QueueState read, QueueState next, String definition) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":cursor", AttributeValue.fromS(next.cursor()));
        values.put(":version", AttributeValue.fromN(Long.toString(read.version() + 1)));
        values.put(":definition", AttributeValue.fromS(definition));
        Map<String, AttributeValue> waiting = new HashMap<>();
        next.waiting().forEach((id, createdKey) -> waiting.put(id, AttributeValue.fromS(createdKey)));
        values.put(":waiting", AttributeValue.fromM(waiting));
        String set = "SET #cursor = :cursor, #waiting = :waiting, #version = :version, #definition = :definition";
        if (next.activeJob() != null) {
            set += ", #activeJob = :activeJob";
            values.put(":activeJob", AttributeValue.fromS(next.activeJob()));
        } else {
            set += " REMOVE #activeJob";
        }
        Map<String, String> names = new HashMap<>(Map.of("#cursor", "cursor", "#waiting", "waiting",
                "#version", "version", "#activeJob", "activeJob", "#definition", "definition"));
        String condition;
        if (read.version() == 0) {
            condition = "attribute_not_exists(#queue)";
            names.put("#queue", "queue");
        } else {
            condition = "#version = :read";
            values.put(":read", AttributeValue.fromN(Long.toString(read.version())));
        }
        return TransactWriteItem.builder().update(Update.builder()
                .tableName(queuesTable)
                .key(key(read.queueId()))
                .updateExpression(set)
                .conditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build()).build();
    }

    /**
     * Stores a sequential queue's new head job and moves the queue to it, in one transaction: the job (with its hash
     * claim) is created only if the queue is still as it was read.
     *
     * @throws herald.events.DuplicateHashException when the job exists already (another worker won)
     * @throws herald.events.LostRaceException when the queue moved first
     */
    public void insertHead(Event job, QueueState read, QueueState next, String definition) {
        events.insert(job, List.of(advance(read, next, definition)));
    }

    /** Applies {@link #advance} on its own; returns false when another call moved the queue first. */
    public boolean save(QueueState read, QueueState next, String definition) {
        Update update = advance(read, next, definition).update();
        try {
            dynamoDb.updateItem(r -> r.tableName(update.tableName()).key(update.key())
                    .updateExpression(update.updateExpression()).conditionExpression(update.conditionExpression())
                    .expressionAttributeNames(update.expressionAttributeNames())
                    .expressionAttributeValues(update.expressionAttributeValues()));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** The oldest jobs of a target topic that are not done: bounded by work in flight, not by history. */
    public List<Event> openJobs(String targetTopic, int limit) {
        var response = dynamoDb.query(r -> r.tableName(eventsTable).indexName(OPEN_JOB_INDEX)
                .keyConditionExpression("#openJob = :topic")
                .expressionAttributeNames(Map.of("#openJob", EventsTable.OPEN_JOB))
                .expressionAttributeValues(Map.of(":topic", AttributeValue.fromS(targetTopic)))
                .limit(limit));
        return response.items().stream().map(EventItems::fromItem).toList();
    }

    /**
     * Up to {@code limit} sources of each topic created after {@code after}, merged in creation order and cut at
     * the horizon: the first key beyond which some topic may hold sources this page did not read.
     */
    public SourcePage sourcesAfter(Set<String> topics, String after, int limit) {
        List<Event> merged = new ArrayList<>();
        String horizon = null;
        for (String topic : topics) {
            var response = dynamoDb.query(r -> r.tableName(eventsTable).indexName(TOPIC_INDEX)
                    .keyConditionExpression("#topic = :topic AND #createdKey > :after")
                    .expressionAttributeNames(Map.of("#topic", EventsTable.TOPIC, "#createdKey", EventsTable.CREATED_KEY))
                    .expressionAttributeValues(Map.of(":topic", AttributeValue.fromS(topic),
                            ":after", AttributeValue.fromS(after)))
                    .limit(limit));
            response.items().forEach(item -> merged.add(EventItems.fromItem(item)));
            if (response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()) {
                String last = response.lastEvaluatedKey().get(EventsTable.CREATED_KEY).s();
                horizon = horizon == null || last.compareTo(horizon) < 0 ? last : horizon;
            }
        }
        merged.sort(Comparator.comparing(EventItems::createdKey));
        if (horizon == null) {
            return new SourcePage(List.copyOf(merged), null, true);
        }
        String cut = horizon;
        return new SourcePage(merged.stream().filter(e -> EventItems.createdKey(e).compareTo(cut) <= 0).toList(),
                cut, false);
    }

    /** Events by id, read consistently; absent ids are missing from the map. */
    public Map<String, Event> events(Collection<String> ids) {
        Map<String, Event> found = new HashMap<>();
        BatchGet.items(dynamoDb, eventsTable, EventsTable.ID, ids, true).forEach(item -> found.put(item.get("id").s(), EventItems.fromItem(item)));
        return found;
    }

    /** The event id holding each hash, for the hashes that are claimed. */
    public Map<String, String> claims(Collection<String> hashes) {
        Map<String, String> found = new HashMap<>();
        BatchGet.items(dynamoDb, hashesTable, "hash", hashes, true).forEach(item -> found.put(item.get("hash").s(), item.get("eventId").s()));
        return found;
    }

    private static Map<String, AttributeValue> key(String queueId) {
        return Map.of("queue", AttributeValue.fromS(queueId));
    }
}
