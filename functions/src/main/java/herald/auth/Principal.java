package herald.auth;

import herald.kernel.ForbiddenException;
import herald.kernel.Names;
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

    /**
     * The caller a request with Ayon's {@code X-as-user} header acts as: a service or admin key acting for a person
     * records the person's name (as the {@code user} of what it creates, in logs, for scripts) and keeps its own
     * projects, with a service's rights: never an admin's, so no admin route answers a call made for someone else,
     * and never more than the key's. A {@code user} key may act only as itself (403 otherwise); the name follows
     * Ayon's rule (400 otherwise).
     */
    public Principal actingAs(String user) {
        if (user.equals(name)) {
            return this;
        }
        if (!role.isManager()) {
            throw new ForbiddenException("X-as-user is for service and admin keys: this user key ('" + name
                    + "') acts only as itself; drop the header, or send it with a service key");
        }
        return new Principal(Names.requireName("X-as-user", user), Role.SERVICE, projects);
    }
}
