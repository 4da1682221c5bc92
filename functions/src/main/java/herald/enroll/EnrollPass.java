package herald.enroll;

import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.events.DuplicateHashException;
import herald.events.Event;
import herald.events.EventIds;
import herald.events.EventItems;
import herald.events.EventStatus;
import herald.events.EventStore;
import herald.events.LostRaceException;
import herald.events.MissingDependencyException;
import herald.events.RetentionPolicy;
import herald.kernel.Json;
import herald.kernel.Names;
import herald.kernel.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One enroll call's pass over its queue. Candidates are source events, oldest first, from three places, none of
 * which grows with history: the open jobs of the target topic (to restart, return or take over), the sources the
 * queue is waiting on, and the sources after the queue's cursor. Each candidate is decided as Ayon decides it,
 * every change is a conditional write, and a lost race moves on to the next candidate (or ends a sequential
 * call with nothing). The pass then moves the cursor past the sources that are settled.
 *
 * <p>Not thread-safe: one pass per call.
 */
final class EnrollPass {

    static final int PAGE = 50;
    static final int MAX_PAGES = 10;
    static final int OPEN_JOBS = 100;
    static final int MAX_WAITING = 100;

    private enum Decision { SETTLED, RESTART, TAKE_OVER, MINE, OTHERS }

    private record Candidate(Event source, Event job) {
    }

    private final EnrollRequest request;
    private final Worker worker;
    private final EventStore events;
    private final JobQueueStore queues;
    private final RetentionPolicy retention;
    private final Duration lease;
    private final java.time.Clock clock;
    private final Instant now;
    private final List<Pattern> sourcePatterns = new ArrayList<>();
    private final QueueState read;
    private final Map<String, Event> jobsBySource = new HashMap<>();
    private final Map<String, Event> waitingSources = new HashMap<>();

    EnrollPass(EnrollService.Settings settings, EnrollRequest request, Worker worker, Instant now) {
        this.request = request;
        this.worker = worker;
        this.events = settings.events();
        this.queues = settings.queues();
        this.retention = settings.retention();
        this.lease = settings.lease();
        this.clock = settings.clock();
        this.now = Timestamps.truncate(now);
        request.sourceTopics().forEach(t -> sourcePatterns.add(Names.wildcard(t)));
        this.read = queues.load(request.queueId());
    }

    Optional<Job> run() {
        if (request.sequential() && read.activeJob() != null) {
            Optional<Event> head = events.find(read.activeJob());
            if (head.isPresent() && decide(head.get()) != Decision.SETTLED) {
                return act(head.get(), decide(head.get())).map(EnrollPass::job);
            }
        }
        Set<String> topics = events.topicsMatching(request.sourceTopics());
        List<Candidate> known = knownCandidates();
        Map<String, String> waiting = new LinkedHashMap<>(read.waiting());
        String after = lowerBound();
        String cursor = read.cursor();
        boolean cursorMoves = true;
        for (int page = 0; page < MAX_PAGES; page++) {
            JobQueueStore.SourcePage sources = queues.sourcesAfter(topics, after, PAGE);
            List<Candidate> candidates = new ArrayList<>(page == 0 ? known : List.of());
            List<Event> fresh = sources.sources().stream().filter(s -> !waiting.containsKey(s.id())).toList();
            candidates.addAll(withJobs(fresh.stream().filter(this::belongs).toList()));
            candidates.sort(Comparator.comparing(c -> EventItems.createdKey(c.source())));
            Optional<Event> result = Optional.empty();
            boolean stop = false;
            for (Candidate candidate : dedupe(candidates)) {
                Decision decision = candidate.job() == null ? null : decide(candidate.job());
                if (decision == Decision.SETTLED) {
                    continue;
                }
                if (request.sequential() && (decision == Decision.OTHERS || decision == Decision.MINE)) {
                    result = decision == Decision.MINE ? Optional.of(candidate.job()) : Optional.empty();
                    stop = true;
                    break;
                }
                result = candidate.job() == null ? create(candidate.source(), waiting, cursor)
                        : decision == Decision.OTHERS ? Optional.empty() : act(candidate.job(), decision);
                if (result.isPresent() || request.sequential()) {
                    stop = true;
                    break;
                }
            }
            for (Event source : fresh) {
                if (!cursorMoves) {
                    break;
                }
                if (source.status() != EventStatus.FINISHED && belongsIgnoringStatus(source)) {
                    if (waiting.size() >= MAX_WAITING) {
                        cursorMoves = false;
                        break;
                    }
                    waiting.put(source.id(), EventItems.createdKey(source));
                } else if (belongs(source) && !jobsBySource.containsKey(source.id())) {
                    cursorMoves = false;
                    break;
                }
                cursor = EventItems.createdKey(source);
            }
            if (stop || sources.exhausted()) {
                settleWaiting(waiting);
                if (!request.sequential() || result.isEmpty()) {
                    saveQuietly(cursor, waiting);
                }
                return result.map(EnrollPass::job);
            }
            after = sources.horizon();
        }
        settleWaiting(waiting);
        saveQuietly(cursor, waiting);
        return Optional.empty();
    }

