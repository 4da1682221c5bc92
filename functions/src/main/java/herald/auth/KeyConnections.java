package herald.auth;

/**
 * Connections that outlive the request that authenticated them: WebSocket clients, which authenticate once and then
 * receive for up to two hours. When a key is revoked, deleted or given other rights, its connections are closed at
 * once, so that nothing more reaches them with the rights they had; a client reconnects with a key that works.
 */
public interface KeyConnections {

    /** Closes every open connection authenticated by the key named {@code keyName}. */
    void closeAllOf(String keyName);
}
