package herald.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import herald.kernel.Json;
import herald.kernel.UnauthorizedException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the authorizer tells the handlers, through API Gateway's authorizer context: the caller's {@code name},
 * {@code role} and {@code projects} (a JSON array, or absent for every project), or, when the request carried no
 * valid key, the {@code denied} reason the handler answers 401 with. Values are strings because API Gateway passes
 * only scalars.
 */
public final class AuthorizerContext {

    static final String NAME = "name";
    static final String ROLE = "role";
    static final String PROJECTS = "projects";
    static final String DENIED = "denied";

    private AuthorizerContext() {
    }

    public static Map<String, Object> of(Principal principal) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put(NAME, principal.name());
        context.put(ROLE, principal.role().wireName());
        if (principal.projects() != null) {
            context.put(PROJECTS, Json.write(principal.projects().stream().sorted().toList()));
        }
        return context;
    }

    public static Map<String, Object> denied(String detail) {
        return Map.of(DENIED, detail);
    }

    /** The caller the authorizer put in a request's context; 401 without one or with its refusal in it. */
    public static Principal principal(Map<String, Object> context) {
        if (context == null || context.isEmpty()) {
            throw new UnauthorizedException(ApiKeyAuthenticator.MISSING_KEY);
        }
        Object denied = context.get(DENIED);
        if (denied != null) {
            throw new UnauthorizedException(String.valueOf(denied));
        }
        Object name = context.get(NAME);
        Role role = Role.parse(String.valueOf(context.get(ROLE)));
        if (name == null || role == null) {
            throw new UnauthorizedException(ApiKeyAuthenticator.MISSING_KEY);
        }
        Object projects = context.get(PROJECTS);
        return new Principal(String.valueOf(name), role, projects == null ? null : projects(projects));
    }

    private static Set<String> projects(Object value) {
        if (value instanceof List<?> list) {
            return Set.copyOf(list.stream().map(String::valueOf).toList());
        }
        try {
            return Set.copyOf(Json.MAPPER.readValue(String.valueOf(value), new TypeReference<List<String>>() { }));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The authorizer's projects are not a JSON array", e);
        }
    }
}
