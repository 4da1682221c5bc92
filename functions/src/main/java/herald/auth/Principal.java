package herald.auth;

import java.util.Set;

/**
 * Who is calling. {@code name} is the {@code user} Herald records on the events the caller creates.
 * {@code projects} limits what the caller may see: null means every project; otherwise only events of those
 * projects, and events that belong to no project. (Keys limited to projects arrive with access control; the
 * deployment's key sees everything.)
 */
public record Principal(String name, Set<String> projects) {

    public Principal {
        projects = projects == null ? null : Set.copyOf(projects);
    }

    /** A principal that sees every project. */
    public Principal(String name) {
        this(name, null);
    }

    public boolean mayRead(String project) {
        return projects == null || project == null || projects.contains(project);
    }
}
