package herald.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import herald.testing.AdjustableClock;
import herald.testing.ApiKeys;
import herald.testing.HeraldClient.Response;
import herald.testing.HeraldClient;
import herald.testing.LocalHeraldExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code /api/v2/system/api_key}: keys are made, shown once, used, limited, revoked, expired and deleted. */
@ExtendWith(LocalHeraldExtension.class)
class ApiKeysApiIT {

    private final HeraldClient admin;
    private final AdjustableClock gatewayClock;

    ApiKeysApiIT(HeraldClient admin, AdjustableClock gatewayClock) {
        this.admin = admin;
        this.gatewayClock = gatewayClock;
    }

    @Test
    void aNewKeyIsShownOnceAndWorksAsItsNamedUser() {
        String name = ApiKeys.uniqueName("svc");
        Response created = admin.post("/api/v2/system/api_key", "{\"name\":\"" + name + "\",\"role\":\"service\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String key = created.json().get("key").asText();
        assertThat(key).startsWith("hk_").hasSize(3 + 43);
        assertThat(created.json().get("key_prefix").asText()).isEqualTo(key.substring(0, 9));
        assertThat(created.json().get("status").asText()).isEqualTo("active");

        JsonNode read = admin.get("/api/v2/system/api_key/" + name).json();
        assertThat(read.has("key")).isFalse();
        assertThat(read.toString()).doesNotContain(key);
        assertThat(read.get("role").asText()).isEqualTo("service");
        assertThat(read.get("projects").isNull()).isTrue();
        assertThat(read.get("last_used_at").isNull()).isTrue();
        assertThat(admin.get("/api/v2/system/api_key").body()).contains(name).doesNotContain(key);

        HeraldClient service = admin.withKey(key);
        String id = service.dispatch("{\"topic\":\"it.keys\"}");
        assertThat(service.get("/api/events/" + id).json().get("user").asText()).isEqualTo(name);
        JsonNode me = service.get("/api/users/me").json();
        assertThat(me.get("name").asText()).isEqualTo(name);
        assertThat(me.get("isAdmin").asBoolean()).isFalse();
        assertThat(me.get("isManager").asBoolean()).isTrue();
        assertThat(admin.get("/api/v2/system/api_key/" + name).json().get("last_used_at").isNull()).isFalse();
    }

    @Test
    void aRevokedKeyFailsOnTheNextRequestEvenWhereTheGatewayCachedItsAnswer() {
        String name = ApiKeys.uniqueName("revoked");
        String key = ApiKeys.create(admin, name, "admin", null);
        HeraldClient holder = admin.withKey(key);
        assertThat(holder.get("/api/users/me").status()).isEqualTo(200);

        Response revoked = admin.patch("/api/v2/system/api_key/" + name, "{\"revoked\":true}");
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
        assertThat(revoked.json().get("status").asText()).isEqualTo("revoked");

        // The authorizer itself refuses it at once: a route whose authorizer is not cached answers 401 now.
        assertError(admin.withoutKey().delete("/api/v2/system/cache?api_key=" + key), 401, "Invalid API key");
        // API Gateway keeps the authorizer's answer for a key 300 s, as in AWS, but every function checks the key's
        // changes on the call's stamp: the revocation holds at once there too, without waiting for the cache.
        assertError(holder.get("/api/users/me"), 401, "Invalid API key");
        assertError(holder.post("/api/v2/system/api_key", "{\"name\":\"" + ApiKeys.uniqueName("after")
                + "\",\"role\":\"admin\"}"), 401, "Invalid API key");
        gatewayClock.advance(Duration.ofSeconds(301));
        assertError(holder.get("/api/users/me"), 401, "Invalid API key");

        assertError(admin.patch("/api/v2/system/api_key/" + name, "{\"revoked\":false}"), 400, "stays revoked");
    }

    @Test
    void aKeyWhoseRoleChangesHasItsNewRightsOnTheNextRequest() {
        String name = ApiKeys.uniqueName("demoted");
        HeraldClient holder = admin.withKey(ApiKeys.create(admin, name, "admin", null));
        assertThat(holder.get("/api/v2/system/api_key").status()).as("cached now as an admin").isEqualTo(200);
        assertThat(admin.patch("/api/v2/system/api_key/" + name, "{\"role\":\"user\",\"projects\":[\"alpha\"]}")
                .status()).isEqualTo(200);
        assertError(holder.get("/api/v2/system/api_key"), 403, "Only admin keys");
        assertError(holder.post("/api/events", "{\"topic\":\"it.keys\"}"), 403, "role user");
        JsonNode me = holder.get("/api/users/me").json();
        assertThat(me.get("isAdmin").asBoolean()).isFalse();
        admin.delete("/api/v2/system/api_key/" + name + "?purge=true");
    }

    @Test
    void anExpiredKeyFails() {
        String name = ApiKeys.uniqueName("expiring");
        String key = ApiKeys.create(admin, name, "user", null);
        Response expired = admin.patch("/api/v2/system/api_key/" + name,
                "{\"expires_at\":\"" + Instant.now().minusSeconds(1) + "\"}");
        assertThat(expired.json().get("status").asText()).isEqualTo("expired");
        assertError(admin.withKey(key).get("/api/users/me"), 401, "Invalid API key");

        Response renewed = admin.patch("/api/v2/system/api_key/" + name, "{\"expires_at\":null}");
        assertThat(renewed.json().get("status").asText()).isEqualTo("active");
        // API Gateway remembers the refusal for the key as long as it would remember an acceptance
        assertThat(admin.withKey(key).get("/api/attributes").status()).isEqualTo(401);
        gatewayClock.advance(Duration.ofSeconds(301));
        assertThat(admin.withKey(key).get("/api/attributes").status()).isEqualTo(200);
    }

    @Test
    void aDeletedKeyIsUnknown() {
        String name = ApiKeys.uniqueName("deleted");
        String key = ApiKeys.create(admin, name, "user", null);
        assertThat(admin.delete("/api/v2/system/api_key/" + name).status()).isEqualTo(204);
        assertError(admin.get("/api/v2/system/api_key/" + name), 404, "no API key named");
        assertError(admin.withKey(key).get("/api/attributes"), 401, "Invalid API key");
        assertError(admin.delete("/api/v2/system/api_key/" + name), 404, "no API key named");
    }

    @Test
    void rolesAndProjectsCanChange() {
        String name = ApiKeys.uniqueName("changing");
        String key = ApiKeys.create(admin, name, "user", List.of("alpha"));
        HeraldClient holder = admin.withKey(key);
        assertError(holder.post("/api/events", "{\"topic\":\"it.keys\",\"project\":\"alpha\"}"), 403, "role user");

        Response changed = admin.patch("/api/v2/system/api_key/" + name, "{\"role\":\"service\",\"projects\":[\"alpha\",\"beta\"]}");
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().get("projects").toString()).isEqualTo("[\"alpha\",\"beta\"]");
        gatewayClock.advance(Duration.ofSeconds(301));
        assertThat(holder.post("/api/events", "{\"topic\":\"it.keys\",\"project\":\"beta\"}").status()).isEqualTo(200);
        assertError(holder.post("/api/events", "{\"topic\":\"it.keys\",\"project\":\"gamma\"}"), 403, "limited to projects");
    }

