package herald.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local stand-in for GitHub's contents API ({@code GET /repos/{owner}/{repo}/contents/{path}?ref=}), serving files
 * put here, raw when asked for {@code application/vnd.github.raw*} and as base64 JSON otherwise, and recording each
 * request so tests can count fetches and check the token.
 */
public final class FakeGitHub implements AutoCloseable {

    public static final String TOKEN = "ghp_test_token_for_herald";

    private final HttpServer server;
    private final Map<String, String> files = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    public FakeGitHub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            String ref = query != null && query.startsWith("ref=")
                    ? URLDecoder.decode(query.substring(4), StandardCharsets.UTF_8) : "main";
            requests.add(path + "@" + ref + " " + exchange.getRequestHeaders().getFirst("Authorization"));
            String[] parts = path.split("/contents/", 2);
            String key = parts.length == 2
                    ? URLDecoder.decode(parts[0].replaceFirst("^/repos/", ""), StandardCharsets.UTF_8) + "@" + ref + ":"
                    + URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "";
            String content = files.get(key);
            byte[] body;
            int status;
            String accept = exchange.getRequestHeaders().getFirst("Accept");
            if (content == null) {
                status = 404;
                body = "{\"message\":\"Not Found\"}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
            } else if (accept != null && accept.contains("raw")) {
                status = 200;
                body = content.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/vnd.github.raw; charset=utf-8");
            } else {
                status = 200;
                String encoded = java.util.Base64.getMimeEncoder().encodeToString(content.getBytes(StandardCharsets.UTF_8));
                body = ("{\"type\":\"file\",\"encoding\":\"base64\",\"content\":\"" + encoded.replace("\r\n", "\\n")
                        + "\"}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
            }
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Puts (or changes) a file of {@code owner/repo} at a branch or tag. */
    public void put(String repository, String ref, String path, String content) {
        files.put(repository + "@" + ref + ":" + path, content);
    }

    /** How many requests asked for that file so far. */
    public long fetches(String repository, String path) {
        return requests.stream().filter(r -> r.startsWith("/repos/" + repository + "/contents/" + path + "@")).count();
    }

    public List<String> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
