package herald.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import herald.events.Event;
import herald.events.EventItems;
import herald.events.StreamImages;
import herald.realtime.Broadcaster;
import herald.realtime.ConnectionRegistry;
import herald.realtime.EventMessages;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code FanoutFunction}: the events table's stream to WebSocket clients. An inserted event goes out as a dispatch
 * message, a modified one as an update message; removals and claims are not events clients see. When posting
 * fails for some connections, the record is reported as a batch item failure so Lambda sends it again, and the
 * connections that already got it are remembered (per container) so they do not get it twice.
 *
 * <p>Thread-safe.
 */
public final class FanoutFunction implements RequestHandler<DynamodbEvent, StreamsEventResponse> {

    private static final Logger LOG = LoggerFactory.getLogger(FanoutFunction.class);
    private static final int REMEMBERED = 1_000;

    private final Broadcaster broadcaster;
    private final Map<String, Set<String>> deliveredByRecord = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Set<String>> eldest) {
                    return size() > REMEMBERED;
                }
            });

    public FanoutFunction() {
        this(System.getenv());
    }

    public FanoutFunction(Map<String, String> environment) {
        this.broadcaster = new Container(environment).broadcaster();
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        for (DynamodbEvent.DynamodbStreamRecord record : event.getRecords()) {
            try {
                java.util.Optional<Event> change = StreamImages.changedEvent(record);
                if (change.isEmpty()) {
                    continue;
                }
                Event changed = change.get();
                String message = "INSERT".equals(record.getEventName())
                        ? EventMessages.dispatched(changed, true) : EventMessages.updated(changed, changed.progress());
                Set<String> already = deliveredByRecord.getOrDefault(record.getEventID(), Set.of());
                boolean created = "INSERT".equals(record.getEventName());
                Broadcaster.Outcome outcome = broadcaster.send(changed.topic(), changed.project(), message, already,
                        new ConnectionRegistry.Held(EventItems.createdKey(changed), changed.id(), created));
                if (!outcome.failed().isEmpty()) {
                    Set<String> delivered = new java.util.HashSet<>(already);
                    delivered.addAll(outcome.delivered());
                    deliveredByRecord.put(record.getEventID(), delivered);
                    failures.add(new StreamsEventResponse.BatchItemFailure(record.getDynamodb().getSequenceNumber()));
                    break; // Lambda resends from here; later records wait, keeping each event's messages in order
                }
                deliveredByRecord.remove(record.getEventID());
            } catch (RuntimeException e) {
                LOG.warn("Fan-out of stream record {} failed", record.getEventID(), e);
                failures.add(new StreamsEventResponse.BatchItemFailure(record.getDynamodb().getSequenceNumber()));
                break;
            }
        }
        return new StreamsEventResponse(failures);
    }
}
