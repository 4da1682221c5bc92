package herald.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import herald.testing.HeraldClient;
import herald.testing.HeraldClient.Response;
import herald.testing.LocalHeraldExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one soft-delete scheme (docs/api.md, "Deleting and restoring"), held for every resource that has it: the same
 * requests answer the same way for API keys, event scripts, scripted services and triggers.
 */
@ExtendWith(LocalHeraldExtension.class)
class SoftDeleteIT {

    private final HeraldClient api;

    SoftDeleteIT(HeraldClient api) {
        this.api = api;
    }

    private static String body(String resource, String name) {
        switch (resource) {
            case "api_key":
                return "{\"name\":\"" + name + "\",\"role\":\"user\"}";
            case "trigger":
                return "{\"name\":\"" + name + "\",\"filter\":{\"event\":\"softdelete.never\"},"
                        + "\"action\":{\"type\":\"notify\",\"users\":[\"nobody\"]}}";
            default:
                return "{\"name\":\"" + name + "\",\"content\":\"return 1;\"}";
        }
    }

    private static List<String> names(Response listing) {
        List<String> names = new ArrayList<>();
        listing.json().get("resource").forEach(r -> names.add(r.get("name").asText()));
        return names;
    }

    @ParameterizedTest
    @ValueSource(strings = {"api_key", "event_script", "service", "trigger"})
    void deletingIsSoftRestorableAndPurgedForGoodAlikeForEveryResource(String resource) {
        String base = "/api/v2/system/" + resource;
        String unique = UUID.randomUUID().toString().substring(0, 8);
        String name = resource.equals("event_script") ? "softdelete" + unique + ".get.pre_process" : "softdelete-" + unique;
        String path = base + "/" + name;
        Response created = api.post(base, body(resource, name));
        assertThat(created.status()).as(created.body()).isEqualTo(201);

        assertThat(api.delete(path).status()).isBetween(200, 204);
        assertThat(api.get(path).status()).as("a deleted record is not found").isEqualTo(404);
        JsonNode shown = api.get(path + "?include_deleted=true").json();
        assertThat(shown.get("name").asText()).isEqualTo(name);
        assertThat(shown.hasNonNull("deleted_date")).isTrue();
        assertThat(names(api.get(base))).doesNotContain(name);
        assertThat(names(api.get(base + "?include_deleted=TRUE"))).contains(name);
        assertThat(api.delete(path).status()).as("deleting it again").isEqualTo(404);

        Response restored = api.post(path + "/restore", "");
        assertThat(restored.status()).as(restored.body()).isEqualTo(200);
        assertThat(restored.json().has("deleted_date")).isFalse();
        assertThat(api.get(path).status()).isEqualTo(200);
        assertThat(names(api.get(base))).contains(name);
        assertThat(api.post(path + "/restore", "").status()).as("restoring a live record").isEqualTo(409);
        Response taken = api.post(base, body(resource, name));
        assertThat(taken.status()).as("a live record's name is taken").isEqualTo(409);
        assertThat(taken.json().get("detail").asText()).contains(name);

        assertThat(api.delete(path).status()).isBetween(200, 204);
        assertThat(api.delete(path + "?purge=true").status()).as("purging a deleted record").isBetween(200, 204);
        assertThat(api.get(path + "?include_deleted=true").status()).isEqualTo(404);
        assertThat(api.post(path + "/restore", "").status()).isEqualTo(404);
        assertThat(api.post(base, body(resource, name)).status()).as("the name is free again").isEqualTo(201);
        assertThat(api.delete(path).status()).isBetween(200, 204);
        assertThat(api.post(base, body(resource, name)).status()).as("a new record takes a deleted one's name")
                .isEqualTo(201);
        assertThat(api.get(path).json().has("deleted_date")).isFalse();
        assertThat(api.delete(path + "?purge=true").status()).as("purging a live record").isBetween(200, 204);
        assertThat(api.get(path + "?include_deleted=true").status()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"admin", "user"})
    void aDeletedKeyFailsAtOnceAndARestoredOneWorksAgain(String role) {
        String name = "softdelete-key-" + UUID.randomUUID().toString().substring(0, 8);
        Response created = api.post("/api/v2/system/api_key", "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}");
        assertThat(created.status()).isEqualTo(201);
        HeraldClient holder = api.withKey(created.json().get("key").asText());
        // an uncached route (the cache routes' authorizer has no result cache), so the answer is the key's state now
        assertThat(holder.get("/api/users/me").status()).isEqualTo(200);
        assertThat(api.delete("/api/v2/system/api_key/" + name).status()).isEqualTo(204);
        assertThat(holder.delete("/api/v2/system/cache").status()).isEqualTo(401);
        assertThat(api.post("/api/v2/system/api_key/" + name + "/restore", "").status()).isEqualTo(200);
        assertThat(holder.delete("/api/v2/system/cache").status()).isEqualTo(role.equals("admin") ? 200 : 403);
        assertThat(api.delete("/api/v2/system/api_key/" + name + "?purge=true").status()).isEqualTo(204);
    }
}
