package herald.events;

import herald.kernel.Timestamps;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The projects Herald knows, one item each in the projects table (scope {@code "projects"}, sort key {@code name}),
 * so that listing them is one Query and never a Scan. A project is remembered before the first event stored in it
 * (as {@link TopicRegistry} remembers topics) and when a key is limited to it; an admin may declare, change and
 * forget one. Remembering never overwrites what an admin set. Each container remembers a project at most once every
 * {@link #REMEMBERED_FOR}, so a project an admin forgot comes back within that time if events are still stored in it.
 *
 * <p>Thread-safe.
 */
public final class ProjectRegistry {

    /** How long a container trusts that a project it remembered is still in the registry. */
    static final Duration REMEMBERED_FOR = Duration.ofMinutes(1);

    private static final String SCOPE = "scope";
    private static final String NAME = "name";
    private static final AttributeValue PROJECTS = AttributeValue.fromS("projects");

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final String eventsTable;
    private final Clock clock;
    private final Map<String, Instant> remembered = new ConcurrentHashMap<>();

    /** {@code eventsTable} may be null for a function that never asks whether a project holds events. */
    public ProjectRegistry(DynamoDbClient dynamoDb, String table, String eventsTable, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.eventsTable = eventsTable;
        this.clock = clock;
    }

    /** Makes sure the registry knows {@code project} (null: none), keeping whatever it holds of it. */
    public void remember(String project) {
        if (project == null) {
            return;
        }
        Instant now = clock.instant();
        Instant at = remembered.get(project);
        if (at != null && at.plus(REMEMBERED_FOR).isAfter(now)) {
            return;
        }
        AttributeValue time = AttributeValue.fromS(Timestamps.format(Timestamps.truncate(now)));
        dynamoDb.updateItem(r -> r.tableName(table).key(key(project))
                .updateExpression("SET createdAt = if_not_exists(createdAt, :now), "
                        + "updatedAt = if_not_exists(updatedAt, :now)")
                .expressionAttributeValues(Map.of(":now", time)));
        remembered.put(project, now);
    }

    public Optional<Project> find(String name) {
        var item = dynamoDb.getItem(r -> r.tableName(table).key(key(name)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    /** Every project, by name: one paginated Query. */
    public List<Project> all() {
        List<Project> projects = new ArrayList<>();
        dynamoDb.queryPaginator(r -> r.tableName(table)
                        .keyConditionExpression("#scope = :scope")
                        .expressionAttributeNames(Map.of("#scope", SCOPE))
                        .expressionAttributeValues(Map.of(":scope", PROJECTS)))
                .items().forEach(item -> projects.add(fromItem(item)));
        return projects;
    }

    /** Stores a new project; false (and nothing written) when the registry already knows one of that name. */
    public boolean declare(Project project) {
        try {
            dynamoDb.putItem(r -> r.tableName(table).item(toItem(project))
                    .conditionExpression("attribute_not_exists(#name)")
                    .expressionAttributeNames(Map.of("#name", NAME)));
            return true;
        } catch (ConditionalCheckFailedException exists) {
            return false;
        }
    }

    /** Replaces a project the registry knows; false (and nothing written) when it was forgotten meanwhile. */
    public boolean save(Project project) {
        try {
            dynamoDb.putItem(r -> r.tableName(table).item(toItem(project))
                    .conditionExpression("attribute_exists(#name)")
                    .expressionAttributeNames(Map.of("#name", NAME)));
            return true;
        } catch (ConditionalCheckFailedException forgotten) {
            return false;
        }
    }

    public void forget(String name) {
        dynamoDb.deleteItem(r -> r.tableName(table).key(key(name)));
        remembered.remove(name);
    }

    /** Whether any live event is stored in the project: one Query of the events table's {@code byProject} index. */
    public boolean holdsEvents(String project) {
        if (eventsTable == null) {
            throw new IllegalStateException("This registry was built without the events table");
        }
        String now = Long.toString(clock.instant().getEpochSecond());
        return dynamoDb.queryPaginator(r -> r.tableName(eventsTable).indexName(EventsTable.BY_PROJECT)
                        .keyConditionExpression("#project = :project")
                        .filterExpression("attribute_not_exists(#expiresAt) OR #expiresAt > :now")
                        .expressionAttributeNames(Map.of("#project", EventsTable.PROJECT,
                                "#expiresAt", EventsTable.EXPIRES_AT))
                        .expressionAttributeValues(Map.of(":project", AttributeValue.fromS(project),
                                ":now", AttributeValue.fromN(now)))
                        .projectionExpression("#project")
                        .limit(100))
                .items().iterator().hasNext();
    }

    private static Map<String, AttributeValue> key(String name) {
        return Map.of(SCOPE, PROJECTS, NAME, AttributeValue.fromS(name));
    }

    private static Map<String, AttributeValue> toItem(Project project) {
        Map<String, AttributeValue> item = new HashMap<>(key(project.name()));
        item.put("code", AttributeValue.fromS(project.code()));
        if (project.label() != null) {
            item.put("label", AttributeValue.fromS(project.label()));
        }
        if (project.color() != null) {
            item.put("color", AttributeValue.fromS(project.color()));
        }
        item.put("active", AttributeValue.fromBool(project.active()));
        item.put("library", AttributeValue.fromBool(project.library()));
        item.put("createdAt", AttributeValue.fromS(Timestamps.format(project.createdAt())));
        item.put("updatedAt", AttributeValue.fromS(Timestamps.format(project.updatedAt())));
        return item;
    }

    private static Project fromItem(Map<String, AttributeValue> item) {
        String name = item.get(NAME).s();
        return new Project(name,
                item.containsKey("code") ? item.get("code").s() : name,
                item.containsKey("label") ? item.get("label").s() : null,
                item.containsKey("color") ? item.get("color").s() : null,
                !item.containsKey("active") || item.get("active").bool(),
                item.containsKey("library") && item.get("library").bool(),
                Timestamps.parse(item.get("createdAt").s()),
                Timestamps.parse(item.get("updatedAt").s()));
    }
}
