package herald.events;

import herald.auth.Principal;

/**
 * Who asks for an event operation and as what: the authenticated principal, the sender (Ayon's {@code X-Sender}, or
 * the script or service acting) and the sender type ({@code "api"} for HTTP calls by default).
 */
public record Caller(Principal principal, String senderHeader, String senderType) {

    public static final String DEFAULT_SENDER_TYPE = "api";


    public String userName() {
        return principal.name();
    }
}
