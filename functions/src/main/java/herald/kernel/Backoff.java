package herald.kernel;

import java.security.SecureRandom;
import java.time.Duration;

/**
 * Exponential backoff with full jitter (AWS's recommendation for retries that collide): the n-th wait is a random
 * duration between zero and {@code min(cap, base × 2^n)}. Herald's one backoff: optimistic-lock retries, SDK-level
 * retries of unprocessed batch keys, 429s from a WebSocket connection, and webhook retries (which use
 * {@link #ceiling} without the random part, so a delivery's next attempt is predictable).
 *
 * <p>Immutable and thread-safe.
 */
public record Backoff(Duration base, Duration cap) {

    /**
     * The jitter's source: a SecureRandom, which Lambda's Java runtime keeps unique per instance across a SnapStart
     * restore (a ThreadLocalRandom seeded before the snapshot would give every restored instance the same waits).
     */
    private static final SecureRandom JITTER = new SecureRandom();

    public Backoff {
        if (base.isNegative() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("A backoff needs 0 <= base <= cap, got " + base + " and " + cap);
        }
    }

    public static Backoff of(Duration base, Duration cap) {
        return new Backoff(base, cap);
    }

    /** {@code min(cap, base × 2^attempt)}: the most the attempt-th wait (from 0) may be. */
    public Duration ceiling(int attempt) {
        int shift = Math.max(0, Math.min(attempt, 30));
        Duration wait = base.multipliedBy(1L << shift);
        return wait.compareTo(cap) > 0 ? cap : wait;
    }

    /** A random wait in {@code [0, ceiling(attempt)]}. */
    public Duration delay(int attempt) {
        long ceiling = ceiling(attempt).toNanos();
        return Duration.ofNanos(ceiling == 0 ? 0 : JITTER.nextLong(ceiling + 1));
    }

    /**
     * Sleeps for {@link #delay(int)}. An interrupt ends the wait at once and is kept on the thread, and the caller is
     * told by the {@code false} result so that it can stop retrying.
     */
    public boolean pause(int attempt) {
        try {
            Thread.sleep(delay(attempt).toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
