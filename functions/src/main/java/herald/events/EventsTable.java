package herald.events;

/**
 * The events table's schema as template.yaml declares it, in one place: its indexes and the attributes that key
 * them, for every store that reads it (events, query, enroll) and for the stream's readers. {@link EventItems} lays
 * an event out in these attributes.
 */
public final class EventsTable {

    /** Partition key of the table: the event id. */
    public static final String ID = "id";
    /** {@code createdAt#id}: the sort key of every time-ordered index, so ties within a microsecond still sort. */
    public static final String CREATED_KEY = "createdKey";
    public static final String TOPIC = "topic";
    public static final String PROJECT = "project";
    public static final String DEPENDS_ON = "dependsOn";
    /** Set to the topic on jobs that are not done yet, and absent otherwise: keys the sparse {@link #BY_OPEN_JOB}. */
    public static final String OPEN_JOB = "openJob";
    /** TTL attribute (epoch seconds); reads filter on it too, since TTL deletes only eventually. */
    public static final String EXPIRES_AT = "expiresAt";

    /** Events of one topic in creation order: {@link #TOPIC} / {@link #CREATED_KEY}. */
    public static final String BY_TOPIC = "byTopic";
    /** Events of one project in creation order: {@link #PROJECT} / {@link #CREATED_KEY} (sparse). */
    public static final String BY_PROJECT = "byProject";
    /** Events that depend on one event: {@link #DEPENDS_ON} / {@link #TOPIC} (sparse). */
    public static final String BY_DEPENDS_ON = "byDependsOn";
    /** Open jobs of one target topic: {@link #OPEN_JOB} / {@link #CREATED_KEY} (sparse). */
    public static final String BY_OPEN_JOB = "byOpenJob";

    private EventsTable() {
    }
}
