package herald.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A stream-triggered test function that records every record it is given. A new image with {@code fail = "once"}
 * is reported as failed the first time it is seen; {@code fail = "always"} every time.
 */
public final class RecordingStreamHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {

    /** Every delivered record, in delivery order: "eventName pk". */
    static final BlockingQueue<String> DELIVERED = new LinkedBlockingQueue<>();
    static final BlockingQueue<DynamodbEvent.DynamodbStreamRecord> RECORDS = new LinkedBlockingQueue<>();
    private static final Set<String> FAILED_ONCE = ConcurrentHashMap.newKeySet();

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        for (DynamodbEvent.DynamodbStreamRecord record : event.getRecords()) {
            String pk = record.getDynamodb().getKeys().get("pk").getS();
            DELIVERED.add(record.getEventName() + " " + pk);
            RECORDS.add(record);
            var image = record.getDynamodb().getNewImage();
            String fail = image != null && image.containsKey("fail") ? image.get("fail").getS() : null;
            if (failures.isEmpty() && ("always".equals(fail) || ("once".equals(fail) && FAILED_ONCE.add(pk)))) {
                failures.add(new StreamsEventResponse.BatchItemFailure(record.getDynamodb().getSequenceNumber()));
            }
        }
        return new StreamsEventResponse(failures);
    }
}
