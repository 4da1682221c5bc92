package herald.auth;

import herald.kernel.ForbiddenException;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who may do what, in one place, following the Ayon contract: only managers ({@code admin}, {@code service}) create
 * and delete events; enroll is for services (and admins); Herald's system resources (scripts, triggers, keys, the
 * cache) are for admins; a key limited to projects touches nothing of another project. Each refusal is a 403 that
 * says which right is missing.
 */
public final class Permissions {

    /** Topics whose status a non-service may change (Ayon's restartable installs). */
    static final Set<String> RESTARTABLE = Set.of("installer.install_from_url", "dependency_package.install_from_url",
            "addon.install_from_url");

    private Permissions() {
    }

    public static void requireAdmin(Principal principal, String what) {
        if (!principal.isAdmin()) {
            throw new ForbiddenException("Only admin keys may " + what + "; this key's role is "
                    + principal.role().wireName());
        }
    }

    public static void requireManager(Principal principal, String what) {
        if (!principal.role().isManager()) {
            throw new ForbiddenException("Keys of role user may not " + what + "; use a service or admin key");
        }
    }

    /** A project-limited key may act only on events of its projects (or of no project). */
    public static void requireProject(Principal principal, String project, String what) {
        if (!principal.mayRead(project)) {
            throw new ForbiddenException("This key is limited to projects " + new TreeSet<>(principal.projects())
                    + " and may not " + what + " of project '" + project + "'");
        }
    }

    /**
     * The contract's PATCH rules for a caller who is not a manager: only its own events, without giving them to
     * someone else, and a status change only on enrolled jobs ({@code dependsOn} set) or restartable installs.
     */
    public static void requireMayUpdate(Principal principal, String eventUser, String eventTopic, boolean hasDependsOn,
            boolean changesStatus, String newUser) {
        if (principal.role().isManager()) {
            return;
        }
        if (!principal.name().equals(eventUser)) {
            throw new ForbiddenException("Not allowed to update this event: keys of role user may update only their "
                    + "own events");
        }
        if (newUser != null && !newUser.equals(principal.name())) {
            throw new ForbiddenException("Not allowed to give this event to another user");
        }
        if (changesStatus && !hasDependsOn && !RESTARTABLE.contains(eventTopic) && !eventTopic.equals("action.launcher")) {
            throw new ForbiddenException("Not allowed to update status of this event: keys of role user may change "
                    + "the status of enrolled jobs only");
        }
    }
}
