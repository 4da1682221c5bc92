package herald.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import herald.events.Event;
import herald.events.StreamImages;
import herald.triggers.Trigger;
import herald.triggers.TriggerActions;
import herald.triggers.TriggerMatcher;
import herald.triggers.Triggers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code TriggerMatchFunction}: every event the events table's stream shows created or changed, matched against the
 * active triggers, and each match's action carried out. A record whose webhook could not be recorded fails (and
 * Lambda resends it; deliveries are recorded once per change, so nothing goes out twice for it); notifications and
 * scripts are best effort.
 *
 * <p>Thread-safe.
 */
public final class TriggerMatchFunction implements RequestHandler<DynamodbEvent, StreamsEventResponse> {

    private static final Logger LOG = LoggerFactory.getLogger(TriggerMatchFunction.class);

    private final TriggerMatcher matcher;
    private final TriggerActions actions;

    public TriggerMatchFunction() {
        this(System.getenv());
    }

    public TriggerMatchFunction(Map<String, String> environment) {
        Triggers triggers = new Container(environment).triggers();
        this.matcher = triggers.matcher();
        this.actions = triggers.actions();
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        matcher.refresh();
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        for (DynamodbEvent.DynamodbStreamRecord record : event.getRecords()) {
            try {
                Optional<Event> change = StreamImages.changedEvent(record);
                if (change.isEmpty()) {
                    continue;
                }
                Event changed = change.get();
                if (changed.user() != null && changed.user().startsWith(TriggerActions.USER_PREFIX)) {
                    continue;
                }
                boolean created = "INSERT".equals(record.getEventName());
                for (Trigger trigger : matcher.matching(TriggerActions.matchable(changed))) {
                    if (!trigger.on().accepts(created)) {
                        continue;
                    }
                    try {
                        actions.act(trigger, changed, created);
                    } catch (RuntimeException e) {
                        if (trigger.actionType().equals("webhook")) {
                            throw e;
                        }
                        LOG.warn("Trigger {} failed on event {}", trigger.name(), changed.id(), e);
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("Triggers on stream record {} failed", record.getEventID(), e);
                failures.add(new StreamsEventResponse.BatchItemFailure(record.getDynamodb().getSequenceNumber()));
                break;
            }
        }
        return new StreamsEventResponse(failures);
    }
}
