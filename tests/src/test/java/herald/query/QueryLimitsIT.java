package herald.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import herald.testing.HeraldClient.Response;
import herald.testing.HeraldClient;
import herald.testing.LocalHeraldExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A GraphQL request costs what its limits allow, whatever it asks: each over-limit request is an error naming it. */
@ExtendWith(LocalHeraldExtension.class)
class QueryLimitsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HeraldClient api;

    QueryLimitsIT(HeraldClient api) {
        this.api = api;
    }

    private Response graphql(String query) {
        return api.post("/graphql", JSON.createObjectNode().put("query", query).toString());
    }

    private static String firstError(Response response) {
        return response.json().get("errors").get(0).get("message").asText();
    }

    @Test
    void manyAliasesOfALargePageAreRefusedBeforeAnythingIsRead() {
        StringBuilder query = new StringBuilder("{");
        for (int i = 0; i < 850; i++) {
            query.append(" a").append(i).append(": events(last: 2000) { edges { node { id } } }");
        }
        Response response = graphql(query.append(" }").toString());
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("data").path("a0").isMissingNode()
                || response.json().path("data").isNull()).isTrue();
        assertThat(firstError(response)).containsAnyOf("characters long", "tokens", "asks for up to");
    }

    @Test
    void theEventsAskedForOverAllFieldsAreBounded() {
        Response response = graphql("{ a: events(last: 2000) { edges { node { id } } } "
                + "b: events(last: 2000) { edges { node { id } } } c: events(first: 10) { edges { node { id } } } }");
        assertThat(firstError(response)).contains("asks for up to 4010 events").contains("at most 4000");
    }

    @Test
    void aChainOfFragmentsIsRefusedByItsSize() {
        StringBuilder query = new StringBuilder("{ events(last: 1) { ...f0 } }");
        for (int i = 0; i < 1000; i++) {
            query.append(" fragment f").append(i).append(" on EventsConnection { ...f").append(i + 1).append(" }");
        }
        query.append(" fragment f1000 on EventsConnection { edges { node { id } } }");
        Response response = graphql(query.toString());
        assertThat(firstError(response)).containsAnyOf("characters long", "tokens");
    }

    @Test
    void aDeepQueryIsRefusedByItsDepth() {
        assertThat(graphql("{ events(last: 1) { edges { node { id } } pageInfo { hasNextPage } } }").json()
                .has("errors")).isFalse();
        Response deep = graphql("{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType "
                + "{ name } } } } } } } } } }");
        assertThat(firstError(deep)).containsAnyOf("nested", "deep");
    }
}
