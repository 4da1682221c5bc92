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
    /**
     * {@code <day>#<0-15>}: the day the event was created (UTC, {@code yyyy-MM-dd}) and a shard from its id; keys
     * {@link #BY_TIME}, so the events of a day are spread over sixteen partitions.
     */
    public static final String TIME_SHARD = "timeShard";
    /** The shards of a day in {@link #BY_TIME}. */
    public static final int TIME_SHARDS = 16;
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
    /** Every event in creation order, a day in sixteen shards: {@link #TIME_SHARD} / {@link #CREATED_KEY}. */
    public static final String BY_TIME = "byTime";

    /** The {@link #TIME_SHARD} of an event created at {@code createdKey} with id {@code id}. */
    public static String timeShard(String createdKey, String id) {
        return day(createdKey) + "#" + Math.floorMod(id.hashCode(), TIME_SHARDS);
    }

    /** The UTC day ({@code yyyy-MM-dd}) of a {@link #CREATED_KEY}, or of any bound in its form. */
    public static String day(String createdKey) {
        return createdKey.substring(0, 10);
    }

    private EventsTable() {
    }
}
