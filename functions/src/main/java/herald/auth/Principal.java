package herald.auth;

import java.util.Objects;
import java.util.Set;

/**
 * Who is calling: {@code name} is the {@code user} Herald records on the events the caller creates; {@code role}
 * what the caller may do; {@code projects} what the caller may see: null means every project, otherwise only
 * events of those projects and events that belong to no project.
 *
 * <p>Fails closed: there is no default role. A principal is made only with a name and a role Herald knows, so no
 * code path can turn a missing or unknown role into rights.
 */
public record Principal(String name, Role role, Set<String> projects) {

    public Principal {
        Objects.requireNonNull(name, "a principal has a name");
        Objects.requireNonNull(role, "a principal has a role: there is no default");
        projects = projects == null ? null : Set.copyOf(projects);
    }

    public boolean mayRead(String project) {
        return projects == null || project == null || projects.contains(project);
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }
}
