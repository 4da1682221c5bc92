package herald.auth;

import herald.kernel.UnauthorizedException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyAuthenticator.class);

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


    /** What a caller with a key that is not (or no longer) valid is told. */
    public static final String INVALID_KEY = "Invalid API key: it is unknown, expired or revoked";

    /** What a caller without a key is told. */
    public static final String MISSING_KEY = "Missing API key: send it in the X-Api-Key header, as "
            + "'Authorization: ApiKey <key>', or in the api_key query parameter";

    /**
     * Who a key authenticates: the caller, the key's fingerprint (what key changes are recorded under) and when the
     * key expires (null: never), which a cached authorization must still honour.
     */
    public record Authenticated(Principal principal, String fingerprint, Instant expiresAt) {
    }

    /** The caller of a request with these headers and query parameters; 401 without a key or with a wrong one. */
    public Authenticated authenticate(Map<String, String> headers, Map<String, String> query) {
        return authenticated(presentedKey(headers, query).orElseThrow(() -> new UnauthorizedException(MISSING_KEY)));
    }

    /** Checks a key given outside an HTTP request (a WebSocket auth message, say). */
    public Principal authenticateKey(String key) {
        return authenticated(key).principal();
    }

    /**
     * A key's fingerprint: the first 16 hex digits of its SHA-256, enough to tell keys apart in the change log and
     * far too little to find the key or its stored hash by.
     */
    public static String fingerprint(String keyHash) {
        return keyHash.substring(0, 16);
    }

    /** {@link #authenticateKey}, with what a cached authorization needs to know of the key. */
    public Authenticated authenticated(String key) {
        if (key == null || key.isEmpty()) {
            throw invalid();
        }
        byte[] digest = sha256(key);
        if (MessageDigest.isEqual(bootstrapDigest, digest)) {
            return new Authenticated(new Principal(ADMIN_NAME, Role.ADMIN, null),
                    fingerprint(HexFormat.of().formatHex(digest)), null);
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
        if (found.role() == null) {
            // a role this version does not know (written by a newer one, or by hand): no rights rather than a guess
            LOG.warn("Refused API key '{}': its stored role is not one this version knows", found.name());
            throw invalid();
        }
        keys.touch(found, clock.instant());
        return new Authenticated(found.principal(), fingerprint(found.hash()), found.expiresAt());
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
        return new UnauthorizedException(INVALID_KEY);
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
