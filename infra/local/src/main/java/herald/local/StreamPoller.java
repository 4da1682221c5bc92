package herald.local;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Lambda's DynamoDB event source mapping, locally: reads a table's stream shard by shard, in order, and invokes the
 * function with {@link DynamodbEvent} batches of at most {@code BatchSize} records. A batch is done when the
 * function returns without reporting failures. When it reports failed records ({@code ReportBatchItemFailures}),
 * the batch is sent again from the first failed record; when it throws, the whole batch is sent again, or split in
 * two with {@code BisectBatchOnFunctionError}; after {@code MaximumRetryAttempts} the records are dropped and logged
 * (where AWS would send them to the on-failure destination). A shard is read only after its parent is finished, so
 * each item's changes arrive in order. The runtime creates its tables empty when it starts, so {@code LATEST} and
 * {@code TRIM_HORIZON} start at the same place here; a shard iterator that DynamoDB Local no longer accepts (trimmed
 * or expired) is replaced by one positioned after the last record delivered.
 *
 * <p>Runs one daemon thread per mapping; {@link #close} stops them and closes the clients it was given.
 */
final class StreamPoller implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamPoller.class);
    private static final long IDLE_MILLIS = 50;

    private final DynamoDbClient dynamoDb;
    private final DynamoDbStreamsClient streams;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    StreamPoller(DynamoDbClient dynamoDb, DynamoDbStreamsClient streams) {
        this.dynamoDb = dynamoDb;
        this.streams = streams;
    }

    /** Starts polling for one mapping. */
    void start(LocalFunction function, SamTemplate.StreamSpec spec) {
        String streamArn = dynamoDb.describeTable(r -> r.tableName(spec.tableName())).table().latestStreamArn();
        if (streamArn == null) {
            throw new IllegalArgumentException(function.name() + " is mapped to the stream of " + spec.tableName()
                    + ", which has no StreamSpecification");
        }
        Map<String, String> iterators = new LinkedHashMap<>();
        for (Shard shard : shards(streamArn)) {
            if (shard.parentShardId() == null) {
                iterators.put(shard.shardId(), iterator(streamArn, shard.shardId(), "TRIM_HORIZON", null));
            }
        }
        StreamFilter filter = StreamFilter.of(function.name(), spec.filterPatterns());
        Thread thread = new Thread(() -> poll(function, spec, filter, streamArn, iterators),
                "stream-" + spec.tableName() + "-" + function.name());
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    private void poll(LocalFunction function, SamTemplate.StreamSpec spec, StreamFilter filter, String streamArn,
            Map<String, String> open) {
        Set<String> finished = new HashSet<>();
        Map<String, String> lastDelivered = new HashMap<>();
        while (running) {
            try {
                boolean busy = false;
                for (var entry : new ArrayList<>(open.entrySet())) {
                    GetRecordsResponse response;
                    try {
                        response = streams.getRecords(r -> r.shardIterator(entry.getValue()).limit(spec.batchSize()));
                    } catch (TrimmedDataAccessException | ExpiredIteratorException stale) {
                        String after = lastDelivered.get(entry.getKey());
                        open.put(entry.getKey(), iterator(streamArn, entry.getKey(),
                                after == null ? "TRIM_HORIZON" : "AFTER_SEQUENCE_NUMBER", after));
                        continue;
                    }
                    if (!response.records().isEmpty()) {
                        busy = true;
                        // Lambda drops the records no filter matches before it batches them for the function
                        List<Record> matching = response.records().stream().filter(filter::matches).toList();
                        if (!matching.isEmpty()) {
                            deliver(function, spec, streamArn, matching);
                        }
                        lastDelivered.put(entry.getKey(),
                                response.records().get(response.records().size() - 1).dynamodb().sequenceNumber());
                    }
                    if (response.nextShardIterator() == null) {
                        open.remove(entry.getKey());
                        finished.add(entry.getKey());
                    } else {
                        open.put(entry.getKey(), response.nextShardIterator());
                    }
                }
                for (Shard shard : shards(streamArn)) {
                    String id = shard.shardId();
                    boolean parentDone = shard.parentShardId() == null || finished.contains(shard.parentShardId())
                            || !open.containsKey(shard.parentShardId());
                    if (!open.containsKey(id) && !finished.contains(id) && parentDone) {
                        open.put(id, iterator(streamArn, id, "TRIM_HORIZON", null));
                    }
                }
                if (!busy) {
                    Thread.sleep(IDLE_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warn("Polling the stream of {} for {} failed ({}); trying again", spec.tableName(),
                            function.name(), e.toString());
                    try {
                        Thread.sleep(1_000);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    /** Delivers one batch with the mapping's retry rules. */
    private void deliver(LocalFunction function, SamTemplate.StreamSpec spec, String streamArn, List<Record> batch)
            throws InterruptedException {
        List<Record> pending = batch;
        for (int attempt = 0; running; attempt++) {
            int failedFrom;
            try {
                Object result = function.invoke(StreamRecords.event(pending, streamArn));
                failedFrom = firstFailure(spec, result, pending);
                if (failedFrom < 0) {
                    return;
                }
            } catch (Throwable failure) {
                LOG.warn("{} failed on a batch of {} records (attempt {})", function.name(), pending.size(), attempt + 1,
                        failure);
                if (spec.bisectOnError() && pending.size() > 1) {
                    int half = pending.size() / 2;
                    deliver(function, spec, streamArn, pending.subList(0, half));
                    deliver(function, spec, streamArn, pending.subList(half, pending.size()));
                    return;
                }
                failedFrom = 0;
            }
            if (spec.maximumRetryAttempts() >= 0 && attempt >= spec.maximumRetryAttempts()) {
                LOG.error("{}: dropping {} stream records after {} retries, from sequence number {}", function.name(),
                        pending.size() - failedFrom, attempt, pending.get(failedFrom).dynamodb().sequenceNumber());
                return;
            }
            pending = pending.subList(failedFrom, pending.size());
            Thread.sleep(Math.min(1_000, 50L << Math.min(attempt, 5)));
        }
    }

    /** The index of the first record the function reported as failed, or -1 when the batch succeeded. */
    private static int firstFailure(SamTemplate.StreamSpec spec, Object result, List<Record> batch) {
        if (!spec.reportsItemFailures() || !(result instanceof StreamsEventResponse)) {
            return -1;
        }
        var failures = ((StreamsEventResponse) result).getBatchItemFailures();
        if (failures == null || failures.isEmpty()) {
            return -1;
        }
        int first = batch.size();
        for (var failure : failures) {
            for (int i = 0; i < batch.size(); i++) {
                if (batch.get(i).dynamodb().sequenceNumber().equals(failure.getItemIdentifier())) {
                    first = Math.min(first, i);
                }
            }
        }
        return first == batch.size() ? 0 : first; // an unknown identifier fails the whole batch, as in AWS
    }

    private List<Shard> shards(String streamArn) {
        return streams.describeStream(r -> r.streamArn(streamArn)).streamDescription().shards();
    }

    private String iterator(String streamArn, String shardId, String type, String sequenceNumber) {
        return streams.getShardIterator(r -> r.streamArn(streamArn).shardId(shardId).shardIteratorType(type)
                .sequenceNumber(sequenceNumber)).shardIterator();
    }

    @Override
    public void close() {
        running = false;
        threads.forEach(Thread::interrupt);
        for (Thread thread : threads) {
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        streams.close();
        dynamoDb.close();
    }
}
