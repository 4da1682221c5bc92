package herald.scripting;

import com.fasterxml.jackson.databind.JsonNode;
import herald.kernel.InvalidRequestException;
import herald.kernel.Json;
import herald.kernel.UnauthorizedException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code POST /api/v2/system/webhook/github}: GitHub's webhook, taken directly, with no API key in the URL. The
 * delivery must carry {@code X-Hub-Signature-256}, the HMAC-SHA256 of the raw body under the configured secret,
 * compared in constant time; otherwise 401. A {@code ping} is answered; a {@code push} clears exactly the scripts
 * linked to that repository, the pushed branch or tag (a script with no {@code scm_reference} follows the default
 * branch) and one of the paths the push added, changed or removed, and answers with their names. A delivery id
 * ({@code X-GitHub-Delivery}) seen before is not processed again.
 *
 * <p>Thread-safe.
 */
public final class GitHubWebhook {

    private static final java.util.regex.Pattern DELIVERY_ID = java.util.regex.Pattern.compile("^[A-Za-z0-9-]{1,64}$");

    private final byte[] secret;
    private final ScriptStore store;
    private final CacheStamps stamps;
    private final Clock clock;

    public GitHubWebhook(String secret, ScriptStore store, CacheStamps stamps, Clock clock) {
        this.secret = secret == null || secret.isEmpty() ? null : secret.getBytes(StandardCharsets.UTF_8);
        this.store = store;
        this.stamps = stamps;
        this.clock = clock;
    }

    /**
     * Takes one delivery: {@code headers} by lower-case name, {@code body} the bytes exactly as GitHub sent them
     * (what the signature is computed over).
     */
    public Map<String, Object> receive(Map<String, String> headers, byte[] body) {
        verify(Optional.ofNullable(headers.get("x-hub-signature-256")).orElse(null), body);
        String event = Optional.ofNullable(headers.get("x-github-event")).orElseThrow(() -> new InvalidRequestException(
                "Missing X-GitHub-Event header: this route takes GitHub webhook deliveries"));
        String delivery = Optional.ofNullable(headers.get("x-github-delivery")).orElseThrow(() -> new InvalidRequestException(
                "Missing X-GitHub-Delivery header: this route takes GitHub webhook deliveries"));
        if (!DELIVERY_ID.matcher(delivery).matches()) {
            throw new InvalidRequestException("The X-GitHub-Delivery header is not a delivery id (1 to 64 letters, "
                    + "digits and '-', as GitHub sends it)");
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("delivery", delivery);
        answer.put("event", event);
        if (!stamps.firstDelivery(delivery, clock.instant())) {
            answer.put("duplicate", true);
            answer.put("cleared", List.of());
            return answer;
        }
        try {
            JsonNode payload = payload(headers, body);
            switch (event) {
                case "ping":
                    answer.put("zen", payload.path("zen").asText(""));
                    answer.put("hook_id", payload.path("hook_id").asLong());
                    break;
                case "push":
                    answer.put("cleared", push(payload));
                    break;
                default:
                    answer.put("ignored", true);
            }
            return answer;
        } catch (RuntimeException e) {
            stamps.forgetDelivery(delivery); // GitHub's redelivery gets another chance
            throw e;
        }
    }

    private void verify(String signature, byte[] body) {
        if (secret == null) {
            throw new UnauthorizedException("Herald has no GitHub webhook secret (the GitHubWebhookSecret parameter), "
                    + "so it cannot verify deliveries; set one, and the same secret on the webhook in GitHub");
        }
        if (signature == null || signature.isBlank()) {
            throw new UnauthorizedException("Missing X-Hub-Signature-256: give the webhook in GitHub the secret that "
                    + "Herald is configured with");
        }
        byte[] expected = ("sha256=" + HexFormat.of().formatHex(hmac(body))).getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(expected, signature.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8))) {
            throw new UnauthorizedException("X-Hub-Signature-256 does not match the body: the webhook's secret in GitHub "
                    + "differs from Herald's, or the body was changed on the way");
        }
    }

    byte[] hmac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** GitHub sends JSON, or a form whose {@code payload} field holds the JSON. */
    private static JsonNode payload(Map<String, String> headers, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        if (Optional.ofNullable(headers.get("content-type")).orElse("").startsWith("application/x-www-form-urlencoded")) {
            for (String pair : text.split("&")) {
                if (pair.startsWith("payload=")) {
                    try {
                        text = URLDecoder.decode(pair.substring("payload=".length()), StandardCharsets.UTF_8);
                    } catch (IllegalArgumentException e) {
                        throw new InvalidRequestException("The form's payload field is not URL-encoded");
                    }
                }
            }
        }
        try {
            return Json.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new InvalidRequestException("The delivery's body is not JSON");
        }
    }

    private List<String> push(JsonNode push) {
        String repository = push.path("repository").path("full_name").asText("");
        String ref = push.path("ref").asText("");
        String defaultBranch = push.path("repository").path("default_branch").asText("");
        if (repository.isEmpty() || ref.isEmpty()) {
            throw new InvalidRequestException("A push delivery needs repository.full_name and ref");
        }
        Set<String> paths = new TreeSet<>();
        List<JsonNode> commits = new ArrayList<>();
        push.path("commits").forEach(commits::add);
        if (push.has("head_commit") && push.get("head_commit").isObject()) {
            commits.add(push.get("head_commit"));
        }
        for (JsonNode commit : commits) {
            for (String list : List.of("added", "modified", "removed")) {
                commit.path(list).forEach(path -> paths.add(path.asText()));
            }
        }
        List<String> cleared = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (ScriptRecord script : store.linkedTo(repository)) {
            String reference = script.scmReference() != null ? script.scmReference() : defaultBranch;
            boolean sameRef = ref.equals("refs/heads/" + reference) || ref.equals("refs/tags/" + reference);
            if (sameRef && paths.contains(script.storagePath())) {
                cleared.add(script.name());
                keys.addAll(ScriptLibrary.clearKeys(script.kind(), script.name()).subList(0, 1));
            }
        }
        stamps.clear(keys);
        return cleared;
    }
}
