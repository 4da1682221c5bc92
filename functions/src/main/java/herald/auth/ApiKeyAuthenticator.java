package herald.auth;

import herald.kernel.UnauthorizedException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Finds who a request comes from by its API key: {@code X-Api-Key}, {@code Authorization: ApiKey <key>}, or the
 * {@code api_key} or {@code token} query parameter, in that order. The authorizer uses it for every HTTP request and
 * WebSocket connection, the WebSocket function for Ayon's {@code auth} message. The deployment's first admin key (the {@code AdminApiKey}
 * parameter) is compared as a SHA-256 digest in constant time; every other key is looked up by its SHA-256 in the
 * keys table with one strongly consistent read, so a revoked or expired key fails from the next request in every
 * container. Keys are never kept, logged or compared in plain text.
 *
 * <p>Thread-safe.
 */
public final class ApiKeyAuthenticator {

    /** The name recorded as {@code user} for callers holding the deployment's key. */
    public static final String ADMIN_NAME = "admin";

    private final byte[] bootstrapDigest;
    private final ApiKeyStore keys;
    private final Clock clock;

    public ApiKeyAuthenticator(String bootstrapKey, ApiKeyStore keys, Clock clock) {
        if (bootstrapKey == null || bootstrapKey.isBlank()) {
            throw new IllegalArgumentException("The API key must not be empty");
        }
        this.bootstrapDigest = sha256(bootstrapKey);
        this.keys = keys;
        this.clock = clock;
    }


    /** What a caller without a key is told. */
    public static final String MISSING_KEY = "Missing API key: send it in the X-Api-Key header, as "
            + "'Authorization: ApiKey <key>', or in the api_key query parameter";

    /** The caller of a request with these headers and query parameters; 401 without a key or with a wrong one. */
    public Principal authenticate(Map<String, String> headers, Map<String, String> query) {
        return authenticateKey(presentedKey(headers, query).orElseThrow(() -> new UnauthorizedException(MISSING_KEY)));
    }

    /** Checks a key given outside an HTTP request (a WebSocket auth message, say). */
    public Principal authenticateKey(String key) {
        if (key == null || key.isEmpty()) {
            throw invalid();
        }
        byte[] digest = sha256(key);
        if (MessageDigest.isEqual(bootstrapDigest, digest)) {
            return new Principal(ADMIN_NAME);
        }
        if (keys == null) {
            throw invalid();
        }
        String hash = HexFormat.of().formatHex(digest);
        ApiKey found = keys.byHash(hash).orElseThrow(ApiKeyAuthenticator::invalid);
        if (!MessageDigest.isEqual(found.hash().getBytes(StandardCharsets.US_ASCII), hash.getBytes(StandardCharsets.US_ASCII))
                || !found.validAt(clock.instant())) {
            throw invalid();
        }
        keys.touch(found, clock.instant());
        return found.principal();
    }

    /** The SHA-256 of a key, hex: what the keys table stores. */
    public static String hash(String key) {
        return HexFormat.of().formatHex(sha256(key));
    }

    /**
     * The key a request presents, wherever it is: {@code X-Api-Key}, {@code Authorization: ApiKey <key>}, then the
     * {@code api_key} or {@code token} query parameter. Header names in any case.
     */
    public static Optional<String> presentedKey(Map<String, String> headers, Map<String, String> query) {
        Map<String, String> lower = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            lower.putAll(headers);
        }
        Optional<String> header = Optional.ofNullable(lower.get("x-api-key")).map(String::trim).filter(k -> !k.isEmpty());
        if (header.isPresent()) {
            return header;
        }
        Optional<String> authorization = Optional.ofNullable(lower.get("authorization"))
                .map(String::trim)
                .filter(value -> value.toLowerCase(Locale.ROOT).startsWith("apikey "))
                .map(value -> value.substring("apikey ".length()).trim())
                .filter(k -> !k.isEmpty());
        if (authorization.isPresent() || query == null) {
            return authorization;
        }
        return Optional.ofNullable(query.get("api_key")).or(() -> Optional.ofNullable(query.get("token")))
                .map(String::trim).filter(k -> !k.isEmpty());
    }

    private static UnauthorizedException invalid() {
        return new UnauthorizedException("Invalid API key: it is unknown, expired or revoked");
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
