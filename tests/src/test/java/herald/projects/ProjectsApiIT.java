package herald.projects;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import herald.testing.ApiKeys;
import herald.testing.HeraldClient;
import herald.testing.HeraldClient.Response;
import herald.testing.LocalHeraldExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Herald's projects as Ayon's client reads them ({@code get_project_names}, {@code get_projects},
 * {@code get_project}): those that hold events, that keys are limited to, or that an admin declared.
 */
@ExtendWith(LocalHeraldExtension.class)
class ProjectsApiIT {

    private final HeraldClient admin;

    ProjectsApiIT(HeraldClient admin) {
        this.admin = admin;
    }

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    private static List<String> names(Response listed) {
        assertThat(listed.status()).as(listed.body()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        listed.json().get("projects").forEach(p -> names.add(p.get("name").asText()));
        return names;
    }

    private void dispatchInto(String project) {
        admin.dispatch("{\"topic\":\"projects.test\",\"project\":\"" + project + "\"}");
    }

    @Test
    void aProjectIsKnownOnceItHoldsAnEventOrAKeyIsLimitedToIt() {
        String withEvent = unique("pev");
        String ofKey = unique("pkey");
        dispatchInto(withEvent);
        ApiKeys.create(admin, ApiKeys.uniqueName("projects-key"), "user", List.of(ofKey));

        // get_project_names() sends exactly this
        Response listed = admin.get("/api/projects?active=true");
        assertThat(names(listed)).contains(withEvent, ofKey);
        assertThat(listed.json().get("count").asInt()).isEqualTo(listed.json().get("projects").size());
        assertThat(listed.json().get("detail").asText()).startsWith("Showing ");
        JsonNode item = listed.json().get("projects").get(names(listed).indexOf(withEvent));
        for (String field : List.of("name", "code", "label", "color", "active", "library", "skeleton", "pinned",
                "projectFolder", "createdAt", "updatedAt")) {
            assertThat(item.has(field)).as(field).isTrue();
        }
        assertThat(item.get("code").asText()).isEqualTo(withEvent);
        assertThat(item.get("active").asBoolean()).isTrue();
        assertThat(item.get("library").asBoolean()).isFalse();

        // get_project(name) reads the entity
        Response project = admin.get("/api/projects/" + withEvent);
        assertThat(project.status()).as(project.body()).isEqualTo(200);
        assertThat(project.json().get("name").asText()).isEqualTo(withEvent);
        assertThat(project.json().get("attrib").isObject()).isTrue();
        assertThat(project.json().get("data").isObject()).isTrue();
        assertThat(project.json().get("statuses").isArray()).isTrue();
        assertThat(project.json().hasNonNull("createdAt")).isTrue();

        assertError(admin.get("/api/projects/" + unique("nowhere")), 404, "No project");
        assertError(admin.get("/api/projects/" + "not%20a%20name"), 404, "No project");
    }

    @Test
    void aKeyLimitedToProjectsListsAndReadsOnlyThose() {
        String mine = unique("pmine");
        String theirs = unique("ptheirs");
        dispatchInto(mine);
        dispatchInto(theirs);
        HeraldClient limited = admin.withKey(ApiKeys.create(admin, ApiKeys.uniqueName("projects-limited"), "user",
                List.of(mine)));

        assertThat(names(limited.get("/api/projects"))).containsExactly(mine);
        assertThat(limited.get("/api/projects/" + mine).status()).isEqualTo(200);
        // another project is, for it, one that does not exist
        assertError(limited.get("/api/projects/" + theirs), 404, "No project");
        HeraldClient user = admin.withKey(ApiKeys.create(admin, ApiKeys.uniqueName("projects-user"), "user", null));
        assertThat(names(user.get("/api/projects"))).contains(mine, theirs);
    }

    @Test
    void anAdminDeclaresChangesAndForgetsProjects() {
        String name = unique("pdecl");
        Response declared = admin.post("/api/projects",
                "{\"name\":\"" + name + "\",\"code\":\"DC\",\"library\":true,\"label\":\"Declared\",\"color\":\"#aabbcc\"}");
        assertThat(declared.status()).as(declared.body()).isEqualTo(201);
        assertThat(declared.json().get("code").asText()).isEqualTo("DC");
        assertError(admin.post("/api/projects", "{\"name\":\"" + name + "\"}"), 409, "exists already");
        assertThat(names(admin.get("/api/projects?library=true"))).contains(name);
        assertThat(names(admin.get("/api/projects?library=false"))).doesNotContain(name);

        assertThat(admin.patch("/api/projects/" + name, "{\"active\":false}").status()).isEqualTo(204);
        assertThat(names(admin.get("/api/projects?active=true"))).doesNotContain(name);
        assertThat(names(admin.get("/api/projects?active=false"))).contains(name);
        assertThat(names(admin.get("/api/projects"))).contains(name);
        assertThat(admin.get("/api/projects/" + name).json().get("label").asText()).isEqualTo("Declared");

        assertThat(admin.delete("/api/projects/" + name).status()).isEqualTo(204);
        assertError(admin.get("/api/projects/" + name), 404, "No project");
        assertError(admin.delete("/api/projects/" + name), 404, "No project");

        // every change is a resource event of type herald.Project
        Response changes = admin.get("/api/events?topics=resource.*&limit=2000");
        List<String> seen = new ArrayList<>();
        changes.json().get("events").forEach(e -> {
            if (e.at("/payload/resource/type").asText().equals("herald.Project")
                    && e.at("/payload/resource/id").asText().equals(name)) {
                seen.add(e.get("topic").asText());
            }
        });
        assertThat(seen).containsExactlyInAnyOrder("resource.ResourceCreated", "resource.ResourceUpdated",
                "resource.ResourceHardDeleted");
    }

    @Test
    void aProjectThatHoldsEventsIsDeactivatedNotForgotten() {
        String name = unique("pheld");
        dispatchInto(name);
        Response deleted = admin.delete("/api/projects/" + name);
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
        assertThat(deleted.json().get("detail").asText()).contains("still holds events");
        assertThat(deleted.json().at("/project/active").asBoolean()).isFalse();
        assertThat(admin.get("/api/projects/" + name).json().get("active").asBoolean()).isFalse();
        // dispatching into it again leaves it inactive: remembering never undoes what an admin set
        dispatchInto(name);
        assertThat(admin.get("/api/projects/" + name).json().get("active").asBoolean()).isFalse();
    }

    @Test
    void listingsFilterOrderAndPageAsAyons() {
        String prefix = unique("pord");
        for (String suffix : List.of("b", "a", "c")) {
            assertThat(admin.post("/api/projects", "{\"name\":\"" + prefix + suffix + "\"}").status()).isEqualTo(201);
        }
        assertThat(names(admin.get("/api/projects?name=" + prefix + "*"))).containsExactly(prefix + "a",
                prefix + "b", prefix + "c");
        assertThat(names(admin.get("/api/projects?name=" + prefix.toUpperCase() + "*&desc=true")))
                .containsExactly(prefix + "c", prefix + "b", prefix + "a");
        Response second = admin.get("/api/projects?name=" + prefix + "*&length=2&page=2");
        assertThat(names(second)).containsExactly(prefix + "c");
        assertThat(second.json().get("count").asInt()).isEqualTo(3);
        assertThat(names(admin.get("/api/projects?name=" + prefix + "*&order=createdAt&length=1"))).hasSize(1);
    }

    @Test
    void badInputIsRefusedWithWhatToFix() {
        assertError(admin.get("/api/projects?active=maybe"), 400, "'active' must be true or false");
        assertError(admin.get("/api/projects?page=0"), 400, "'page' must be 1 or more");
        assertError(admin.get("/api/projects?length=x"), 400, "'length' must be a whole number");
        assertError(admin.get("/api/projects?order=size"), 400, "'order' must be one of");
        assertError(admin.post("/api/projects", "{}"), 400, "Field 'name' is required");
        assertError(admin.post("/api/projects", "{\"name\":\"bad name\"}"), 400, "Invalid name");
        assertError(admin.post("/api/projects", "{\"name\":\"" + unique("pbad") + "\",\"anatomy\":{}}"), 400,
                "Unknown field 'anatomy'");
        assertError(admin.post("/api/projects", "{\"name\":\"" + unique("pbad") + "\",\"color\":\"red\"}"), 400,
                "#rrggbb");
        assertError(admin.patch("/api/projects/" + unique("pgone"), "{\"active\":false}"), 404, "No project");
        String name = unique("pfix");
        admin.post("/api/projects", "{\"name\":\"" + name + "\"}");
        assertError(admin.patch("/api/projects/" + name, "{\"name\":\"other\"}"), 400, "Unknown field 'name'");
        assertError(admin.patch("/api/projects/" + name, "{\"active\":\"no\"}"), 400, "active");
        assertThat(admin.get("/api/projects/" + name).json().get("active").asBoolean()).as("nothing written").isTrue();

        HeraldClient service = admin.withKey(ApiKeys.create(admin, ApiKeys.uniqueName("projects-svc"), "service", null));
        assertThat(service.post("/api/projects", "{\"name\":\"" + unique("pnot") + "\"}").status()).isEqualTo(403);
        assertThat(service.delete("/api/projects/" + name).status()).isEqualTo(403);
    }

    private static void assertError(Response response, int status, String detail) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.json().get("code").asInt()).isEqualTo(status);
        assertThat(response.json().get("detail").asText()).contains(detail);
    }
}
