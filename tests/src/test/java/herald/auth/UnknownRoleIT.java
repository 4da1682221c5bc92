package herald.auth;

import static herald.auth.ApiKeysApiIT.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import herald.local.LocalHerald;
import herald.testing.ApiKeys;
import herald.testing.HeraldClient;
import herald.testing.LocalHeraldExtension;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * No implicit admin: a stored key whose role this version does not know (written by a newer version, or by hand)
 * has no rights at all, and creating or changing a key to an unknown role is a 400.
 */
@ExtendWith(LocalHeraldExtension.class)
class UnknownRoleIT {

    private final LocalHerald herald;
    private final HeraldClient admin;

    UnknownRoleIT(LocalHerald herald, HeraldClient admin) {
        this.herald = herald;
        this.admin = admin;
    }

    @Test
    void aStoredKeyWithAnUnknownRoleIsRefusedAndCanBeGivenARole() {
        String name = ApiKeys.uniqueName("unknown-role");
        String key = ApiKeys.create(admin, name, "user", null);
        String table = herald.functionEnvironment("ApiKeysFunction").get("API_KEYS_TABLE");
        // what a newer version (or a hand edit) could leave in the table: both items of the key, with a new role
        for (var item : herald.dynamoDb().scanPaginator(r -> r.tableName(table)).items()) {
            if (item.containsKey("name") && item.get("name").s().equals(name)) {
                Map<String, AttributeValue> changed = new HashMap<>(item);
                changed.put("role", AttributeValue.fromS("superuser"));
                herald.dynamoDb().putItem(r -> r.tableName(table).item(changed));
            }
        }
        HeraldClient holder = admin.withKey(key);
        // an uncached route, so that the answer is the key's state now
        assertError(holder.delete("/api/v2/system/cache"), 401, "Invalid API key");
        assertThat(admin.get("/api/v2/system/api_key/" + name).json().get("status").asText()).isEqualTo("unknown role");
        assertThat(admin.get("/api/v2/system/api_key").status()).as("the listing still answers").isEqualTo(200);
        assertError(admin.patch("/api/v2/system/api_key/" + name, "{\"expires_at\":null}"), 400, "role");
        assertThat(admin.patch("/api/v2/system/api_key/" + name, "{\"role\":\"admin\"}").status()).isEqualTo(200);
        assertThat(holder.delete("/api/v2/system/cache").status()).isEqualTo(200);
        admin.delete("/api/v2/system/api_key/" + name + "?purge=true");
    }

    @Test
    void anUnknownRoleIsRefusedWhenAKeyIsCreatedOrChanged() {
        assertError(admin.post("/api/v2/system/api_key", "{\"name\":\"" + ApiKeys.uniqueName("root")
                + "\",\"role\":\"root\"}"), 400, "must be one of admin, service, user");
        String name = ApiKeys.uniqueName("to-root");
        ApiKeys.create(admin, name, "user", null);
        assertError(admin.patch("/api/v2/system/api_key/" + name, "{\"role\":\"Admin\"}"), 400,
                "must be one of admin, service, user");
        admin.delete("/api/v2/system/api_key/" + name + "?purge=true");
    }
}
