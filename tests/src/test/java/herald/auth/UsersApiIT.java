package herald.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import herald.testing.ApiKeys;
import herald.testing.AyonQueries;
import herald.testing.HeraldClient.Response;
import herald.testing.HeraldClient;
import herald.testing.LocalHeraldExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Herald's users, as Ayon's client reads them ({@code get_user}, {@code get_users}): the API keys' names. */
@ExtendWith(LocalHeraldExtension.class)
class UsersApiIT {

    private final HeraldClient admin;

    UsersApiIT(HeraldClient admin) {
        this.admin = admin;
    }

    @Test
    void managersListEveryUserAndAUserKeyOnlyItself() {
        String service = ApiKeys.uniqueName("users-svc");
        String person = ApiKeys.uniqueName("users-person");
        String serviceKey = ApiKeys.create(admin, service, "service", null);
        String personKey = ApiKeys.create(admin, person, "user", List.of("alpha"));

        for (HeraldClient manager : List.of(admin, admin.withKey(serviceKey))) {
            Response listed = manager.get("/api/users");
            assertThat(listed.status()).as(listed.body()).isEqualTo(200);
            List<String> names = new ArrayList<>();
            listed.json().get("users").forEach(user -> names.add(user.get("name").asText()));
            assertThat(names).contains("admin", service, person);
            assertThat(listed.json().get("count").asInt()).isEqualTo(names.size());
            assertThat(listed.body()).doesNotContain(serviceKey, personKey, "hk_", "hash", "prefix");
        }
        Response own = admin.withKey(personKey).get("/api/users");
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.json().get("count").asInt()).isEqualTo(1);
        assertThat(own.json().get("users").get(0).get("name").asText()).isEqualTo(person);
    }

    @Test
    void aUserReadsAsAyonDescribesOne() {
        String person = ApiKeys.uniqueName("users-one");
        String key = ApiKeys.create(admin, person, "user", List.of("alpha", "beta"));
        JsonNode user = admin.get("/api/users/" + person).json();
        assertThat(user.get("name").asText()).isEqualTo(person);
        assertThat(user.get("active").asBoolean()).isTrue();
        assertThat(user.get("attrib").isObject()).isTrue();
        assertThat(user.get("data").get("accessGroups").toString())
                .isEqualTo("{\"alpha\":[\"user\"],\"beta\":[\"user\"]}");
        assertThat(user.get("isAdmin").asBoolean()).isFalse();
        assertThat(user.get("isManager").asBoolean()).isFalse();
        assertThat(user.get("isGuest").asBoolean()).isFalse();
        assertThat(user.hasNonNull("createdAt")).isTrue();
        assertThat(user.toString()).doesNotContain(key);
        // the user key reads itself; the deployment's key is the user admin
        assertThat(admin.withKey(key).get("/api/users/" + person).status()).isEqualTo(200);
        assertThat(admin.get("/api/users/admin").json().get("isAdmin").asBoolean()).isTrue();

        assertThat(admin.patch("/api/v2/system/api_key/" + person, "{\"revoked\":true}").status()).isEqualTo(200);
        assertThat(admin.get("/api/users/" + person).json().get("active").asBoolean()).isFalse();
    }

    @Test
    void unknownUsersAndOtherUsersAreRefusedWithWhatToFix() {
        String person = ApiKeys.uniqueName("users-nosy");
        String key = ApiKeys.create(admin, person, "user", null);
        assertError(admin.get("/api/users/nobody-" + person), 404, "No user");
        assertError(admin.get("/api/users/" + "x".repeat(1100)), 404, "No user");
        // for a user key, another user is one that does not exist: it learns no names
        assertError(admin.withKey(key).get("/api/users/admin"), 404, "sees only its own user");
    }

    @Test
    void ayonsClientListsUsersThroughGraphql() {
        String person = ApiKeys.uniqueName("users-gql");
        String key = ApiKeys.create(admin, person, "user", List.of("alpha"));

        Response found = admin.post("/graphql", AyonQueries.users("[\"" + person + "\",\"nobody-" + person + "\"]"));
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.json().has("errors")).as(found.body()).isFalse();
        JsonNode edges = found.json().at("/data/users/edges");
        assertThat(edges).hasSize(1);
        JsonNode user = edges.get(0).get("node");
        assertThat(user.get("name").asText()).isEqualTo(person);
        assertThat(user.get("accessGroups").asText()).isEqualTo("{\"alpha\":[\"user\"]}");
        assertThat(user.get("isManager").asBoolean()).isFalse();
        assertThat(user.get("apiKeyPreview").isNull()).isTrue();
        assertThat(user.at("/attrib/fullName").isNull()).isTrue();
        assertThat(found.body()).doesNotContain(key, "hk_");
        assertThat(found.json().at("/data/users/pageInfo/hasNextPage").asBoolean()).isFalse();

        // every user, a page at a time, by name
        Response firstPage = admin.post("/graphql", "{\"query\":\"{ users(first: 1) { edges { node { name } } "
                + "pageInfo { endCursor hasNextPage } } }\"}");
        assertThat(firstPage.json().at("/data/users/edges/0/node/name").asText()).isEqualTo("admin");
        assertThat(firstPage.json().at("/data/users/pageInfo/hasNextPage").asBoolean()).isTrue();
        String cursor = firstPage.json().at("/data/users/pageInfo/endCursor").asText();
        Response secondPage = admin.post("/graphql", "{\"query\":\"{ users(first: 1, after: \\\"" + cursor
                + "\\\") { edges { node { name } } } }\"}");
        assertThat(secondPage.json().at("/data/users/edges/0/node/name").asText()).as(secondPage.body())
                .isNotEqualTo("admin");

        // a user key sees only itself; a bad cursor is an error that says what to pass
        Response own = admin.withKey(key).post("/graphql", AyonQueries.users("null"));
        assertThat(own.json().at("/data/users/edges")).hasSize(1);
        assertThat(own.json().at("/data/users/edges/0/node/name").asText()).isEqualTo(person);
        Response bad = admin.post("/graphql",
                "{\"query\":\"{ users(after: \\\"nope\\\") { edges { node { name } } } }\"}");
        assertThat(bad.json().at("/errors/0/message").asText()).contains("not a cursor this API gave out");
    }

    private static void assertError(Response response, int status, String detail) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.json().get("code").asInt()).isEqualTo(status);
        assertThat(response.json().get("detail").asText()).contains(detail);
    }
}