    @Test
    void badKeyDefinitionsAreRefusedWithWhatToFix() {
        String name = ApiKeys.uniqueName("bad");
        assertError(admin.post("/api/v2/system/api_key", "{\"role\":\"user\"}"), 400, "'name' is required");
        assertError(admin.post("/api/v2/system/api_key", "{\"name\":\"" + name + "\"}"), 400, "'role' is required");
        assertError(admin.post("/api/v2/system/api_key", "{\"name\":\"" + name + "\",\"role\":\"root\"}"), 400,
                "one of admin, service, user");
        assertError(admin.post("/api/v2/system/api_key", "{\"name\":\"../x\",\"role\":\"user\"}"), 400, "Invalid key name");
        assertError(admin.post("/api/v2/system/api_key", "{\"name\":\"admin\",\"role\":\"user\"}"), 400, "first key");
        assertError(admin.post("/api/v2/system/api_key", "{\"name\":\"" + name + "\",\"role\":\"user\",\"projects\":[]}"),
                400, "at least one project");
        assertError(admin.post("/api/v2/system/api_key", "{\"name\":\"" + name + "\",\"role\":\"user\",\"projects\":\"p\"}"),
                400, "list of strings");
        assertError(admin.post("/api/v2/system/api_key", "{\"name\":\"" + name + "\",\"role\":\"user\",\"expires_at\":\"soon\"}"),
                400, "ISO-8601");
        assertError(admin.post("/api/v2/system/api_key", "{\"name\":\"" + name + "\",\"role\":\"user\",\"expires_at\":\"2001-01-01T00:00:00Z\"}"),
                400, "in the past");
        assertError(admin.post("/api/v2/system/api_key", "{\"name\":\"" + name + "\",\"role\":\"user\",\"key\":\"mine\"}"),
                400, "Unknown field 'key'");
        assertThat(admin.get("/api/v2/system/api_key/" + name).status()).isEqualTo(404);

        ApiKeys.create(admin, name, "user", null);
        assertError(admin.post("/api/v2/system/api_key", "{\"name\":\"" + name + "\",\"role\":\"user\"}"), 409, "exists");
        assertError(admin.patch("/api/v2/system/api_key/" + name, "{\"name\":\"other\"}"), 400, "cannot be renamed");
    }

    static void assertError(Response response, int status, String detail) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        JsonNode json = response.json();
        assertThat(json.get("code").asInt()).isEqualTo(status);
        assertThat(json.get("detail").asText()).contains(detail);
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
