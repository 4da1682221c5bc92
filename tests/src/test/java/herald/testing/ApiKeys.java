package herald.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

/** Creates API keys through the admin API, each with a name no other test uses. */
public final class ApiKeys {

    private ApiKeys() {
    }

    /** A unique key name starting with {@code prefix}. */
    public static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates a key; {@code projects} null for every project. Returns the key. */
    public static String create(HeraldClient admin, String name, String role, List<String> projects) {
        StringBuilder body = new StringBuilder("{\"name\":\"" + name + "\",\"role\":\"" + role + "\"");
        if (projects != null) {
            body.append(",\"projects\":[");
            for (int i = 0; i < projects.size(); i++) {
                body.append(i == 0 ? "" : ",").append('"').append(projects.get(i)).append('"');
            }
            body.append(']');
        }
        HeraldClient.Response created = admin.post("/api/v2/system/api_key", body.append('}').toString());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("key").asText();
    }
}
