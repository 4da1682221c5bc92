package herald.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The metric lines are CloudWatch's Embedded Metric Format: one self-describing JSON object per count. */
class MetricsTest {

    private final List<String> lines = new ArrayList<>();
    private final Metrics metrics = new Metrics("FanoutFunction", lines::add,
            Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC));

    @Test
    void aCountIsOneEmbeddedMetricFormatLine() {
        metrics.count("FanoutPosts", 3);
        assertThat(lines).hasSize(1);
        JsonNode line = Json.readStored(lines.get(0));
        JsonNode directive = line.path("_aws").path("CloudWatchMetrics").get(0);
        assertThat(line.path("_aws").path("Timestamp").asLong()).isEqualTo(Instant.parse("2026-12-01T12:00:00Z")
                .toEpochMilli());
        assertThat(directive.path("Namespace").asText()).isEqualTo("Herald");
        assertThat(directive.path("Dimensions").toString()).isEqualTo("[[\"Function\"]]");
        assertThat(directive.path("Metrics").toString()).isEqualTo("[{\"Name\":\"FanoutPosts\",\"Unit\":\"Count\"}]");
        assertThat(line.path("Function").asText()).isEqualTo("FanoutFunction");
        assertThat(line.path("FanoutPosts").asLong()).isEqualTo(3);
        assertThat(lines.get(0)).doesNotContain("\n");
    }

    @Test
    void nothingIsWrittenForZero() {
        metrics.count("FanoutPostFailures", 0);
        assertThat(lines).isEmpty();
    }

    @Test
    void aDurationIsALineInMilliseconds() {
        metrics.milliseconds("WebhookLatency", 42);
        JsonNode line = Json.readStored(lines.get(0));
        assertThat(line.path("_aws").path("CloudWatchMetrics").get(0).path("Metrics").toString())
                .isEqualTo("[{\"Name\":\"WebhookLatency\",\"Unit\":\"Milliseconds\"}]");
        assertThat(line.path("WebhookLatency").asLong()).isEqualTo(42);
    }
}
