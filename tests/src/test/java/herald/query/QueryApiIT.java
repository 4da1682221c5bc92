package herald.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.testing.HeraldClient.Response;
import herald.testing.HeraldClient;
import herald.testing.LocalHeraldExtension;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Listing events over real HTTP: GraphQL's events(...) with every argument, Relay paging, and GET /api/events. */
@ExtendWith(LocalHeraldExtension.class)
class QueryApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FIELDS = "edges { node { id topic project user status description createdAt summary "
            + "payload } cursor } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }";
    private final HeraldClient api;
    private final String prefix = "q" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    QueryApiIT(HeraldClient api) {
        this.api = api;
    }

    private JsonNode events(String arguments) {
        return graphql("{ events(" + arguments + ") { " + FIELDS + " } }", null).get("data").get("events");
    }

    private JsonNode graphql(String query, ObjectNode variables) {
        ObjectNode body = JSON.createObjectNode().put("query", query);
        if (variables != null) {
            body.set("variables", variables);
        }
        Response response = api.post("/graphql", body.toString());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private String dispatch(String topic, String extra) {
        return api.dispatch("{\"topic\":\"" + topic + "\"" + extra + "}");
    }

    private static List<String> ids(JsonNode connection) {
        List<String> ids = new ArrayList<>();
        connection.get("edges").forEach(edge -> ids.add(edge.get("node").get("id").asText()));
        return ids;
    }

    @Test
    void pagesForwardAcrossPageBoundariesWhileEventsArrive() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            expected.add(dispatch(prefix + ".fwd", ""));
        }
        List<String> seen = new ArrayList<>();
        JsonNode page = events("topics: [\"" + prefix + ".fwd\"], first: 2");
        seen.addAll(ids(page));
        assertThat(page.get("pageInfo").get("hasNextPage").asBoolean()).isTrue();
        assertThat(page.get("pageInfo").get("hasPreviousPage").asBoolean()).isFalse();
        expected.add(dispatch(prefix + ".fwd", ""));
        expected.add(dispatch(prefix + ".fwd", ""));
        while (page.get("pageInfo").get("hasNextPage").asBoolean()) {
            page = events("topics: [\"" + prefix + ".fwd\"], first: 2, after: \""
                    + page.get("pageInfo").get("endCursor").asText() + "\"");
            assertThat(page.get("pageInfo").get("hasPreviousPage").asBoolean()).isTrue();
            seen.addAll(ids(page));
        }
        assertThat(seen).containsExactlyElementsOf(expected);
    }

    @Test
    void pagesBackwardFromTheNewestWhileEventsArrive() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            expected.add(dispatch(prefix + ".back", ""));
        }
        JsonNode page = events("topics: [\"" + prefix + ".back\"], last: 2");
        assertThat(ids(page)).containsExactlyElementsOf(expected.subList(3, 5));
        List<String> seen = new ArrayList<>(ids(page));
        dispatch(prefix + ".back", "");
        while (page.get("pageInfo").get("hasPreviousPage").asBoolean()) {
            page = events("topics: [\"" + prefix + ".back\"], last: 2, before: \""
                    + page.get("pageInfo").get("startCursor").asText() + "\"");
            assertThat(page.get("pageInfo").get("hasNextPage").asBoolean()).isTrue();
            seen.addAll(0, ids(page));
        }
        assertThat(seen).containsExactlyElementsOf(expected);
    }

    @Test
    void wildcardTopicsSpanEveryMatchingTopicInCreationOrder() {
        String a = dispatch(prefix + ".alpha", "");
        String b = dispatch(prefix + ".beta", "");
        String c = dispatch(prefix + ".abc", "");
        dispatch(prefix + "x.alpha", "");
        assertThat(ids(events("topics: [\"" + prefix + ".a*\"]"))).containsExactly(a, c);
        assertThat(ids(events("topics: [\"" + prefix + ".*\"]"))).containsExactly(a, b, c);
        assertThat(ids(events("topics: [\"" + prefix + ".beta\", \"" + prefix + ".ab*\"], last: 1"))).containsExactly(c);
    }

    @Test
    void filtersByIdsProjectsUsersStatusesAndText() {
        String p1 = dispatch(prefix + ".f", ",\"project\":\"" + prefix + "_one\",\"description\":\"has a needle in it\"");
        String p2 = dispatch(prefix + ".f", ",\"project\":\"" + prefix + "_two\",\"finished\":false");
        String p3 = dispatch(prefix + ".f", "");
        api.patch("/api/events/" + p3, "{\"user\":\"someone\"}");
        String topic = "topics: [\"" + prefix + ".f\"], ";
        assertThat(ids(events("ids: [\"" + p3 + "\", \"" + p1 + "\", \"0123456789abcdef0123456789abcdef\"]")))
                .containsExactly(p1, p3);
        assertThat(ids(events("projects: [\"" + prefix + "_two\", \"" + prefix + "_one\"]"))).containsExactly(p1, p2);
        assertThat(ids(events(topic + "projects: [\"" + prefix + "_two\"]"))).containsExactly(p2);
        assertThat(ids(events(topic + "users: [\"someone\"]"))).containsExactly(p3);
        assertThat(ids(events(topic + "statuses: [\"pending\"]"))).containsExactly(p2);
        assertThat(ids(events(topic + "states: [\"finished\"]"))).containsExactly(p1, p3);
        assertThat(ids(events(topic + "filter: \"NEEDLE\""))).containsExactly(p1);
        assertThat(ids(events(topic + "statuses: []"))).isEmpty();
        JsonNode node = events("ids: [\"" + p1 + "\"]").get("edges").get(0).get("node");
        assertThat(node.get("summary").asText()).isEqualTo("{}");
        assertThat(node.get("payload").isNull()).isTrue();
        assertThat(node.get("project").asText()).isEqualTo(prefix + "_one");
    }

    @Test
    void hasChildrenTellsSourcesWithJobsFromTheRest() {
        String source = dispatch(prefix + ".src", "");
        String lonely = dispatch(prefix + ".src", "");
        dispatch(prefix + ".job", ",\"dependsOn\":\"" + source + "\"");
        assertThat(ids(events("topics: [\"" + prefix + ".src\"], hasChildren: true"))).containsExactly(source);
        assertThat(ids(events("topics: [\"" + prefix + ".src\"], hasChildren: false"))).containsExactly(lonely);
    }

    @Test
    void timeBoundsAcceptAnyOffset() {
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            made.add(dispatch(prefix + ".time", ""));
        }
        JsonNode all = events("topics: [\"" + prefix + ".time\"]");
        String second = all.get("edges").get(1).get("node").get("createdAt").asText();
        String inPlusTwo = OffsetDateTime.parse(second).withOffsetSameInstant(ZoneOffset.ofHours(2)).toString();
        assertThat(ids(events("topics: [\"" + prefix + ".time\"], newerThan: \"" + inPlusTwo + "\"")))
                .containsExactly(made.get(2));
        assertThat(ids(events("topics: [\"" + prefix + ".time\"], olderThan: \"" + inPlusTwo + "\"")))
                .containsExactly(made.get(0));
        assertThat(ids(events("topics: [\"" + prefix + ".time\"], newerThan: \"2000-01-01T00:00:00-05:00\", "
                + "olderThan: \"2999-01-01\""))).containsExactlyElementsOf(made);
    }

    /**
     * Ayon answers an empty or inverted range, a start in the future and an end before every event with an empty
     * list (its client sends equal bounds for "this instant"); so does Herald, on GraphQL and REST. A malformed time
     * is still refused, naming the argument.
     */
    @Test
    void emptyInvertedAndOutOfReachRangesAreEmptyPages() {
        String made = dispatch(prefix + ".range", "");
        String at = api.get("/api/events/" + made).json().get("createdAt").asText();
        String topics = "topics: [\"" + prefix + ".range\"], ";
        for (String range : List.of("newerThan: \"" + at + "\", olderThan: \"" + at + "\"",
                "newerThan: \"2026-01-02T00:00:00Z\", olderThan: \"2026-01-01T00:00:00Z\"",
                "newerThan: \"2999-01-01T00:00:00Z\"", "olderThan: \"2000-01-01T00:00:00Z\"")) {
            JsonNode answer = graphql("{ events(" + topics + range + ") { " + FIELDS + " } }", null);
            assertThat(answer.has("errors")).as(range + ": " + answer).isFalse();
            assertThat(ids(answer.get("data").get("events"))).as(range).isEmpty();
        }
        String encoded = java.net.URLEncoder.encode(at, java.nio.charset.StandardCharsets.UTF_8);
        for (String range : List.of("newerThan=" + encoded + "&olderThan=" + encoded,
                "newerThan=2026-01-02T00:00:00Z&olderThan=2026-01-01T00:00:00Z", "newerThan=2999-01-01T00:00:00Z")) {
            Response response = api.get("/api/events?topics=" + prefix + ".range&" + range);
            assertThat(response.status()).as(range + ": " + response.body()).isEqualTo(200);
            assertThat(response.json().get("events")).as(range).isEmpty();
        }
        Response malformed = api.get("/api/events?newerThan=yesterday");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("detail").asText()).contains("newerThan");
        JsonNode refused = graphql("{ events(newerThan: \"yesterday\") { " + FIELDS + " } }", null);
        assertThat(refused.get("errors").toString()).contains("newerThan");
    }

    @Test
    void logsAreLeftOutUnlessAskedForOrNamed() {
        String log = dispatch("log." + prefix, "");
        String plain = dispatch(prefix + ".plain", "");
        String ids = "ids: [\"" + log + "\", \"" + plain + "\"]";
        assertThat(ids(events(ids))).containsExactly(plain);
        assertThat(ids(events(ids + ", includeLogs: true"))).containsExactly(log, plain);
        assertThat(ids(events("topics: [\"log." + prefix + "\"]"))).containsExactly(log);
        assertThat(ids(events("last: 2000"))).contains(plain).doesNotContain(log);
    }

    @Test
    void badQueriesGetGraphqlErrorsNotServerErrors() {
        assertThat(graphql("{ events(first: 2 { edges } }", null).get("errors").get(0).get("message").asText())
                .contains("Invalid syntax");
        assertThat(graphql("{ events { nope } }", null).get("errors").get(0).get("message").asText()).contains("nope");
        assertThat(graphql("{ events(topics: [\"bad topic\"]) { edges { cursor } } }", null)
                .get("errors").get(0).get("message").asText()).startsWith("Invalid topic 'bad topic'");
        assertThat(graphql("{ events(newerThan: \"yesterday\") { edges { cursor } } }", null)
                .get("errors").get(0).get("message").asText()).startsWith("newerThan must be an ISO-8601 time");
        assertThat(graphql("{ events(after: \"bogus\") { edges { cursor } } }", null)
                .get("errors").get(0).get("message").asText()).startsWith("after is not a cursor");
        assertThat(graphql("{ events(first: 1, last: 1) { edges { cursor } } }", null)
                .get("errors").get(0).get("message").asText()).contains("not both");
        assertThat(api.post("/graphql", "{\"variables\":{}}").status()).isEqualTo(400);
        assertThat(api.withoutKey().post("/graphql", "{\"query\":\"{ events { edges { cursor } } }\"}").status()).isEqualTo(401);
    }

    @Test
    void restListingPagesNewestFirstWithAnOpaqueCursor() {
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            made.add(dispatch(prefix + ".rest", ""));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            Response response = api.get("/api/events?topics=" + prefix + ".rest&limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(response.status()).isEqualTo(200);
            response.json().get("events").forEach(e -> seen.add(e.get("id").asText()));
            cursor = response.json().get("cursor").isNull() ? null : response.json().get("cursor").asText();
        } while (cursor != null);
        List<String> newestFirst = new ArrayList<>(made);
        java.util.Collections.reverse(newestFirst);
        assertThat(seen).containsExactlyElementsOf(newestFirst);
        assertThat(api.get("/api/events?topics=" + prefix + ".rest&limit=x").status()).isEqualTo(400);
        assertThat(api.get("/api/events?includeLogs=maybe").status()).isEqualTo(400);
        assertThat(api.get("/api/events?cursor=zzz").status()).isEqualTo(400);
        assertThat(api.get("/api/events?limit=5000").status()).isEqualTo(400);
    }
}
