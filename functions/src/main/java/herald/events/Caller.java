package herald.events;

import herald.auth.Principal;
import herald.http.ApiRequest;

/**
 * Who sends a request and as what: the authenticated principal, the {@code X-Sender} header (dropped when it
 * is not a valid name, as in Ayon) and the {@code X-Sender-Type} header, {@code "api"} by default.
 */
public record Caller(Principal principal, String senderHeader, String senderType) {

    public static final String DEFAULT_SENDER_TYPE = "api";

    public static Caller of(ApiRequest request, Principal principal) {
        String sender = request.header("x-sender").filter(Names::isName).orElse(null);
        String senderType = request.header("x-sender-type").filter(Names::isName).orElse(DEFAULT_SENDER_TYPE);
        return new Caller(principal, sender, senderType);
    }

    public String userName() {
        return principal.name();
    }
}
