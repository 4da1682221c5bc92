package herald.auth;

import static org.assertj.core.api.Assertions.assertThat;

import herald.testing.ApiKeys;
import herald.testing.HeraldClient;
import herald.testing.HeraldClient.Response;
import herald.testing.LocalHeraldExtension;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Ayon's {@code X-as-user} ({@code ayon_api.as_username}): a service or admin key acting for a person records the
 * person, keeps its own projects and never an admin's rights; a user key may not act for anyone.
 */
@ExtendWith(LocalHeraldExtension.class)
class ActingUserIT {

    private final HeraldClient admin;

    ActingUserIT(HeraldClient admin) {
        this.admin = admin;
    }

    private static String topic() {
        return "acting" + UUID.randomUUID().toString().replace("-", "").substring(0, 8) + ".test";
    }

    @Test
    void aServiceActingForAPersonRecordsThePerson() {
        HeraldClient service = admin.withKey(ApiKeys.create(admin, ApiKeys.uniqueName("acting-svc"), "service", null));
        Response dispatched = service.post("/api/events", "{\"topic\":\"" + topic() + "\",\"user\":\"mallory\"}",
                "X-as-user", "alice");
        assertThat(dispatched.status()).as(dispatched.body()).isEqualTo(200);
        String id = dispatched.json().get("id").asText();
        assertThat(service.get("/api/events/" + id).json().get("user").asText()).isEqualTo("alice");
        assertThat(service.get("/api/users/me", "X-as-user", "alice").json().get("name").asText()).isEqualTo("alice");

        // an update keeps the event's user, as in Ayon, unless it names one
        assertThat(service.patch("/api/events/" + id, "{\"description\":\"by bob\"}", "X-as-user", "bob").status())
                .isEqualTo(204);
        assertThat(service.get("/api/events/" + id).json().get("user").asText()).isEqualTo("alice");
        // without the header, the key is itself again
        assertThat(service.get("/api/users/me").json().get("name").asText()).startsWith("acting-svc");
    }

    @Test
    void actingForSomeoneKeepsTheKeysProjectsAndIsNeverAnAdmin() {
        HeraldClient limited = admin.withKey(
                ApiKeys.create(admin, ApiKeys.uniqueName("acting-alpha"), "service", List.of("alpha")));
        Response outside = limited.post("/api/events", "{\"topic\":\"" + topic() + "\",\"project\":\"beta\"}",
                "X-as-user", "alice");
        assertThat(outside.status()).as(outside.body()).isEqualTo(403);
        Response inside = limited.post("/api/events", "{\"topic\":\"" + topic() + "\",\"project\":\"alpha\"}",
                "X-as-user", "alice");
        assertThat(inside.status()).as(inside.body()).isEqualTo(200);

        // the deployment's admin key acting for a person has a service's rights, not an admin's
        Response keys = admin.get("/api/v2/system/api_key", "X-as-user", "alice");
        assertThat(keys.status()).as(keys.body()).isEqualTo(403);
        assertThat(admin.get("/api/v2/system/api_key").status()).isEqualTo(200);
        assertThat(admin.get("/api/users/me", "X-as-user", "alice").json().get("isAdmin").asBoolean()).isFalse();
    }

    @Test
    void aUserKeyMayNotActForAnyoneAndANameMustBeAName() {
        String person = ApiKeys.uniqueName("acting-person");
        HeraldClient user = admin.withKey(ApiKeys.create(admin, person, "user", null));
        Response refused = user.get("/api/events/" + "0".repeat(32), "X-as-user", "alice");
        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        assertThat(refused.json().get("detail").asText()).contains("X-as-user is for service and admin keys");
        // acting as itself is simply itself
        assertThat(user.get("/api/users/me", "X-as-user", person).status()).isEqualTo(200);

        Response badName = admin.get("/api/users/me", "X-as-user", "not a name!");
        assertThat(badName.status()).as(badName.body()).isEqualTo(400);
        assertThat(badName.json().get("detail").asText()).contains("X-as-user");
    }
}
