package herald.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import herald.local.LocalHerald;
import herald.testing.ApiKeys;
import herald.testing.HeraldClient;
import herald.testing.LocalHeraldExtension;
import herald.testing.SocketClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * WebSocket resume end to end: a client that comes back with {@code since} (a cursor from an event message, or a
 * time) receives what it missed in creation order, then live events, none missing and none twice, while events
 * keep being dispatched across the seam. The test runtime's {@code ResumeMaxEvents} is 40.
 */
@ExtendWith(LocalHeraldExtension.class)
class ResumeIT {

    private static final int MAX_EVENTS = 40;
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final HeraldClient api;
    private final LocalHerald herald;
    private final String prefix = "rs" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    ResumeIT(HeraldClient api, LocalHerald herald) {
        this.api = api;
        this.herald = herald;
    }

    @Test
    void aClientResumesFromACursorWithNothingMissingOrTwiceAcrossTheSeam() throws Exception {
        SocketClient live = SocketClient.subscribed(herald, LocalHeraldExtension.API_KEY, prefix, 1);
        List<String> seen = dispatch("seen", 3);
        JsonNode last = live.next(seen.get(2));
        live.close();
        String cursor = last.get("cursor").asText();

        List<String> expected = new ArrayList<>(dispatch("missed", 12));
        // more events arrive while the client resumes: some are read from the index, some held for it at the seam
        CompletableFuture<List<String>> during = CompletableFuture.supplyAsync(() -> dispatch("during", 15));
        SocketClient resumed = SocketClient.connect(herald, "");
        resumed.send(auth(LocalHeraldExtension.API_KEY, prefix, cursor, null));
        expected.addAll(during.get());
        expected.addAll(dispatch("after", 3));

        await("every missed and later event").atMost(PATIENCE).until(() -> created(resumed).size() >= expected.size());
        String marker = dispatch("marker", 1).get(0);
        resumed.next(marker);
        List<String> received = created(resumed);
        received.remove(marker);
        // the missed events first, in creation order; then those that arrived meanwhile, each once (in the order
        // the stream brings them: DynamoDB Streams orders each item's changes, not different items')
        assertThat(received.subList(0, 12)).as("the replay, in creation order").containsExactlyElementsOf(expected.subList(0, 12));
        assertThat(received).as("each once, nothing from before the cursor").containsExactlyInAnyOrderElementsOf(expected);
        assertThat(resumed.all).filteredOn(m -> m.has("cursor") && m.has("id")).allSatisfy(m -> assertThat(m.get("store").asBoolean()).isTrue());
        // what came before live delivery came in replay frames, many events to a message, the missed ones first
        assertThat(resumed.frames).isNotEmpty();
        assertThat(resumed.frames.get(0).get("events").get(0).get("id").asText()).isEqualTo(expected.get(0));
        assertThat(resumed.frames.get(0).get("events").size()).isGreaterThanOrEqualTo(12);
    }

    @Test
    void aClientResumesFromATime() throws Exception {
        dispatch("before", 2);
        Instant since = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        waitPast(since);
        List<String> missed = dispatch("missed", 4);
        SocketClient resumed = SocketClient.connect(herald, "");
        resumed.send(auth(LocalHeraldExtension.API_KEY, prefix, since.toString(), null));
        await("the events created since " + since).atMost(PATIENCE).until(() -> created(resumed).size() >= missed.size());
        String liveOne = dispatch("live", 1).get(0);
        resumed.next(liveOne);
        List<String> expected = new ArrayList<>(missed);
        expected.add(liveOne);
        assertThat(created(resumed)).containsExactlyElementsOf(expected);
    }

