package herald.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import herald.kernel.InvalidRequestException;
import herald.kernel.Json;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The retry rules of a webhook trigger: what is retried, when, and what a request may say. */
class RetryPolicyTest {

    private static RetryPolicy policy(String json) {
        var retry = Json.readStored(json);
        RetryPolicy.validate(retry);
        return RetryPolicy.of(retry, Duration.ofSeconds(30));
    }

    @Test
    void noAnswerAndServerErrorsAreRetriedFourHundredsOnlyWhenNamedAndGoneNever() {
        RetryPolicy defaults = policy("{}");
        assertThat(defaults.retries(0)).isTrue();
        assertThat(defaults.retries(500)).isTrue();
        assertThat(defaults.retries(503)).isTrue();
        assertThat(defaults.retries(429)).isTrue();
        assertThat(defaults.retries(408)).isTrue();
        assertThat(defaults.retries(400)).isFalse();
        assertThat(defaults.retries(404)).isFalse();
        assertThat(defaults.retries(410)).isFalse();
        RetryPolicy strict = policy("{\"retry_statuses\": []}");
        assertThat(strict.retries(429)).isFalse();
        assertThat(strict.retries(502)).isTrue();
    }

    @Test
    void theWaitIsFullJitterUpToTheCapOrWhatRetryAfterAskedUpToTheCap() {
        RetryPolicy retry = policy("{\"base_seconds\": 10, \"cap_seconds\": 60}");
        Instant now = Instant.parse("2026-12-01T00:00:00Z");
        for (int i = 0; i < 200; i++) {
            assertThat(Duration.between(now, retry.next(1, null, now))).isBetween(Duration.ZERO, Duration.ofSeconds(10));
            assertThat(Duration.between(now, retry.next(3, null, now))).isBetween(Duration.ZERO, Duration.ofSeconds(40));
            assertThat(Duration.between(now, retry.next(9, null, now))).isBetween(Duration.ZERO, Duration.ofSeconds(60));
        }
        assertThat(retry.next(1, 25L, now)).isEqualTo(now.plusSeconds(25));
        assertThat(retry.next(1, 3600L, now)).as("capped").isEqualTo(now.plusSeconds(60));
        assertThat(policy("{}").maxAge()).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void retryAfterIsSecondsOrAnHttpDate() {
        Instant now = Instant.parse("2026-12-01T10:00:00Z");
        assertThat(WebhookSender.retryAfter("120", now)).isEqualTo(120L);
        assertThat(WebhookSender.retryAfter(" 7 ", now)).isEqualTo(7L);
        assertThat(WebhookSender.retryAfter("Tue, 1 Dec 2026 10:01:30 GMT", now)).isEqualTo(90L);
        assertThat(WebhookSender.retryAfter("Tue, 1 Dec 2026 09:00:00 GMT", now)).as("in the past").isEqualTo(0L);
        assertThat(WebhookSender.retryAfter("soon", now)).isNull();
        assertThat(WebhookSender.retryAfter("-5", now)).isNull();
    }

    @Test
    void aRequestThatSaysSomethingElseIsA400ThatNamesTheField() {
        for (String[] bad : new String[][] {
                {"{\"base_seconds\": 0}", "action.retry.base_seconds"},
                {"{\"base_seconds\": 1.5}", "action.retry.base_seconds"},
                {"{\"cap_seconds\": 100000}", "action.retry.cap_seconds"},
                {"{\"retry_statuses\": [\"429\"]}", "action.retry.retry_statuses"},
                {"{\"retry_statuses\": 429}", "action.retry.retry_statuses"},
                {"{\"jitter\": true}", "action.retry.jitter"}}) {
            assertThatThrownBy(() -> policy(bad[0])).as(bad[0]).isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining(bad[1]);
        }
    }
}
