package herald.auth;

import herald.http.ApiRequest;
import herald.http.UnauthorizedException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks the API key of a request against the deployment's key. The key may come as {@code X-Api-Key},
 * {@code Authorization: ApiKey <key>} or the {@code api_key} query parameter, in that order of preference.
 * Keys are compared as SHA-256 digests with {@link MessageDigest#isEqual}, so the comparison takes the
 * same time whatever the key and its length.
 *
 * <p>Immutable and thread-safe.
 */
public final class ApiKeyAuthenticator {

    /** The name recorded as {@code user} for callers holding the deployment's key. */
    public static final String ADMIN_NAME = "admin";

    private final byte[] expectedDigest;

    public ApiKeyAuthenticator(String apiKey) {
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("The API key must not be empty");
        }
        this.expectedDigest = sha256(apiKey);
    }

    public Principal authenticate(ApiRequest request) {
        String key = presentedKey(request).orElseThrow(() -> new UnauthorizedException(
                "Missing API key: send it in the X-Api-Key header, as 'Authorization: ApiKey <key>', "
                        + "or in the api_key query parameter"));
        return authenticateKey(key);
    }

    /** The caller, if the request carries a valid key; nothing otherwise (the handler then answers 401 itself). */
    public Optional<Principal> tryAuthenticate(ApiRequest request) {
        Optional<String> key = presentedKey(request);
        if (key.isEmpty() || !MessageDigest.isEqual(expectedDigest, sha256(key.get()))) {
            return Optional.empty();
        }
        return Optional.of(new Principal(ADMIN_NAME));
    }

    /** Checks a key given outside an HTTP request (a WebSocket auth message, say). */
    public Principal authenticateKey(String key) {
        if (key == null || !MessageDigest.isEqual(expectedDigest, sha256(key))) {
            throw new UnauthorizedException("Invalid API key");
        }
        return new Principal(ADMIN_NAME);
    }

    static Optional<String> presentedKey(ApiRequest request) {
        Optional<String> header = request.header("x-api-key").filter(k -> !k.isBlank());
        if (header.isPresent()) {
            return header.map(String::trim);
        }
        Optional<String> authorization = request.header("authorization")
                .map(String::trim)
                .filter(value -> value.toLowerCase(Locale.ROOT).startsWith("apikey "))
                .map(value -> value.substring("apikey ".length()).trim())
                .filter(k -> !k.isEmpty());
        if (authorization.isPresent()) {
            return authorization;
        }
        return request.queryParameter("api_key").filter(k -> !k.isBlank());
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
