package herald.http;

/**
 * Who may call a route, as its entry in {@link Routes} declares it. The HTTP adapter requires a valid key for every
 * route but {@link #PUBLIC} and {@link #SIGNED}, and the route's role, before it reads anything of the request; the
 * domain services check the rights of each operation again for every caller (HTTP, scripts, triggers), together with
 * the finer ones (an event's project, its owner). The access matrix test proves that every route answers as
 * declared here.
 */
public enum Access {
    /** No key needed. */
    PUBLIC,
    /** Authenticated by a signature over the body, not by a key (the GitHub webhook). */
    SIGNED,
    /** Any valid key: role user and up. */
    ANY_KEY,
    /** Roles service and admin (Ayon's managers). */
    SERVICE,
    /** Role admin. */
    ADMIN
}
