package herald.enroll;

import herald.auth.Permissions;
import herald.events.Caller;
import herald.events.EventStore;
import herald.events.RetentionPolicy;
import herald.kernel.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code POST /api/enroll}: hands a worker the next job of a queue, exactly once per source event. See
 * {@link EnrollPass} for how a call walks its queue.
 *
 * <p>Thread-safe: each call makes its own pass.
 */
public final class EnrollService {

    /** What every pass needs: the stores, the retention of jobs, the lease of a silent job, and the clock. */
    record Settings(EventStore events, JobQueueStore queues, RetentionPolicy retention, Duration lease,
            Clock clock) {
    }

    private final Settings settings;
    private final Metrics metrics;

    private EnrollService(Settings settings, Metrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The job for this worker, or empty when there is nothing to do. Enrolling needs a manager's key (service or
     * admin); a key limited to projects is handed only sources of its projects (or of none).
     */
    public Optional<Job> enroll(EnrollRequest unscoped, Caller caller) {
        Permissions.requireManager(caller.principal(), "enroll");
        EnrollRequest request = unscoped.scopedTo(caller.principal().projects());
        String sender = request.sender() != null ? request.sender()
                : caller.senderHeader() != null ? caller.senderHeader() : caller.userName();
        String senderType = request.senderType() != null ? request.senderType() : caller.senderType();
        Worker worker = new Worker(sender, senderType, caller.userName(), caller.principal());
        metrics.count("EnrollCalls");
        Optional<Job> job = new EnrollPass(settings, request, worker, settings.clock().instant()).run();
        if (job.isPresent()) {
            metrics.count("JobsHandedOut");
        }
        return job;
    }

    /** Builds an {@link EnrollService}; the stores are required, the lease defaults to 30 minutes. */
    public static final class Builder {
        private EventStore events;
        private JobQueueStore queues;
        private RetentionPolicy retention = RetentionPolicy.keepForever();
        private Duration lease = Duration.ofMinutes(30);
        private Clock clock = Clock.systemUTC();
        private Metrics metrics = Metrics.NONE;

        public Builder withEvents(EventStore events) {
            this.events = events;
            return this;
        }

        public Builder withQueues(JobQueueStore queues) {
            this.queues = queues;
            return this;
        }

        public Builder withRetention(RetentionPolicy retention) {
            this.retention = retention;
            return this;
        }

        /** How long a pending or in-progress job may go without an update before another worker may take it. */
        public Builder withLease(Duration lease) {
            this.lease = lease;
            return this;
        }

        public Builder withMetrics(Metrics metrics) {
            this.metrics = metrics;
            return this;
        }

        public Builder withClock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public EnrollService build() {
            return new EnrollService(new Settings(Objects.requireNonNull(events, "events"),
                    Objects.requireNonNull(queues, "queues"), retention, lease, clock), metrics);
        }
    }
}
