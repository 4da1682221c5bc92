package herald.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import herald.events.Event;
import herald.events.StreamImages;
import herald.scripting.QueuedScripts;
import herald.triggers.TriggerReactions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ReactionsFunction}: the events table's second stream reader (fan-out is the first; DynamoDB Streams serves
 * two readers per shard without throttling). For every created or changed event it runs each reaction on its own:
 * the triggers, and for a new {@code script.queued} job its queued script. When a reaction fails, the record is
 * reported as a batch item failure so Lambda resends it, and the reactions that already succeeded for it are
 * remembered (per container) so a resend does not repeat them; each reaction is also safe to repeat on its own
 * (a job runs only while pending, a webhook is recorded once per change), for a resend that reaches another
 * container. A failure stops the batch there, keeping each event's reactions in order.
 *
 * <p>Thread-safe.
 */
public final class ReactionsFunction implements RequestHandler<DynamodbEvent, StreamsEventResponse> {

    private static final Logger LOG = LoggerFactory.getLogger(ReactionsFunction.class);
    private static final int REMEMBERED = 1_000;

    /** The reactions to a record, each run, failed and retried on its own. */
    enum Reaction { TRIGGERS, QUEUED_SCRIPT }

    private final TriggerReactions triggers;
    private final QueuedScripts queuedScripts;
    private final Map<String, Set<Reaction>> doneByRecord = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Set<Reaction>> eldest) {
                    return size() > REMEMBERED;
                }
            });

    public ReactionsFunction() {
        this(System.getenv());
    }

    public ReactionsFunction(Map<String, String> environment) {
        Container container = new Container(environment);
        this.triggers = container.triggerReactions();
        this.queuedScripts = container.queuedScripts();
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent batch, Context context) {
        triggers.refresh();
        try {
            return new StreamsEventResponse(react(batch));
        } finally {
            triggers.handOff(); // what was recorded goes, whatever failed after it
        }
    }

    private List<StreamsEventResponse.BatchItemFailure> react(DynamodbEvent batch) {
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        for (DynamodbEvent.DynamodbStreamRecord record : batch.getRecords()) {
            Optional<Event> change;
            Event previous;
            try {
                change = StreamImages.changedEvent(record);
                previous = StreamImages.previousEvent(record).orElse(null);
            } catch (RuntimeException e) {
                LOG.warn("Stream record {} could not be read", record.getEventID(), e);
                failures.add(new StreamsEventResponse.BatchItemFailure(record.getDynamodb().getSequenceNumber()));
                break;
            }
            if (change.isEmpty()) {
                continue;
            }
            Event changed = change.get();
            boolean created = "INSERT".equals(record.getEventName());
            Set<Reaction> done = EnumSet.noneOf(Reaction.class);
            done.addAll(doneByRecord.getOrDefault(record.getEventID(), Set.of()));
            boolean failed = false;
            for (Reaction reaction : Reaction.values()) {
                if (done.contains(reaction)) {
                    continue;
                }
                try {
                    switch (reaction) {
                        case TRIGGERS -> triggers.react(changed, previous, created);
                        case QUEUED_SCRIPT -> {
                            if (created && QueuedScripts.isJob(changed)) {
                                queuedScripts.run(changed);
                            }
                        }
                    }
                    done.add(reaction);
                } catch (RuntimeException e) {
                    LOG.warn("Reaction {} to stream record {} failed; Lambda will resend it", reaction,
                            record.getEventID(), e);
                    failed = true;
                }
            }
            if (failed) {
                doneByRecord.put(record.getEventID(), done);
                failures.add(new StreamsEventResponse.BatchItemFailure(record.getDynamodb().getSequenceNumber()));
                break; // Lambda resends from here; later records wait, keeping each event's reactions in order
            }
            doneByRecord.remove(record.getEventID());
        }
        return failures;
    }
}