    /** Open jobs of the target topic whose sources belong to this queue, and waiting sources that finished. */
    private List<Candidate> knownCandidates() {
        List<Event> open = queues.openJobs(request.targetTopic(), OPEN_JOBS);
        List<String> sourceIds = new ArrayList<>(read.waiting().keySet());
        open.forEach(job -> sourceIds.add(job.dependsOn()));
        Map<String, Event> sources = queues.events(sourceIds);
        List<Candidate> candidates = new ArrayList<>();
        for (Event job : open) {
            Event source = sources.get(job.dependsOn());
            if (source != null && belongs(source)) {
                jobsBySource.put(source.id(), job);
                candidates.add(new Candidate(source, job));
            }
        }
        List<Event> waitingNow = read.waiting().keySet().stream().map(sources::get)
                .filter(s -> s != null && belongs(s) && !jobsBySource.containsKey(s.id())).toList();
        candidates.addAll(withJobs(waitingNow));
        waitingSources.putAll(sources);
        return candidates;
    }

    /** Drops from the waiting set every source that is settled now: gone, excluded, or given a job. */
    private void settleWaiting(Map<String, String> waiting) {
        waiting.keySet().removeIf(id -> {
            Event source = waitingSources.get(id);
            if (source == null) {
                return read.waiting().containsKey(id);
            }
            if (source.status() != EventStatus.FINISHED) {
                return !belongsIgnoringStatus(source);
            }
            return !belongs(source) || jobsBySource.containsKey(id);
        });
    }

    /** Pairs sources with their existing jobs, found through the deterministic hash claims. */
    private List<Candidate> withJobs(List<Event> sources) {
        if (sources.isEmpty()) {
            return List.of();
        }
        Map<String, String> claims = queues.claims(sources.stream().map(s -> request.targetHash(s.id())).toList());
        Map<String, Event> jobs = queues.events(claims.values());
        List<Candidate> candidates = new ArrayList<>();
        for (Event source : sources) {
            String jobId = claims.get(request.targetHash(source.id()));
            Event job = jobId == null ? null : jobs.get(jobId);
            if (job != null) {
                jobsBySource.put(source.id(), job);
            }
            candidates.add(new Candidate(source, job));
        }
        return candidates;
    }

    private static List<Candidate> dedupe(List<Candidate> sorted) {
        Map<String, Candidate> bySource = new LinkedHashMap<>();
        for (Candidate candidate : sorted) {
            bySource.merge(candidate.source().id(), candidate, (a, b) -> a.job() != null ? a : b);
        }
        return new ArrayList<>(bySource.values());
    }

    private Decision decide(Event job) {
        switch (job.status()) {
            case FINISHED:
            case ABORTED:
                return Decision.SETTLED;
            case FAILED:
                return job.retries() > request.maxRetries() ? Decision.SETTLED : Decision.RESTART;
            case RESTARTED:
                return Decision.RESTART;
            default:
                if (leaseExpired(job)) {
                    return job.retries() > request.maxRetries() ? Decision.SETTLED : Decision.TAKE_OVER;
                }
                return worker.sender().equals(job.sender()) ? Decision.MINE : Decision.OTHERS;
        }
    }

    private boolean leaseExpired(Event job) {
        return !lease.isZero() && job.updatedAt().plus(lease).isBefore(now);
    }

