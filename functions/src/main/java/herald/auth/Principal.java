package herald.auth;

import java.util.Set;

/**
 * Who is calling: {@code name} is the {@code user} Herald records on the events the caller creates; {@code role}
 * what the caller may do; {@code projects} what the caller may see: null means every project, otherwise only
 * events of those projects and events that belong to no project.
 */
public record Principal(String name, Role role, Set<String> projects) {

    public Principal {
        projects = projects == null ? null : Set.copyOf(projects);
        role = role == null ? Role.ADMIN : role;
    }

    /** An admin that sees every project (the deployment's key). */
    public Principal(String name) {
        this(name, Role.ADMIN, null);
    }

    /** An admin limited to projects (tests of project scoping). */
    public Principal(String name, Set<String> projects) {
        this(name, Role.ADMIN, projects);
    }

    public boolean mayRead(String project) {
        return projects == null || project == null || projects.contains(project);
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }
}
