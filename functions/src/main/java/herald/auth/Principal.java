package herald.auth;

/**
 * Who is calling. {@code name} is the {@code user} Herald records on the events the caller creates.
 * (Roles and project scopes arrive with access control; until then every key holder is an admin.)
 */
public record Principal(String name) {
}
