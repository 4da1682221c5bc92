package herald.projects;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.auth.Permissions;
import herald.auth.Principal;
import herald.events.Project;
import herald.events.ProjectRegistry;
import herald.events.ResourceEvents;
import herald.kernel.ConflictException;
import herald.kernel.InvalidRequestException;
import herald.kernel.Json;
import herald.kernel.JsonBody;
import herald.kernel.Names;
import herald.kernel.NotFoundException;
import herald.kernel.Timestamps;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Herald's projects, as Ayon's client reads them ({@code get_project_names}, {@code get_projects},
 * {@code get_project}): every project that holds an event, that a key is limited to, or that an admin declared
 * ({@link ProjectRegistry}). A key limited to projects sees only those: another project is, for it, one that does not
 * exist. Admins declare, change and forget projects, each change emitting its resource event
 * ({@code herald.Project}); a project that still holds events is deactivated rather than forgotten, so that no
 * event is left in a project nobody can list.
 *
 * <p>Thread-safe.
 */
public final class Projects {

    /** The resource type of projects in resource events. */
    public static final String TYPE = "herald.Project";

    private static final Set<String> DECLARE_FIELDS = Set.of("name", "code", "label", "color", "active", "library");
    private static final Set<String> UPDATE_FIELDS = Set.of("code", "label", "color", "active", "library");
    private static final Pattern COLOR = Pattern.compile("#[0-9a-fA-F]{6}");
    private static final String NOTHING_ELSE = "Herald keeps no anatomy, attributes or data of a project";

    private final ProjectRegistry registry;
    private final ResourceEvents resources;
    private final Clock clock;

    public Projects(ProjectRegistry registry, ResourceEvents resources, Clock clock) {
        this.registry = registry;
        this.resources = resources;
        this.clock = clock;
    }

    /** {@code GET /api/projects}: {@code {"detail", "count", "projects"}}, {@code count} being every match. */
    public ObjectNode list(ProjectListing listing, Principal caller) {
        Pattern name = listing.namePattern();
        Comparator<Project> order = switch (listing.order()) {
            case "code" -> Comparator.comparing(Project::code);
            case "createdAt" -> Comparator.comparing(Project::createdAt);
            case "updatedAt" -> Comparator.comparing(Project::updatedAt);
            default -> Comparator.comparing(Project::name);
        };
        order = order.thenComparing(Project::name);
        List<Project> matching = registry.all().stream()
                .filter(p -> caller.projects() == null || caller.projects().contains(p.name()))
                .filter(p -> listing.active() == null || p.active() == listing.active())
                .filter(p -> listing.library() == null || p.library() == listing.library())
                .filter(p -> name == null || name.matcher(p.name()).matches())
                .sorted(listing.desc() ? order.reversed() : order)
                .toList();
        long skip = listing.length() == null ? 0 : (long) (listing.page() - 1) * listing.length();
        List<Project> page = matching.stream().skip(skip)
                .limit(listing.length() == null ? Long.MAX_VALUE : listing.length()).toList();
        ArrayNode projects = Json.MAPPER.createArrayNode();
        page.forEach(p -> projects.add(listItem(p)));
        ObjectNode answer = Json.MAPPER.createObjectNode();
        answer.put("detail", "Showing " + page.size() + " of " + matching.size() + " projects");
        answer.put("count", matching.size());
        answer.set("projects", projects);
        return answer;
    }

    /** {@code GET /api/projects/{name}}: 404 for a project Herald does not know or the caller may not see. */
    public ObjectNode get(String name, Principal caller) {
        return entity(visible(name, caller));
    }

    /** {@code POST /api/projects}: declares a project (201); 409 when Herald already knows one of that name. */
    public ObjectNode declare(JsonBody body, Principal caller, String requestId) {
        Permissions.requireAdmin(caller, "declare projects");
        body.requireKnownFields(DECLARE_FIELDS, "a project here has name, code, label, color, active and library; "
                + NOTHING_ELSE);
        String name = Names.requireName("name", body.string("name").orElseThrow(() -> new InvalidRequestException(
                "Field 'name' is required: the project's name, as events name it in 'project'")));
        Instant now = Timestamps.truncate(clock.instant());
        Project project = changed(Project.known(name, now), body, now);
        if (!registry.declare(project)) {
            throw new ConflictException("Project '" + name + "' exists already; PATCH /api/projects/" + name
                    + " changes it");
        }
        resources.emit(ResourceEvents.Change.CREATED, TYPE, name, caller, requestId);
        return entity(project);
    }

