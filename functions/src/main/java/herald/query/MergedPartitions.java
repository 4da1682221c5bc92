package herald.query;

import herald.events.Event;
import herald.events.EventItems;
import herald.events.EventsTable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Events of several index partitions (the topics of a pattern, the projects of a query) in one creation order:
 * a k-way merge over lazily paged {@code Query}s, each within the same {@code createdKey} bounds. A partition is
 * read a small page at a time, and only when the merge reaches it, so a page of N events from k partitions reads
 * about N plus k small pages, not N from each. The first page of every partition is fetched in parallel, so k
 * partitions cost about one round trip to start, not k.
 *
 * <p>Not thread-safe: one merge per query. The prefetch threads each touch one partition, and hand it back
 * through a {@link Future}, which orders their writes before the merge reads them.
 */
final class MergedPartitions {

    private final class Partition {
        final String value;
        final Deque<Event> buffer = new ArrayDeque<>();
        Map<String, AttributeValue> next;
        boolean exhausted;

        Partition(String value) {
            this.value = value;
        }

        Event peek() {
            if (buffer.isEmpty() && !exhausted) {
                fetch();
            }
            return buffer.peekFirst();
        }

        private void fetch() {
            Map<String, String> names = new HashMap<>(Map.of("#p", keyAttribute, "#c", EventsTable.CREATED_KEY));
            Map<String, AttributeValue> values = new HashMap<>(Map.of(":p", AttributeValue.fromS(value)));
            String condition = "#p = :p";
            if (lower != null && upper != null) {
                condition += " AND #c BETWEEN :lo AND :hi";
                values.put(":lo", AttributeValue.fromS(lower));
                values.put(":hi", AttributeValue.fromS(upper));
            } else if (lower != null) {
                condition += " AND #c >= :lo";
                values.put(":lo", AttributeValue.fromS(lower));
            } else if (upper != null) {
                condition += " AND #c <= :hi";
                values.put(":hi", AttributeValue.fromS(upper));
            } else {
                names.remove("#c");
            }
            QueryRequest.Builder query = QueryRequest.builder().tableName(table).indexName(index)
                    .keyConditionExpression(condition)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .scanIndexForward(!backwards)
                    .limit(pageSize);
            if (next != null) {
                query.exclusiveStartKey(next);
            }
            // One page only when the merge asks for it, not the SDK's paginator: a paginator's iterator would fetch
            // the next page as soon as this one is drawn from, and the merge reads on only for the partitions it needs.
            var response = dynamoDb.query(query.build());
            itemsRead.addAndGet(response.scannedCount());
            response.items().forEach(item -> buffer.addLast(EventItems.fromItem(item)));
            next = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
            exhausted = next == null;
        }
    }

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final String index;
    private final String keyAttribute;
    private final String lower;
    private final String upper;
    private final boolean backwards;
    private final int pageSize;
    private final List<Partition> partitions = new ArrayList<>();
    private final AtomicLong itemsRead;
    private boolean started;

    /** Shared by every merge of the container; daemon threads, so they never keep a JVM alive. */
    private static final ExecutorService PREFETCH = Executors.newFixedThreadPool(8, runnable -> {
        Thread thread = new Thread(runnable, "herald-query-prefetch");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * Merges the partitions {@code values} of {@code index} (partition key {@code keyAttribute}), between the
     * inclusive bounds {@code lower} and {@code upper} (null: open), newest first when {@code backwards}, in pages
     * sized for {@code wanted} events in all and at most {@code maxPage}.
     */
    MergedPartitions(QueryStore.Tables tables, String index, String keyAttribute, List<String> values, String lower,
            String upper, boolean backwards, int wanted, int maxPage, AtomicLong itemsRead) {
        this.dynamoDb = tables.dynamoDb();
        this.table = tables.eventsTable();
        this.index = index;
        this.keyAttribute = keyAttribute;
        this.lower = lower;
        this.upper = upper;
        this.backwards = backwards;
        // Enough to fill the page from one partition when it holds everything, small when spread over many.
        // Never more than maxPage, for a reader that starts on the first events while the rest is read.
        int share = Math.max(10, Math.min(wanted + 1, 2 * (wanted + 1) / Math.max(1, values.size()) + 5));
        this.pageSize = Math.min(maxPage, share);
        this.itemsRead = itemsRead;
        values.forEach(v -> partitions.add(new Partition(v)));
    }

    private void prefetch() {
        if (partitions.size() < 2) {
            return;
        }
        List<Future<?>> fetches = new ArrayList<>();
        for (Partition partition : partitions) {
            fetches.add(PREFETCH.submit(partition::peek));
        }
        for (Future<?> fetch : fetches) {
            try {
                fetch.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while reading index partitions", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException) {
                    throw (RuntimeException) e.getCause();
                }
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    /** The next event in the merge order, or null when every partition is read. */
    Event next() {
        if (!started) {
            started = true;
            prefetch();
        }
        Partition best = null;
        Event bestEvent = null;
        for (Partition partition : partitions) {
            Event head = partition.peek();
            if (head == null) {
                continue;
            }
            int order = bestEvent == null ? -1 : EventItems.createdKey(head).compareTo(EventItems.createdKey(bestEvent));
            if (bestEvent == null || (backwards ? order > 0 : order < 0)) {
                best = partition;
                bestEvent = head;
            }
        }
        if (best == null) {
            return null;
        }
        best.buffer.pollFirst();
        return bestEvent;
    }
}
