package herald.enroll;

import java.util.Map;

/**
 * Where a queue stands. {@code cursor} is a {@code createdKey} of the source stream: every source before it
 * has a job or was excluded, so no call reads it again. {@code waiting} holds the sources the cursor passed while
 * they were not finished yet (id to createdKey), to be offered once they finish. {@code activeJob} is the job at
 * the head of a sequential queue. {@code version} orders updates (0: never stored).
 */
public record QueueState(String queueId, String cursor, Map<String, String> waiting, String activeJob, long version) {

    public static QueueState fresh(String queueId) {
        return new QueueState(queueId, "", Map.of(), null, 0);
    }
}
