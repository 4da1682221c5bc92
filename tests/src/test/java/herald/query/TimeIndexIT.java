package herald.query;

import static org.assertj.core.api.Assertions.assertThat;

import herald.auth.Principal;
import herald.auth.Role;
import herald.events.Event;
import herald.events.EventItems;
import herald.events.EventStatus;
import herald.events.EventsTable;
import herald.events.TopicRegistry;
import herald.kernel.Json;
import herald.local.LocalHerald;
import herald.testing.ApiKeys;
import herald.testing.HeraldClient;
import herald.testing.LocalHeraldExtension;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A listing without topics or projects reads the {@code byTime} index (a registered day at a time, each a merge of its
 * sixteen shards), so what it reads does not grow with the number of topics; events from before the index began are
 * still listed, in order, through their topics, and cursors page across that boundary.
 */
@ExtendWith(LocalHeraldExtension.class)
class TimeIndexIT {

    private static final Principal ADMIN = new Principal("admin", Role.ADMIN, null);

    private final LocalHerald herald;
    private final HeraldClient admin;
    private final TopicRegistry topics;
    private final QueryStore store;
    private final String table;
    private final String prefix = "time" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);

    TimeIndexIT(LocalHerald herald, HeraldClient admin) {
        this.herald = herald;
        this.admin = admin;
        var environment = herald.functionEnvironment("QueryFunction");
        this.table = environment.get("EVENTS_TABLE");
        this.topics = new TopicRegistry(herald.dynamoDb(), environment.get("TOPICS_TABLE"));
        this.store = new QueryStore(herald.dynamoDb(), table, topics);
    }

    private static EventQuery newest(String user, Instant since, int last) {
        return new EventQuery(null, null, null, List.of(user), null, null, since, null, null, false, null, null, last,
                null);
    }

    private static EventQuery oldest(String user, Instant since, int first, String after) {
        return new EventQuery(null, null, null, List.of(user), null, null, since, null, null, false, first, after, null,
                null);
    }

    @Test
    void theNewestEventsAcrossTopicsCostTheSameWithFortyTopicsOrWithTwoHundredMore() {
        String user = ApiKeys.uniqueName(prefix);
        HeraldClient service = admin.withKey(ApiKeys.create(admin, user, "service", null));
        Instant start = Instant.now();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(0, service.dispatch("{\"topic\":\"" + prefix + ".t" + i + "\"}"));
        }
        List<String> newestTen = new ArrayList<>(ids.subList(0, 10));
        java.util.Collections.reverse(newestTen); // a page is in creation order
        QueryStore.Page page = store.find(newest(user, start, 10), ADMIN);
        assertThat(page.events()).extracting(Event::id).containsExactlyElementsOf(newestTen);
        assertThat(page.hasPrevious()).isTrue();
        long read = page.itemsRead();

        for (int i = 0; i < 200; i++) {
            topics.remember(prefix + ".idle" + i);
        }
        QueryStore.Page again = store.find(newest(user, start, 10), ADMIN);
        assertThat(again.events()).extracting(Event::id).containsExactlyElementsOf(newestTen);
        assertThat(again.itemsRead()).as("flat in the number of topics").isEqualTo(read);
        assertThat(read).as("sixteen shards' first pages, not every topic's").isLessThanOrEqualTo(16 * 17);
    }

    @Test
    void eventsFromBeforeTheIndexBeganAreListedInOrderAndCursorsPageAcrossTheBoundary() {
        String user = ApiKeys.uniqueName(prefix);
        HeraldClient service = admin.withKey(ApiKeys.create(admin, user, "service", null));
        Instant start = Instant.now();
        service.dispatch("{\"topic\":\"" + prefix + ".first\"}");
        Event first = store.find(newest(user, start, 1), ADMIN).events().get(0);
        // as if the index began with this event (moved here so that what lies before it is only this test's)
        String original = topics.timeIndexSince().orElseThrow();
        String topicsTable = herald.functionEnvironment("QueryFunction").get("TOPICS_TABLE");
        setSince(topicsTable, EventItems.createdKey(first));
        try {
            // two events as the version before the index wrote them: no timeShard, created before it began
            List<String> expected = new ArrayList<>();
            for (int i = 2; i >= 1; i--) {
                Instant at = first.createdAt().minusMillis(i);
                String id = String.format("%032x", UUID.randomUUID().getMostSignificantBits() & Long.MAX_VALUE);
                Event old = new Event(id, "old-" + id, prefix + ".old", "s", "api", null, user, null,
                        EventStatus.FINISHED, 0, "", Json.MAPPER.createObjectNode(), Json.MAPPER.createObjectNode(), at,
                        at, null, null, null);
                var item = new HashMap<>(EventItems.toItem(old));
                item.remove(EventsTable.TIME_SHARD);
                topics.remember(old.topic());
                herald.dynamoDb().putItem(r -> r.tableName(table).item(item));
                expected.add(id);
            }
            expected.add(first.id());
            for (int i = 0; i < 3; i++) {
                expected.add(service.dispatch("{\"topic\":\"" + prefix + ".new" + i + "\"}"));
            }
            Instant from = first.createdAt().minusSeconds(1);
            // a container started now: it reads where the index begins afresh
            QueryStore store = new QueryStore(herald.dynamoDb(), table, new TopicRegistry(herald.dynamoDb(),
                    topicsTable));
            assertThat(store.find(oldest(user, from, 100, null), ADMIN).events()).extracting(Event::id)
                    .containsExactlyElementsOf(expected);
            assertThat(store.find(newest(user, from, 100), ADMIN).events()).extracting(Event::id)
                    .containsExactlyElementsOf(expected);
            List<String> paged = new ArrayList<>();
            String after = null;
            do {
                QueryStore.Page page = store.find(oldest(user, from, 3, after), ADMIN);
                page.events().forEach(e -> paged.add(e.id()));
                after = page.hasNext() ? Cursors.encode(EventItems.createdKey(page.events().get(page.events().size()
                        - 1))) : null;
            } while (after != null);
            assertThat(paged).as("three at a time, across the index's start").containsExactlyElementsOf(expected);
        } finally {
            setSince(topicsTable, original);
        }
    }

    private void setSince(String topicsTable, String since) {
        herald.dynamoDb().putItem(r -> r.tableName(topicsTable).item(java.util.Map.of(
                "scope", AttributeValue.fromS("meta"), "topic", AttributeValue.fromS("timeIndexSince"),
                "since", AttributeValue.fromS(since))));
    }
}