    /** {@code PATCH /api/projects/{name}}: changes code, label, color, active or library. */
    public void update(String name, JsonBody body, Principal caller, String requestId) {
        Permissions.requireAdmin(caller, "change projects");
        body.requireKnownFields(UPDATE_FIELDS, "a project here has code, label, color, active and library (a name "
                + "never changes); " + NOTHING_ELSE);
        Project project = known(name);
        Project changed = changed(project, body, Timestamps.truncate(clock.instant()));
        if (!registry.save(changed)) {
            throw notFound(name);
        }
        resources.emit(ResourceEvents.Change.UPDATED, TYPE, name, caller, requestId);
    }

    /**
     * {@code DELETE /api/projects/{name}}: forgets the project (empty), or, when it still holds events, deactivates it
     * and returns it, so that its events stay reachable from a listing with {@code active=false}.
     */
    public Optional<ObjectNode> forget(String name, Principal caller, String requestId) {
        Permissions.requireAdmin(caller, "forget projects");
        Project project = known(name);
        if (registry.holdsEvents(name)) {
            Project inactive = new Project(project.name(), project.code(), project.label(), project.color(), false,
                    project.library(), project.createdAt(), Timestamps.truncate(clock.instant()));
            if (!registry.save(inactive)) {
                throw notFound(name);
            }
            resources.emit(ResourceEvents.Change.UPDATED, TYPE, name, caller, requestId);
            ObjectNode answer = Json.MAPPER.createObjectNode();
            answer.put("detail", "Project '" + name + "' still holds events, so it was deactivated, not forgotten; "
                    + "delete its events first to forget it");
            answer.set("project", entity(inactive));
            return Optional.of(answer);
        }
        registry.forget(name);
        resources.emit(ResourceEvents.Change.HARD_DELETED, TYPE, name, caller, requestId);
        return Optional.empty();
    }

    private Project visible(String name, Principal caller) {
        Project project = known(name);
        if (caller.projects() != null && !caller.projects().contains(name)) {
            // another project is, for a limited key, a project that does not exist
            throw notFound(name);
        }
        return project;
    }

    private Project known(String name) {
        if (!Names.isName(name)) {
            throw notFound(name);
        }
        return registry.find(name).orElseThrow(() -> notFound(name));
    }

    private static Project changed(Project project, JsonBody body, Instant now) {
        String code = body.string("code").orElse(project.code());
        Names.requireName("code", code);
        String label = body.fieldNames().contains("label") ? body.string("label").orElse(null) : project.label();
        if (label != null && (label.isBlank() || label.length() > 255)) {
            throw new InvalidRequestException("Field 'label' must be 1 to 255 characters, or null for none");
        }
        String color = body.fieldNames().contains("color") ? body.string("color").orElse(null) : project.color();
        if (color != null && !COLOR.matcher(color).matches()) {
            throw new InvalidRequestException("Field 'color' must be a color as #rrggbb, not '"
                    + Names.abbreviate(color) + "', or null for none");
        }
        return new Project(project.name(), code, label, color, body.bool("active").orElse(project.active()),
                body.bool("library").orElse(project.library()), project.createdAt(), now);
    }

    /** A project as the listing shows one: Ayon's {@code ListProjectsItemModel}. */
    private static ObjectNode listItem(Project project) {
        ObjectNode item = common(project);
        item.put("skeleton", false);
        item.put("pinned", false);
        item.putNull("projectFolder");
        return times(item, project);
    }

    /** A project as {@code GET /api/projects/{name}} shows one: Ayon's project entity, with nothing of anatomy. */
    private static ObjectNode entity(Project project) {
        ObjectNode entity = common(project);
        entity.putObject("attrib");
        entity.putArray("ownAttrib");
        entity.putObject("data");
        entity.putObject("config");
        for (String list : List.of("folderTypes", "taskTypes", "linkTypes", "statuses", "tags")) {
            entity.putArray(list);
        }
        return times(entity, project);
    }

    private static ObjectNode common(Project project) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("name", project.name());
        json.put("code", project.code());
        json.put("label", project.label());
        json.put("color", project.color());
        json.put("active", project.active());
        json.put("library", project.library());
        return json;
    }

    private static ObjectNode times(ObjectNode json, Project project) {
        json.put("createdAt", Timestamps.format(project.createdAt()));
        json.put("updatedAt", Timestamps.format(project.updatedAt()));
        return json;
    }

    private static NotFoundException notFound(String name) {
        return new NotFoundException("No project '" + Names.abbreviate(name) + "' that this key may see: projects are "
                + "those that hold events, that keys are limited to, or that an admin declared (GET /api/projects "
                + "lists them)");
    }
}
