package herald.keys;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.auth.ApiKey;
import herald.auth.ApiKeyAuthenticator;
import herald.auth.ApiKeyStore;
import herald.auth.Principal;
import herald.auth.Role;
import herald.kernel.Json;
import herald.kernel.Names;
import herald.kernel.NotFoundException;
import herald.kernel.Timestamps;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Herald's users, as Ayon's client reads them: every API key is a user of its name, and the deployment's own key is
 * the user {@code admin}. A user is described by its name, whether its key works now ({@code active}), its role
 * flags and the projects it is limited to, never by anything of its key. Admins and services see every user; a
 * {@code user} key sees only itself.
 *
 * <p>Thread-safe.
 */
public final class Users {

    private final ApiKeyStore keys;
    private final Clock clock;

    public Users(ApiKeyStore keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** {@code GET /api/users}: {@code {"count", "users"}}, by name. */
    public ObjectNode list(Principal caller) {
        ArrayNode users = Json.MAPPER.createArrayNode();
        visible(caller).forEach(user -> users.add(user.json()));
        ObjectNode answer = Json.MAPPER.createObjectNode();
        answer.put("count", users.size());
        answer.set("users", users);
        return answer;
    }

    /**
     * The users a GraphQL {@code users} field lists, by name: those named (null: all), those with one of the
     * {@code emails} (none: Herald keeps no emails), those whose key may see {@code project} (null: all), of the users
     * the caller may see.
     */
    public List<ObjectNode> find(Collection<String> names, Collection<String> emails, String project,
            Principal caller) {
        if (emails != null) {
            return List.of();
        }
        return visible(caller).stream()
                .filter(user -> names == null || names.contains(user.principal().name()))
                .filter(user -> project == null || user.principal().mayRead(project))
                .map(Described::json).toList();
    }

    /** A user and how Ayon's client reads it. */
    private record Described(Principal principal, ObjectNode json) {
    }

    private List<Described> visible(Principal caller) {
        if (!caller.role().isManager()) {
            return List.of(new Described(caller, get(caller.name(), caller)));
        }
        Instant now = clock.instant();
        List<Described> users = new ArrayList<>();
        Principal admin = new Principal(ApiKeyAuthenticator.ADMIN_NAME, Role.ADMIN, null);
        users.add(new Described(admin, describe(admin, true, null, null)));
        keys.list(false).stream().sorted(Comparator.comparing(ApiKey::name))
                .forEach(key -> users.add(new Described(key.role() == null ? noRights(key.name())
                        : key.principal(), describe(key, now))));
        return users;
    }

    /**
     * {@code GET /api/users/{name}}: 404 for a name no key has. A {@code user} key sees only itself: another user is,
     * for it, a user that does not exist (as an event of another project is), so it learns no names.
     */
    public ObjectNode get(String name, Principal caller) {
        if (!caller.role().isManager() && !caller.name().equals(name)) {
            throw new NotFoundException("No user '" + Names.abbreviate(name) + "' that this key may see: a user key "
                    + "sees only its own user ('" + caller.name() + "'); other users need a service or admin key");
        }
        if (ApiKeyAuthenticator.ADMIN_NAME.equals(name)) {
            return describe(new Principal(name, Role.ADMIN, null), true, null, null);
        }
        if (!Names.isName(name)) {
            throw notFound(name);
        }
        return describe(keys.byName(name).orElseThrow(() -> notFound(name)), clock.instant());
    }

    /** A key whose role this version does not know: a user with no rights. */
    private static Principal noRights(String name) {
        return new Principal(name, Role.USER, Set.of());
    }

    private static ObjectNode describe(ApiKey key, Instant now) {
        if (key.role() == null) {
            // a role this version does not know: a user with no rights, shown as inactive
            ObjectNode user = describe(noRights(key.name()), false, key.createdAt(), key.updatedAt());
            user.put("isManager", false);
            return user;
        }
        return describe(key.principal(), key.validAt(now), key.createdAt(), key.updatedAt());
    }

    /**
     * A user as Ayon describes one: its name, no attributes, its role flags (at the top and in {@code data}, where
     * Ayon's client reads them), and the projects it is limited to as {@code accessGroups}, in Ayon's shape
     * ({@code {"<project>": ["<role>"]}}; empty for a key that sees every project). Ayon's API keys belong to service
     * users; here the admin and service roles both answer as managers and services.
     */
    public static ObjectNode describe(Principal principal, boolean active, Instant createdAt, Instant updatedAt) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.put("isAdmin", principal.isAdmin());
        data.put("isService", principal.role().isManager());
        data.put("isManager", principal.role().isManager());
        data.put("isGuest", false);
        data.put("role", principal.role().wireName());
        ObjectNode groups = data.putObject("accessGroups");
        if (principal.projects() != null) {
            // Ayon's shape: the access groups the user has in each project; here the key's role in each
            principal.projects().stream().sorted()
                    .forEach(project -> groups.putArray(project).add(principal.role().wireName()));
        }
        ObjectNode user = Json.MAPPER.createObjectNode();
        user.put("name", principal.name());
        user.put("active", active);
        user.putObject("attrib");
        user.set("data", data);
        user.setAll(data.deepCopy());
        if (createdAt != null) {
            user.put("createdAt", Timestamps.format(createdAt));
        }
        if (updatedAt != null) {
            user.put("updatedAt", Timestamps.format(updatedAt));
        }
        return user;
    }

    private static NotFoundException notFound(String name) {
        return new NotFoundException("No user '" + Names.abbreviate(name) + "': users are API keys' names "
                + "(GET /api/users lists them)");
    }
}
