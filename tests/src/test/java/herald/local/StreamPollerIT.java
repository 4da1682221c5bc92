package herald.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The local event source mapping: a table's stream delivered to its function as Lambda delivers it. */
class StreamPollerIT {

    private static LocalHerald runtime;
    private static DynamoDbClient dynamoDb;
    private String prefix;

    @BeforeAll
    static void start() throws Exception {
        Path template = Path.of(StreamPollerIT.class.getResource("/templates/streams.yaml").toURI());
        runtime = LocalHerald.start(template, "127.0.0.1", 0, Map.of());
        dynamoDb = runtime.dynamoDb();
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    @BeforeEach
    void fresh() {
        prefix = UUID.randomUUID().toString().substring(0, 8) + "-";
    }

    private void put(String pk, Map<String, AttributeValue> extra) {
        var item = new java.util.HashMap<>(extra);
        item.put("pk", AttributeValue.fromS(prefix + pk));
        dynamoDb.putItem(r -> r.tableName("Items").item(item));
    }

    /** The deliveries of this test's items, waiting up to 20 s for {@code count} of them. */
    private static List<String> delivered(String prefix, int count) throws InterruptedException {
        return deliveredUntil(prefix, mine -> mine.size() >= count);
    }

    /** The deliveries of this test's items, waiting up to 20 s until {@code enough} holds for them. */
    private static List<String> deliveredUntil(String prefix, java.util.function.Predicate<List<String>> enough)
            throws InterruptedException {
        List<String> mine = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!enough.test(mine) && System.nanoTime() < deadline) {
            String next = RecordingStreamHandler.DELIVERED.poll(200, TimeUnit.MILLISECONDS);
            if (next != null && next.contains(" " + prefix)) {
                mine.add(next.replace(prefix, ""));
            }
        }
        return mine;
    }

    @Test
    void deliversEveryChangeOfAnItemInOrderWithItsImages() throws Exception {
        put("a", Map.of("n", AttributeValue.fromN("1")));
        put("a", Map.of("n", AttributeValue.fromN("2")));
        dynamoDb.deleteItem(r -> r.tableName("Items").key(Map.of("pk", AttributeValue.fromS(prefix + "a"))));
        assertThat(delivered(prefix, 3)).containsExactly("INSERT a", "MODIFY a", "REMOVE a");

        DynamodbEvent.DynamodbStreamRecord modify = null;
        for (DynamodbEvent.DynamodbStreamRecord record : RecordingStreamHandler.RECORDS) {
            if (record.getEventName().equals("MODIFY") && record.getDynamodb().getKeys().get("pk").getS().equals(prefix + "a")) {
                modify = record;
            }
        }
        assertThat(modify).isNotNull();
        assertThat(modify.getDynamodb().getOldImage().get("n").getN()).isEqualTo("1");
        assertThat(modify.getDynamodb().getNewImage().get("n").getN()).isEqualTo("2");
        assertThat(modify.getEventSource()).isEqualTo("aws:dynamodb");
        assertThat(modify.getEventSourceARN()).contains("Items");
        assertThat(modify.getDynamodb().getStreamViewType()).isEqualTo("NEW_AND_OLD_IMAGES");
        assertThat(modify.getDynamodb().getSequenceNumber()).isNotBlank();
    }

    @Test
    void aReportedFailureResendsTheBatchFromTheFailedRecord() throws Exception {
        put("x1", Map.of());
        put("x2", Map.of("fail", AttributeValue.fromS("once")));
        put("x3", Map.of());
        // Whether x3 came in the failed batch or the next depends on when the poller read the shard; either way the
        // batch is resent from x2, so x2 comes twice and x3 follows the second x2, and x1 is never resent.
        List<String> deliveries = deliveredUntil(prefix, mine -> mine.lastIndexOf("INSERT x3")
                > mine.lastIndexOf("INSERT x2") && mine.stream().filter("INSERT x2"::equals).count() == 2);
        assertThat(deliveries).containsSubsequence("INSERT x1", "INSERT x2", "INSERT x2", "INSERT x3");
        assertThat(deliveries.stream().filter(d -> d.equals("INSERT x1")).count()).isEqualTo(1);
    }

    @Test
    void aRecordThatAlwaysFailsIsRetriedAsConfiguredThenDroppedAndTheStreamMovesOn() throws Exception {
        put("p1", Map.of("fail", AttributeValue.fromS("always")));
        List<String> attempts = delivered(prefix, 3);
        assertThat(attempts).containsOnly("INSERT p1").hasSize(3); // the first try and MaximumRetryAttempts: 2
        put("p2", Map.of());
        assertThat(delivered(prefix, 1)).containsExactly("INSERT p2");
    }

    @Test
    void theTemplatesMappingSettingsAreRead() {
        SamTemplate.StreamSpec spec = runtime.template().functions().get(0).streams().get(0);
        assertThat(spec).isEqualTo(new SamTemplate.StreamSpec("Items", "TRIM_HORIZON", 10, 2, true, true));
    }
}