    @Test
    void moreThanResumeMaxEventsIsAResyncWithTheOldestCursorThatWouldResume() throws Exception {
        SocketClient live = SocketClient.subscribed(herald, LocalHeraldExtension.API_KEY, prefix, 1);
        String first = dispatch("first", 1).get(0);
        String cursor = live.next(first).get("cursor").asText();
        List<String> missed = dispatch("missed", MAX_EVENTS + 5);
        // the fan-out has handled them all (a resync goes on with the events the fan-out hands the connection after)
        missed.forEach(id -> {
            try {
                live.next(id);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });

        SocketClient resumed = SocketClient.connect(herald, "");
        resumed.send(auth(LocalHeraldExtension.API_KEY, prefix, cursor, null));
        JsonNode resync = resumed.next();
        assertThat(resync.get("topic").asText()).isEqualTo("resync");
        assertThat(resync.size()).isEqualTo(2);
        String liveOne = dispatch("live", 1).get(0);
        resumed.next(liveOne);
        assertThat(created(resumed)).as("no replay, then live delivery").containsExactly(liveOne);

        // from the resync's cursor, a resume gives the newest ResumeMaxEvents events
        SocketClient again = SocketClient.connect(herald, "");
        again.send(auth(LocalHeraldExtension.API_KEY, prefix + ".missed", resync.get("cursor").asText(), null));
        List<String> newest = new ArrayList<>(missed.subList(missed.size() - MAX_EVENTS, missed.size()));
        await("the newest events").atMost(PATIENCE).until(() -> created(again).size() >= newest.size());
        String liveMissed = dispatch("missed", 1).get(0);
        again.next(liveMissed);
        newest.add(liveMissed);
        assertThat(created(again)).containsExactlyElementsOf(newest);
    }

    @Test
    void aSinceOlderThanResumeMaxAgeIsAResync() throws Exception {
        SocketClient resumed = SocketClient.connect(herald, "");
        Instant threeHoursAgo = Instant.now().minus(Duration.ofHours(3));
        resumed.send(auth(LocalHeraldExtension.API_KEY, prefix, threeHoursAgo.toString(), null));
        JsonNode resync = resumed.next();
        assertThat(resync.get("topic").asText()).isEqualTo("resync");
        String position = new String(Base64.getUrlDecoder().decode(resync.get("cursor").asText()), StandardCharsets.UTF_8);
        Instant oldest = Instant.parse(position.substring(0, position.indexOf('#')).replace("+00:00", "Z"));
        assertThat(oldest).as("two hours back, the template's default").isBetween(
                threeHoursAgo.plus(Duration.ofMinutes(50)), Instant.now().minus(Duration.ofMinutes(110)));
        String liveOne = dispatch("live", 1).get(0);
        assertThat(resumed.next(liveOne).has("cursor")).isTrue();
    }

    @Test
    void aResumeOnlyReplaysWhatTheKeysProjectsAndTheSubscribedProjectAdmit() throws Exception {
        String mine = prefix + "_mine";
        String other = prefix + "_other";
        String limitedKey = ApiKeys.create(api, ApiKeys.uniqueName("resumer"), "user", List.of(mine));
        Instant since = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        waitPast(since);
        String inMine = dispatchIn(mine, "a");
        String inOther = dispatchIn(other, "b");
        String inNone = dispatchIn(null, "c");

        SocketClient limited = SocketClient.connect(herald, "");
        limited.send(auth(limitedKey, prefix, since.toString(), null));
        SocketClient subscribedToOther = SocketClient.connect(herald, "");
        subscribedToOther.send(auth(LocalHeraldExtension.API_KEY, prefix, since.toString(), other));
        String marker = dispatchIn(null, "marker");
        limited.next(marker);
        subscribedToOther.next(marker);
        assertThat(created(limited)).containsExactly(inMine, inNone, marker);
        assertThat(created(subscribedToOther)).containsExactly(inOther, inNone, marker);
    }

    @Test
    void aMalformedSinceIsAnErrorMessageAndSubscribesNothing() throws Exception {
        SocketClient client = SocketClient.connect(herald, "");
        client.send(auth(LocalHeraldExtension.API_KEY, prefix, "not-a-cursor!", null));
        JsonNode error = client.next();
        assertThat(error.get("topic").asText()).isEqualTo("error");
        assertThat(error.get("code").asInt()).isEqualTo(400);
        assertThat(error.get("detail").asText()).contains("since must be the cursor of an event message")
                .contains("ISO-8601");

        client.send(auth(LocalHeraldExtension.API_KEY, prefix, "2026-13-45T99:00:00+00:00", null));
        assertThat(client.next().get("detail").asText()).contains("not '2026-13-45T99:00:00+00:00'");
        // a cursor that decodes to something else than a position is no cursor either
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString("name#someone".getBytes(StandardCharsets.UTF_8));
        client.send(auth(LocalHeraldExtension.API_KEY, prefix, forged, null));
        assertThat(client.next().get("code").asInt()).isEqualTo(400);

        // fixed, the same connection resumes
        client.send(auth(LocalHeraldExtension.API_KEY, prefix, Instant.now().minusSeconds(1).toString(), null));
        String liveOne = dispatch("live", 1).get(0);
        client.next(liveOne);
        assertThat(created(client)).containsExactly(liveOne);
    }

    private static String auth(String key, String topic, String since, String project) {
        return "{\"topic\":\"auth\",\"token\":\"" + key + "\",\"subscribe\":[\"" + topic + "\"],\"since\":\"" + since
                + "\"" + (project == null ? "" : ",\"project\":\"" + project + "\"") + "}";
    }

    /** Dispatches {@code count} events one after another (so creation order is dispatch order); their ids. */
    private List<String> dispatch(String name, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(api.dispatch("{\"topic\":\"" + prefix + "." + name + "\",\"summary\":{\"n\":" + i + "}}"));
        }
        return ids;
    }

    private String dispatchIn(String project, String name) {
        return api.dispatch("{\"topic\":\"" + prefix + "." + name + "\""
                + (project == null ? "" : ",\"project\":\"" + project + "\"") + "}");
    }

    /** The ids of the created stored events the client received, in the order received. */
    private static List<String> created(SocketClient client) {
        List<String> ids = new ArrayList<>();
        for (JsonNode message : client.all) {
            if (message.has("cursor") && message.has("id")) {
                ids.add(message.get("id").asText());
            }
        }
        return ids;
    }

    /** Returns once the clock has moved past {@code instant}, so that what is created next is after it. */
    private static void waitPast(Instant instant) {
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(1)).until(() -> Instant.now().isAfter(instant.plusMillis(1)));
    }
}