    private Optional<Event> act(Event job, Decision decision) {
        switch (decision) {
            case MINE:
                return Optional.of(job);
            case OTHERS:
            case SETTLED:
                return Optional.empty();
            default:
                String description = decision == Decision.RESTART ? "Restarting failed event"
                        : "Taken over: no update for longer than the " + lease.toMinutes() + "-minute lease";
                int retries = decision == Decision.RESTART && job.status() == EventStatus.RESTARTED
                        ? job.retries() : job.retries() + 1;
                try {
                    return events.update(job.id(), current -> {
                        if (current.status() != job.status() || current.retries() != job.retries()
                                || !current.updatedAt().equals(job.updatedAt())) {
                            throw new LostRaceException();
                        }
                        Instant at = now.isAfter(current.updatedAt()) ? now : current.updatedAt().plusNanos(1_000);
                        return new Event(current.id(), current.hash(), current.topic(), worker.sender(),
                                worker.senderType(), current.project(), worker.user(), current.dependsOn(),
                                EventStatus.PENDING, retries, description, current.summary(), current.payload(),
                                current.createdAt(), at, retention.expiresAt(current.topic(), at), worker.principal(),
                                null);
                    });
                } catch (LostRaceException e) {
                    return Optional.empty();
                }
        }
    }

    private Optional<Event> create(Event source, Map<String, String> waiting, String cursor) {
        ObjectNode empty = Json.MAPPER.createObjectNode();
        // Stamped when created, after everything this pass read: a job is never older than what it waited for.
        Instant createdAt = Timestamps.truncate(clock.instant());
        Event job = new Event(EventIds.newId(createdAt.toEpochMilli()), request.targetHash(source.id()),
                request.targetTopic(), worker.sender(), worker.senderType(), source.project(), worker.user(), source.id(),
                EventStatus.PENDING, 0, request.description() != null ? request.description() : request.defaultDescription(),
                empty, empty.deepCopy(), createdAt, createdAt, retention.expiresAt(request.targetTopic(), createdAt),
                worker.principal(), null);
        try {
            if (request.sequential()) {
                // The head moves to the new job; the cursor stays, and passes this source once its job is done.
                Map<String, String> stillWaiting = new LinkedHashMap<>(waiting);
                stillWaiting.remove(source.id());
                QueueState next = new QueueState(read.queueId(), maxKey(cursor, read.cursor()), stillWaiting, job.id(),
                        read.version());
                queues.insertHead(job, read, next, definition());
            } else {
                events.insert(job);
            }
            jobsBySource.put(source.id(), job);
            return Optional.of(job);
        } catch (DuplicateHashException | LostRaceException | MissingDependencyException lost) {
            return Optional.empty();
        }
    }

    private boolean belongs(Event source) {
        return source.status() == EventStatus.FINISHED && belongsIgnoringStatus(source);
    }

    private boolean belongsIgnoringStatus(Event source) {
        if (sourcePatterns.stream().noneMatch(p -> p.matcher(source.topic()).matches())) {
            return false;
        }
        if (!request.mayTake(source.project())) {
            return false;
        }
        if (source.senderType() != null && request.ignoreSenderTypes().contains(source.senderType())) {
            return false;
        }
        if (request.ignoreOlderThanDays() > 0
                && source.updatedAt().isBefore(now.minus(Duration.ofDays(request.ignoreOlderThanDays())))) {
            return false;
        }
        return request.filter().matches(source);
    }

    /** Sources before this key are never read: the cursor, or the age limit when that is later. */
    private String lowerBound() {
        if (request.ignoreOlderThanDays() == 0) {
            // A key condition value cannot be empty; "0" sorts before every timestamp.
            return read.cursor().isEmpty() ? "0" : read.cursor();
        }
        return maxKey(read.cursor(), Timestamps.format(now.minus(Duration.ofDays(request.ignoreOlderThanDays()))));
    }

    private void saveQuietly(String cursor, Map<String, String> waiting) {
        QueueState next = new QueueState(read.queueId(), maxKey(cursor, read.cursor()), Map.copyOf(waiting),
                read.activeJob(), read.version());
        if (!next.equals(read)) {
            queues.save(read, next, definition()); // a lost race only means another call moved the queue further
        }
    }

    private String definition() {
        return Json.MAPPER.createObjectNode().put("targetTopic", request.targetTopic())
                .put("sourceTopics", String.join(",", request.sourceTopics())).toString();
    }

    private static String maxKey(String a, String b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Job job(Event event) {
        return new Job(event.id(), event.dependsOn(), event.hash(), event.status().wireName());
    }
}
