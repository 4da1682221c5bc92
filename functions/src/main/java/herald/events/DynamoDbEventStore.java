package herald.events;

import herald.kernel.Backoff;
import herald.kernel.ConflictException;
import herald.kernel.Timestamps;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The events table and its hash claims on DynamoDB. Uniqueness of {@code hash}, a non-key attribute, is an
 * item of the hashes table ({@code hash -> eventId}) written in the same {@code TransactWriteItems} as the event
 * with {@code attribute_not_exists}; so concurrent identical dispatches create exactly one event, and a lost
 * race is a 409, never a second event. A claim expires with its event: its {@code expiresAt} is kept equal to
 * the event's on every write, and a claim whose time has passed may be taken over even before TTL deletes it.
 *
 * <p>Thread-safe: it holds only the thread-safe SDK client and immutable settings.
 */
public final class DynamoDbEventStore implements EventStore {


    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbEventStore.class);
    private static final String CLAIM_HASH = "hash";
    private static final String CLAIM_EVENT_ID = "eventId";
    private static final int MAX_ATTEMPTS = 6;
    /** Optimistic updates of one event by many writers at once (progress reports, say) need more tries. */
    private static final int MAX_UPDATE_ATTEMPTS = 12;
    private static final String CONDITIONAL_CHECK_FAILED = "ConditionalCheckFailed";
    private static final String NOT_EXPIRED = "(attribute_not_exists(#expiresAt) OR #expiresAt > :now)";

    private final DynamoDbClient dynamoDb;
    private final String eventsTable;
    private final String hashesTable;
    private final TopicRegistry topics;
    private final ProjectRegistry projects;
    private final Clock clock;

    private DynamoDbEventStore(Builder builder) {
        this.dynamoDb = Objects.requireNonNull(builder.dynamoDb, "dynamoDb");
        this.eventsTable = Objects.requireNonNull(builder.eventsTable, "eventsTable");
        this.hashesTable = Objects.requireNonNull(builder.hashesTable, "hashesTable");
        this.topics = Objects.requireNonNull(builder.topics, "topics");
        this.projects = Objects.requireNonNull(builder.projects, "projects");
        this.clock = builder.clock;
    }

    public static Builder builder() {
        return new Builder();
    }


    @Override
    public void insert(Event event) {
        insert(event, List.of());
    }

    /**
     * Stores a new event and claims its hash, together with {@code alsoWrite} in the same transaction: all of it
     * happens, or none.
     *
     * @throws LostRaceException when a condition of {@code alsoWrite} failed
     */
    public void insert(Event event, List<TransactWriteItem> alsoWrite) {
        var item = EventItems.requireStorable(EventItems.toItem(event));
        // Registered first: a wildcard reader must never see an event whose topic it cannot find, nor a project
        // listing miss a project that holds an event.
        topics.remember(event.topic());
        topics.rememberDay(EventItems.createdKey(event));
        projects.remember(event.project());
        List<TransactWriteItem> actions = new ArrayList<>();
        actions.add(putEvent(item, "attribute_not_exists(#id)"));
        actions.add(claimHash(event));
        actions.add(event.dependsOn() != null ? requireLiveEvent(event.dependsOn()) : null);
        actions.addAll(alsoWrite);
        actions.removeIf(Objects::isNull);
        int firstExtra = actions.size() - alsoWrite.size();
        try {
            transact(actions, event.id());
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            if (failed(reasons, 1)) {
                // The SDK may have retried a write that had succeeded: then the claim we "lost" is our own.
                AttributeValue holder = reasons.get(1).item() == null ? null : reasons.get(1).item().get(CLAIM_EVENT_ID);
                if (holder != null && event.id().equals(holder.s())) {
                    return;
                }
                throw new DuplicateHashException(event.hash());
            }
            if (event.dependsOn() != null && failed(reasons, 2)) {
                throw new MissingDependencyException(event.dependsOn());
            }
            for (int i = firstExtra; i < actions.size(); i++) {
                if (failed(reasons, i)) {
                    throw new LostRaceException();
                }
            }
            throw e;
        }
    }

    @Override
    public Set<String> topicsMatching(Collection<String> patterns) {
        return topics.matching(patterns);
    }


    @Override
    public Event replaceByHash(Event fresh, Predicate<Event> mayReplace) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Optional<String> holderId = liveClaimHolder(fresh.hash());
            if (holderId.isEmpty()) {
                try {
                    insert(fresh);
                    return fresh;
                } catch (DuplicateHashException raced) {
                    continue; // someone claimed the hash meanwhile: replace theirs
                }
            }
            String oldId = holderId.get();
            Optional<Event> holder = find(oldId);
            if (holder.isPresent() && !mayReplace.test(holder.get())) {
                throw new DuplicateHashException(fresh.hash());
            }
            if (hasDependants(oldId)) {
                throw new ConflictException("Unable to reuse the event " + oldId + ": another event depends on it");
            }
            Event replacement = holder.map(fresh::reusing).orElse(fresh);
            topics.remember(replacement.topic());
            topics.rememberDay(EventItems.createdKey(replacement));
            projects.remember(replacement.project());
            List<TransactWriteItem> actions = new ArrayList<>();
            actions.add(TransactWriteItem.builder().delete(Delete.builder()
                    .tableName(eventsTable).key(Map.of(EventItems.ID, EventItems.s(oldId))).build()).build());
            actions.add(putEvent(EventItems.requireStorable(EventItems.toItem(replacement)), "attribute_not_exists(#id)"));
            actions.add(moveClaim(replacement, oldId));
            if (replacement.dependsOn() != null) {
                actions.add(requireLiveEvent(replacement.dependsOn()));
            }
            try {
                transact(actions, replacement.id());
                return replacement;
            } catch (TransactionCanceledException e) {
                if (failed(e.cancellationReasons(), 3)) {
                    throw new MissingDependencyException(replacement.dependsOn());
                }
                if (!failed(e.cancellationReasons(), 2)) {
                    throw e;
                }
                LOG.debug("Hash {} changed hands while reusing it; attempt {}", fresh.hash(), attempt);
            }
        }
        throw new ConflictException("The event with this hash kept changing while it was being reused; retry the request");
    }

    @Override
    public Optional<Event> find(String id) {
        var response = dynamoDb.getItem(r -> r.tableName(eventsTable)
                .key(Map.of(EventItems.ID, EventItems.s(id)))
                .consistentRead(true));
        if (!response.hasItem() || response.item().isEmpty()) {
            return Optional.empty();
        }
        Event event = EventItems.fromItem(response.item());
        return event.isExpired(clock.instant()) ? Optional.empty() : Optional.of(event);
    }

    @Override
    public Optional<Event> update(String id, UnaryOperator<Event> change) {
        boolean ownsClaim = true;
        for (int attempt = 1; attempt <= MAX_UPDATE_ATTEMPTS; attempt++) {
            Optional<Event> current = find(id);
            if (current.isEmpty()) {
                return Optional.empty();
            }
            Event updated = change.apply(current.get());
            if (!Objects.equals(updated.project(), current.get().project())) {
                projects.remember(updated.project());
            }
            var item = EventItems.requireStorable(EventItems.toItem(updated));
            List<TransactWriteItem> actions = new ArrayList<>();
            // Optimistic lock on the version read: a concurrent update makes this attempt fail and start again.
            actions.add(TransactWriteItem.builder().put(Put.builder()
                    .tableName(eventsTable).item(item)
                    .conditionExpression("#updatedAt = :readUpdatedAt AND #hash = :hash")
                    .expressionAttributeNames(Map.of("#updatedAt", EventItems.UPDATED_AT, "#hash", EventItems.HASH))
                    .expressionAttributeValues(Map.of(
                            ":readUpdatedAt", EventItems.s(Timestamps.format(current.get().updatedAt())),
                            ":hash", EventItems.s(current.get().hash())))
                    .build()).build());
            boolean moveClaimExpiry = ownsClaim && !Objects.equals(updated.expiresAt(), current.get().expiresAt());
            if (moveClaimExpiry) {
                actions.add(extendClaim(updated));
            }
            try {
                transact(actions, null);
                return Optional.of(updated);
            } catch (TransactionCanceledException e) {
                if (moveClaimExpiry && failed(e.cancellationReasons(), 1)) {
                    // The hash was taken over after this event expired; the claim is not ours to move.
                    LOG.warn("Event {} no longer holds the claim on its hash; updating the event alone", id);
                    ownsClaim = false;
                } else if (!failed(e.cancellationReasons(), 0)) {
                    throw e;
                } else {
                    backOff(Math.min(attempt, 5)); // spread the retries of writers that collided
                }
                LOG.debug("Event {} changed while it was being updated; attempt {}", id, attempt);
            }
        }
        throw new ConflictException("The event kept changing while it was being updated; retry the request");
    }

    @Override
    public void delete(String id) {
        var response = dynamoDb.getItem(r -> r.tableName(eventsTable)
                .key(Map.of(EventItems.ID, EventItems.s(id))).consistentRead(true));
        if (!response.hasItem() || response.item().isEmpty()) {
            return;
        }
        if (hasDependants(id)) {
            throw new ConflictException("Event " + id + " cannot be deleted: other events depend on it "
                    + "(their dependsOn is this id); delete those first");
        }
        String hash = response.item().get(EventItems.HASH).s();
        TransactWriteItem deleteEvent = TransactWriteItem.builder().delete(Delete.builder()
                .tableName(eventsTable).key(Map.of(EventItems.ID, EventItems.s(id))).build()).build();
        TransactWriteItem releaseClaim = TransactWriteItem.builder().delete(Delete.builder()
                .tableName(hashesTable)
                .key(Map.of(CLAIM_HASH, EventItems.s(hash)))
                .conditionExpression("#eventId = :id")
                .expressionAttributeNames(Map.of("#eventId", CLAIM_EVENT_ID))
                .expressionAttributeValues(Map.of(":id", EventItems.s(id)))
                .build()).build();
        try {
            transact(List.of(deleteEvent, releaseClaim), null);
        } catch (TransactionCanceledException e) {
            if (!failed(e.cancellationReasons(), 1)) {
                throw e;
            }
            // The claim already belongs to a newer event with this hash: leave it, delete ours.
            transact(List.of(deleteEvent), null);
        }
    }

    boolean hasDependants(String id) {
        var response = dynamoDb.query(r -> r.tableName(eventsTable)
                .indexName(EventsTable.BY_DEPENDS_ON)
                .keyConditionExpression("#dependsOn = :id")
                .expressionAttributeNames(Map.of("#dependsOn", EventItems.DEPENDS_ON))
                .expressionAttributeValues(Map.of(":id", EventItems.s(id)))
                .limit(1));
        return response.count() > 0;
    }

    private Optional<String> liveClaimHolder(String hash) {
        var response = dynamoDb.getItem(r -> r.tableName(hashesTable)
                .key(Map.of(CLAIM_HASH, EventItems.s(hash))).consistentRead(true));
        if (!response.hasItem() || response.item().isEmpty()) {
            return Optional.empty();
        }
        AttributeValue expiresAt = response.item().get(EventItems.EXPIRES_AT);
        if (expiresAt != null && Long.parseLong(expiresAt.n()) <= clock.instant().getEpochSecond()) {
            return Optional.empty();
        }
        return Optional.of(response.item().get(CLAIM_EVENT_ID).s());
    }

    /** Ayon's reuse keeps the replaced event's creation time and retry count. */
    private TransactWriteItem putEvent(Map<String, AttributeValue> item, String condition) {
        return TransactWriteItem.builder().put(Put.builder()
                .tableName(eventsTable).item(item)
                .conditionExpression(condition)
                .expressionAttributeNames(Map.of("#id", EventItems.ID))
                .build()).build();
    }

    private TransactWriteItem claimHash(Event event) {
        return TransactWriteItem.builder().put(Put.builder()
                .tableName(hashesTable)
                .item(claimItem(event))
                .conditionExpression("attribute_not_exists(#hash) OR #expiresAt <= :now")
                .expressionAttributeNames(Map.of("#hash", CLAIM_HASH, "#expiresAt", EventItems.EXPIRES_AT))
                .expressionAttributeValues(Map.of(":now", EventItems.n(clock.instant().getEpochSecond())))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build()).build();
    }

    private TransactWriteItem moveClaim(Event replacement, String oldId) {
        return TransactWriteItem.builder().put(Put.builder()
                .tableName(hashesTable)
                .item(claimItem(replacement))
                .conditionExpression("#eventId = :oldId")
                .expressionAttributeNames(Map.of("#eventId", CLAIM_EVENT_ID))
                .expressionAttributeValues(Map.of(":oldId", EventItems.s(oldId)))
                .build()).build();
    }

    private TransactWriteItem extendClaim(Event event) {
        return TransactWriteItem.builder().put(Put.builder()
                .tableName(hashesTable)
                .item(claimItem(event))
                .conditionExpression("#eventId = :id")
                .expressionAttributeNames(Map.of("#eventId", CLAIM_EVENT_ID))
                .expressionAttributeValues(Map.of(":id", EventItems.s(event.id())))
                .build()).build();
    }

    private TransactWriteItem requireLiveEvent(String id) {
        return TransactWriteItem.builder().conditionCheck(ConditionCheck.builder()
                .tableName(eventsTable)
                .key(Map.of(EventItems.ID, EventItems.s(id)))
                .conditionExpression("attribute_exists(#id) AND " + NOT_EXPIRED)
                .expressionAttributeNames(Map.of("#id", EventItems.ID, "#expiresAt", EventItems.EXPIRES_AT))
                .expressionAttributeValues(Map.of(":now", EventItems.n(clock.instant().getEpochSecond())))
                .build()).build();
    }

    private static Map<String, AttributeValue> claimItem(Event event) {
        return event.expiresAt() == null
                ? Map.of(CLAIM_HASH, EventItems.s(event.hash()), CLAIM_EVENT_ID, EventItems.s(event.id()))
                : Map.of(CLAIM_HASH, EventItems.s(event.hash()), CLAIM_EVENT_ID, EventItems.s(event.id()),
                        EventItems.EXPIRES_AT, EventItems.n(event.expiresAt()));
    }

    /**
     * Runs a transaction, retrying it while it is cancelled only by conflicts with concurrent transactions on
     * the same items (which tell nothing about the outcome). A cancellation for a failed condition is thrown for
     * the caller to read. {@code token}, when given, makes SDK-level retries of the same call idempotent.
     */
    private void transact(List<TransactWriteItem> actions, String token) {
        for (int attempt = 1; ; attempt++) {
            try {
                dynamoDb.transactWriteItems(r -> r.transactItems(actions).clientRequestToken(token));
                return;
            } catch (TransactionCanceledException e) {
                boolean onlyConflicts = e.hasCancellationReasons() && e.cancellationReasons().stream()
                        .noneMatch(reason -> CONDITIONAL_CHECK_FAILED.equals(reason.code()))
                        && e.cancellationReasons().stream().anyMatch(reason -> "TransactionConflict".equals(reason.code()));
                if (!onlyConflicts || attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
                backOff(attempt);
            }
        }
    }

    private static boolean failed(List<CancellationReason> reasons, int index) {
        return reasons != null && reasons.size() > index && CONDITIONAL_CHECK_FAILED.equals(reasons.get(index).code());
    }

    /** Spreads the retries of writers that collided. */
    private static final Backoff COLLISIONS = Backoff.of(java.time.Duration.ofMillis(10), java.time.Duration.ofMillis(320));

    private static void backOff(int attempt) {
        if (!COLLISIONS.pause(attempt)) {
            throw new IllegalStateException("Interrupted while retrying a conflicting transaction");
        }
    }

    /** Builds a {@link DynamoDbEventStore}; the client and the three table names are required. */
    public static final class Builder {
        private DynamoDbClient dynamoDb;
        private String eventsTable;
        private String hashesTable;
        private TopicRegistry topics;
        private ProjectRegistry projects;
        private Clock clock = Clock.systemUTC();

        public Builder withDynamoDb(DynamoDbClient dynamoDb) {
            this.dynamoDb = dynamoDb;
            return this;
        }

        public Builder withEventsTable(String eventsTable) {
            this.eventsTable = eventsTable;
            return this;
        }

        public Builder withHashesTable(String hashesTable) {
            this.hashesTable = hashesTable;
            return this;
        }

        /** The registry of topics this store records every new topic in (shared with the container's queries). */
        public Builder withTopics(TopicRegistry topics) {
            this.topics = topics;
            return this;
        }

        /** The registry of projects this store records every project it stores an event in. */
        public Builder withProjects(ProjectRegistry projects) {
            this.projects = projects;
            return this;
        }

        public Builder withClock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public DynamoDbEventStore build() {
            return new DynamoDbEventStore(this);
        }
    }
}
