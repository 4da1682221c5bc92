package herald.query;

import herald.auth.Principal;
import herald.events.BatchGet;
import herald.events.Event;
import herald.events.EventIds;
import herald.events.EventItems;
import herald.events.EventsTable;
import herald.events.TopicRegistry;
import herald.kernel.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Runs an {@link EventQuery} on the events table's indexes, never with a {@code Scan}. The index comes from the
 * filters: {@code ids} are read by key; {@code topics} (patterns resolved through the topic registry) use
 * {@code byTopic}; else {@code projects} use {@code byProject}; else every registered topic (without {@code log.*}
 * unless logs are asked for) on {@code byTopic}. Time bounds and cursors narrow the key condition. The other
 * filters (users, statuses, text, hasChildren, and projects when topics chose the index) are applied to what the
 * index returns, which costs reads in proportion to how selective they are; {@link #MAX_ITEMS_READ} bounds a
 * request, and a page cut short by it says so through {@code hasNextPage}/{@code hasPreviousPage} and a cursor.
 * A caller limited to projects sees only events of its projects (and events of no project), whatever it asks.
 *
 * <p>Thread-safe.
 */
public final class QueryStore {

    /** The most items one request may read before it answers with what it has. */
    public static final int MAX_ITEMS_READ = 20_000;
    /**
     * The largest page {@link #between} reads from a partition: its readers go through everything in the range and
     * act on it as they go (a resume posts it), so a page's worth is what they wait for before they start.
     */
    static final int STREAM_PAGE = 250;

    record Tables(DynamoDbClient dynamoDb, String eventsTable) {
    }

    /** A page in creation order, with whether more lies beyond each end, and the items it took to read. */
    public record Page(List<Event> events, boolean hasNext, boolean hasPrevious, String resumeAt, long itemsRead) {
    }

    private final Tables tables;
    private final TopicRegistry topics;

    public QueryStore(DynamoDbClient dynamoDb, String eventsTable, TopicRegistry topics) {
        this.tables = new Tables(dynamoDb, eventsTable);
        this.topics = topics;
    }

    public Page find(EventQuery query, Principal caller) {
        if (isEmpty(query.projects()) || isEmpty(query.users()) || isEmpty(query.statuses()) || isEmpty(query.ids())
                || isEmpty(query.topics())) {
            return new Page(List.of(), false, query.after() != null || query.before() != null, null, 0);
        }
        String after = Cursors.decode("after", query.after());
        String before = Cursors.decode("before", query.before());
        String lower = max(after, query.newerThan() == null ? null : Timestamps.format(query.newerThan()) + "$");
        String upper = min(before, query.olderThan() == null ? null : Timestamps.format(query.olderThan()) + "#");
        boolean backwards = query.backwards();
        int wanted = query.pageSize();
        if (lower != null && upper != null && lower.compareTo(upper) > 0) {
            // an empty or inverted range (newerThan at or after olderThan, a cursor past the other bound): no events
            return new Page(List.of(), false, query.after() != null || query.before() != null, null, 0);
        }
        AtomicLong itemsRead = new AtomicLong();
        Predicate<Event> keep = filters(query, after, before, itemsRead).and(e -> caller.mayRead(e.project()));

        List<Event> page = new ArrayList<>();
        boolean more = false;
        String resumeAt = null;
        EventSource source = source(query, lower, upper, backwards, wanted, itemsRead, Integer.MAX_VALUE);
        for (Event event = source.next(); event != null; event = source.next()) {
            if (!keep.test(event)) {
                if (itemsRead.get() >= MAX_ITEMS_READ) {
                    more = true;
                    resumeAt = EventItems.createdKey(event);
                    break;
                }
                continue;
            }
            if (page.size() == wanted) {
                more = true;
                break;
            }
            page.add(event);
            if (itemsRead.get() >= MAX_ITEMS_READ && page.size() < wanted) {
                more = true;
                break;
            }
        }
        if (backwards) {
            Collections.reverse(page);
        }
        boolean fromStart = backwards ? before != null : after != null;
        return backwards ? new Page(page, fromStart, more, resumeAt, itemsRead.get())
                : new Page(page, more, fromStart, resumeAt, itemsRead.get());
    }

    /**
     * The stored events of the topics that {@code topicPatterns} name (null: every topic, logs included) strictly
     * between the positions {@code after} and {@code before} (null: open), oldest first, or newest first when
     * {@code backwards}; read lazily, {@code wanted} at a time from each partition, counting what it reads into
     * {@code itemsRead}. Nothing is filtered by caller: a reader that serves one (a WebSocket resume) filters.
     */
    public java.util.Iterator<Event> between(List<String> topicPatterns, String after, String before, boolean backwards,
            int wanted, AtomicLong itemsRead) {
        EventQuery query = new EventQuery(null, topicPatterns, null, null, null, null, null, null, null, true,
                null, null, null, null);
        EventSource source = source(query, after, before, backwards, wanted, itemsRead, STREAM_PAGE);
        return new java.util.Iterator<>() {
            private Event next = advance();

            private Event advance() {
                for (Event event = source.next(); event != null; event = source.next()) {
                    String position = EventItems.createdKey(event);
                    if (!position.equals(after) && !position.equals(before)) {
                        return event;
                    }
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Event next() {
                if (next == null) {
                    throw new java.util.NoSuchElementException();
                }
                Event event = next;
                next = advance();
                return event;
            }
        };
    }

    /** Where the events come from, in creation order (newest first when backwards). */
    private interface EventSource {
        Event next();
    }

    private EventSource source(EventQuery query, String lower, String upper, boolean backwards, int wanted,
            AtomicLong itemsRead, int maxPage) {
        if (query.ids() != null) {
            List<Event> found = byIds(query.ids(), itemsRead);
            found.removeIf(e -> !within(EventItems.createdKey(e), lower, upper));
            found.sort(Comparator.comparing(EventItems::createdKey));
            if (backwards) {
                Collections.reverse(found);
            }
            var iterator = found.iterator();
            return () -> iterator.hasNext() ? iterator.next() : null;
        }
        String index;
        String key;
        List<String> partitions;
        if (query.topics() != null) {
            index = EventsTable.BY_TOPIC;
            key = EventsTable.TOPIC;
            partitions = new ArrayList<>(topics.matching(query.topics()));
        } else if (query.projects() != null) {
            index = EventsTable.BY_PROJECT;
            key = "project";
            partitions = query.projects();
        } else {
            return everything(query, lower, upper, backwards, wanted, itemsRead, maxPage);
        }
        MergedPartitions merge = new MergedPartitions(tables, index, key, partitions, lower, upper, backwards, wanted,
                maxPage, itemsRead);
        return merge::next;
    }

    /**
     * Every event, in creation order: from the {@code byTime} index, a day at a time (the days that hold events are
     * registered, so empty ones cost nothing), each day a merge of its sixteen shards. What was created before the
     * index began ({@link TopicRegistry#timeIndexSince}) is read as before, through every topic's partition.
     */
    private EventSource everything(EventQuery query, String lower, String upper, boolean backwards, int wanted,
            AtomicLong itemsRead, int maxPage) {
        String since = topics.timeIndexSince().orElse(null);
        // each part is opened only when the listing reaches it: a newest-first page that the index fills never
        // reads the topics at all
        Supplier<EventSource> older = since != null && lower != null && lower.compareTo(since) >= 0 ? null
                : () -> byTopics(query, lower, since == null ? upper : min(upper, since), backwards, wanted, itemsRead,
                        since, maxPage);
        Supplier<EventSource> newer = since == null || upper != null && upper.compareTo(since) < 0 ? null
                : () -> byDays(max(lower, since), upper, backwards, wanted, itemsRead, maxPage);
        List<Supplier<EventSource>> parts = new ArrayList<>();
        for (Supplier<EventSource> part : backwards ? java.util.Arrays.asList(newer, older)
                : java.util.Arrays.asList(older, newer)) {
            if (part != null) {
                parts.add(part);
            }
        }
        var remaining = parts.iterator();
        return new EventSource() {
            private EventSource current;

            @Override
            public Event next() {
                while (true) {
                    Event event = current == null ? null : current.next();
                    if (event != null) {
                        return event;
                    }
                    if (!remaining.hasNext()) {
                        return null;
                    }
                    current = remaining.next().get();
                }
            }
        };
    }

    /** Every topic's partition merged: the events created before {@code since} (null: all of them). */
    private EventSource byTopics(EventQuery query, String lower, String upper, boolean backwards, int wanted,
            AtomicLong itemsRead, String since, int maxPage) {
        List<String> partitions = topics.all().stream().filter(t -> query.includeLogs() || !t.startsWith("log."))
                .toList();
        MergedPartitions merge = new MergedPartitions(tables, EventsTable.BY_TOPIC, EventsTable.TOPIC, partitions,
                lower, upper, backwards, wanted, maxPage, itemsRead);
        return () -> {
            for (Event event = merge.next(); event != null; event = merge.next()) {
                if (since == null || EventItems.createdKey(event).compareTo(since) < 0) {
                    return event;
                }
            }
            return null;
        };
    }

    /** The {@code byTime} index between the bounds, a registered day after another. */
    private EventSource byDays(String lower, String upper, boolean backwards, int wanted, AtomicLong itemsRead,
            int maxPage) {
        List<String> days = topics.days(EventsTable.day(lower), upper == null ? "9999-12-31" : EventsTable.day(upper),
                backwards);
        var remaining = days.iterator();
        return new EventSource() {
            private MergedPartitions day;

            @Override
            public Event next() {
                while (true) {
                    Event event = day == null ? null : day.next();
                    if (event != null) {
                        return event;
                    }
                    if (!remaining.hasNext()) {
                        return null;
                    }
                    String next = remaining.next();
                    List<String> shards = new ArrayList<>();
                    for (int shard = 0; shard < EventsTable.TIME_SHARDS; shard++) {
                        shards.add(next + "#" + shard);
                    }
                    day = new MergedPartitions(tables, EventsTable.BY_TIME, EventsTable.TIME_SHARD, shards, lower,
                            upper, backwards, wanted, maxPage, itemsRead);
                }
            }
        };
    }

    private Predicate<Event> filters(EventQuery query, String after, String before, AtomicLong itemsRead) {
        Predicate<Event> keep = e -> !EventItems.createdKey(e).equals(after) && !EventItems.createdKey(e).equals(before);
        if (query.topics() == null && !query.includeLogs()) {
            keep = keep.and(e -> !e.topic().startsWith("log."));
        }
        if (query.projects() != null) {
            keep = keep.and(e -> query.projects().contains(e.project()));
        }
        if (query.users() != null) {
            keep = keep.and(e -> query.users().contains(e.user()));
        }
        if (query.statuses() != null) {
            keep = keep.and(e -> query.statuses().contains(e.status().wireName()));
        }
        if (query.text() != null && !query.text().isBlank()) {
            List<String> slugs = slugs(query.text());
            keep = keep.and(e -> slugs.stream().allMatch(slug -> contains(e.topic(), slug) || contains(e.project(), slug)
                    || contains(e.user(), slug) || contains(e.description(), slug)));
        }
        if (query.hasChildren() != null) {
            boolean wanted = query.hasChildren();
            keep = keep.and(e -> hasChildren(e.id(), itemsRead) == wanted);
        }
        return keep;
    }

    /** Ayon's text filter: words of three or more characters, each found in the topic, project, user or description. */
    static List<String> slugs(String text) {
        List<String> slugs = new ArrayList<>();
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}_.\\-]+")) {
            if (word.length() >= 3) {
                slugs.add(word);
            }
        }
        return slugs;
    }

    private static boolean contains(String field, String slug) {
        return field != null && field.toLowerCase(Locale.ROOT).contains(slug);
    }

    /**
     * The events that depend on the event {@code id}, those the caller may read, newest first, at most {@code limit}:
     * one Query of the {@code byDependsOn} index (every item of it, since its order is by topic).
     */
    public List<Event> dependants(String id, Principal caller, int limit) {
        if (!EventIds.isValid(id)) {
            return List.of();
        }
        Instant now = Instant.now();
        List<Event> found = new ArrayList<>();
        var pages = tables.dynamoDb().queryPaginator(r -> r.tableName(tables.eventsTable())
                .indexName(EventsTable.BY_DEPENDS_ON).keyConditionExpression("dependsOn = :id")
                .expressionAttributeValues(Map.of(":id", AttributeValue.fromS(id))));
        long read = 0;
        for (var page : pages) {
            for (var item : page.items()) {
                Event event = EventItems.fromItem(item);
                if (!event.isExpired(now) && caller.mayRead(event.project())) {
                    found.add(event);
                }
            }
            read += page.scannedCount();
            if (read >= MAX_ITEMS_READ) {
                break;
            }
        }
        found.sort(Comparator.comparing(EventItems::createdKey).reversed());
        return found.size() > limit ? List.copyOf(found.subList(0, limit)) : found;
    }

    private boolean hasChildren(String id, AtomicLong itemsRead) {
        var response = tables.dynamoDb().query(r -> r.tableName(tables.eventsTable()).indexName(EventsTable.BY_DEPENDS_ON)
                .keyConditionExpression("dependsOn = :id")
                .expressionAttributeValues(Map.of(":id", AttributeValue.fromS(id)))
                .limit(1));
        itemsRead.addAndGet(response.scannedCount());
        return response.count() > 0;
    }

    /** The stored events with these ids (strongly consistent reads, by key), those that exist and have not expired. */
    public List<Event> byIds(List<String> ids) {
        return byIds(ids, new AtomicLong(), true);
    }

    private List<Event> byIds(List<String> ids, AtomicLong itemsRead) {
        return byIds(ids, itemsRead, false);
    }

    private List<Event> byIds(List<String> ids, AtomicLong itemsRead, boolean consistent) {
        // an id not in the id format names no event: it is not asked for
        List<String> wellFormed = ids.stream().filter(EventIds::isValid).toList();
        var items = BatchGet.items(tables.dynamoDb(), tables.eventsTable(), EventsTable.ID, wellFormed, consistent);
        itemsRead.addAndGet(items.size());
        Instant now = Instant.now();
        return items.stream().map(EventItems::fromItem).filter(e -> !e.isExpired(now))
                .collect(Collectors.toCollection(ArrayList::new));
    }

    private static boolean within(String key, String lower, String upper) {
        return (lower == null || key.compareTo(lower) >= 0) && (upper == null || key.compareTo(upper) <= 0);
    }

    private static boolean isEmpty(List<String> list) {
        return list != null && list.isEmpty();
    }

    private static String max(String a, String b) {
        return a == null ? b : b == null ? a : a.compareTo(b) >= 0 ? a : b;
    }

    private static String min(String a, String b) {
        return a == null ? b : b == null ? a : a.compareTo(b) <= 0 ? a : b;
    }
}
