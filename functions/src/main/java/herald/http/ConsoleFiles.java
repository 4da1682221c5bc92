package herald.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.kernel.HeraldVersion;
import herald.kernel.Json;
import herald.kernel.Names;
import herald.kernel.NotFoundException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;

/**
 * The web console's files at {@code /console} and {@code /console/{asset}}: its own (hand-written JavaScript modules
 * and CSS in {@code herald/console/} of the functions' package), CodeMirror's (the WebJar that {@code ConsoleLayer}
 * brings), and {@code config.json}, what the page needs to know of the deployment (the WebSocket URL, the job lease).
 * Each file is read once per container, served with an {@code ETag} (a repeated request with
 * {@code If-None-Match} is a 304), gzipped for a client that accepts it, and cached by the browser: the page and the
 * configuration for a minute, the assets, whose URLs carry a digest of the console's files, for a day.
 *
 * <p>Thread-safe.
 */
public final class ConsoleFiles {

    private static final String OWN = "herald/console/";
    private static final String CODEMIRROR = "META-INF/resources/webjars/codemirror/";
    /** The console's own assets and their types; the page is {@code index.html}. */
    private static final Map<String, String> OWN_ASSETS = new LinkedHashMap<>();
    /** CodeMirror's files, by the name the console asks for. */
    private static final Map<String, String> CODEMIRROR_ASSETS = Map.of(
            "codemirror.js", "lib/codemirror.js",
            "codemirror.css", "lib/codemirror.css",
            "codemirror-javascript.js", "mode/javascript/javascript.js");

    static {
        for (String module : new String[] {"app", "api", "dom", "live", "events", "jobs", "scripts", "triggers", "keys",
                "overview"}) {
            OWN_ASSETS.put(module + ".js", "text/javascript; charset=utf-8");
        }
        OWN_ASSETS.put("console.css", "text/css; charset=utf-8");
    }

    private record File(byte[] plain, byte[] gzipped, String type, String etag) {
    }

    private final Map<String, File> loaded = new ConcurrentHashMap<>();
    private final File config;
    /** What the files' URLs carry: a digest of every file of the console, so that any change is a new URL. */
    private final String stamp;

    /** {@code webSocketUrl}: where the live pages connect; {@code jobLeaseMinutes}: as the template sets it. */
    public ConsoleFiles(String webSocketUrl, int jobLeaseMinutes) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("webSocketUrl", webSocketUrl);
        json.put("jobLeaseMinutes", jobLeaseMinutes);
        json.put("version", HeraldVersion.current());
        config = file(Json.write(json).getBytes(StandardCharsets.UTF_8), "application/json");
        StringBuilder all = new StringBuilder(HeraldVersion.current()).append(read(OWN + "index.html"));
        OWN_ASSETS.keySet().forEach(name -> all.append(read(OWN + name)));
        stamp = digest(all.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 12);
    }

    /** The page. */
    public APIGatewayV2HTTPResponse page(Map<String, String> headers) {
        return respond(loaded.computeIfAbsent("index.html", name -> file(
                versioned(read(OWN + name)).getBytes(StandardCharsets.UTF_8),
                "text/html; charset=utf-8")), headers, 60);
    }

    /** One of the page's files; 404 for any other name. */
    public APIGatewayV2HTTPResponse asset(String name, Map<String, String> headers) {
        if (name.equals("config.json")) {
            return respond(config, headers, 60);
        }
        String type = OWN_ASSETS.get(name);
        String codeMirror = CODEMIRROR_ASSETS.get(name);
        if (type == null && codeMirror == null) {
            throw new NotFoundException("No file '" + Names.abbreviate(name) + "' in the console");
        }
        File file = loaded.computeIfAbsent(name, n -> type != null
                ? file(versioned(read(OWN + n)).getBytes(StandardCharsets.UTF_8), type)
                : file(read(codeMirrorPath(codeMirror)).getBytes(StandardCharsets.UTF_8),
                        n.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8"));
        return respond(file, headers, 86400);
    }

    private static APIGatewayV2HTTPResponse respond(File file, Map<String, String> headers, int maxAge) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("content-type", file.type());
        out.put("cache-control", "public, max-age=" + maxAge);
        out.put("etag", file.etag());
        out.put("vary", "accept-encoding");
        out.put("x-content-type-options", "nosniff");
        if (file.type().startsWith("text/html")) {
            // the page runs only its own scripts, talks only to its own origin (and the WebSocket API), is never framed
            out.put("content-security-policy", "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; "
                    + "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
            out.put("referrer-policy", "no-referrer");
        }
        if (file.etag().equals(header(headers, "if-none-match"))) {
            return APIGatewayV2HTTPResponse.builder().withStatusCode(304).withHeaders(out).withBody("")
                    .withIsBase64Encoded(false).build();
        }
        String encoding = header(headers, "accept-encoding");
        if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("gzip")) {
            out.put("content-encoding", "gzip");
            return APIGatewayV2HTTPResponse.builder().withStatusCode(200).withHeaders(out)
                    .withBody(Base64.getEncoder().encodeToString(file.gzipped())).withIsBase64Encoded(true).build();
        }
        return APIGatewayV2HTTPResponse.builder().withStatusCode(200).withHeaders(out)
                .withBody(new String(file.plain(), StandardCharsets.UTF_8)).withIsBase64Encoded(false).build();
    }

    private static String header(Map<String, String> headers, String name) {
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return header.getValue();
            }
        }
        return null;
    }

    private static File file(byte[] plain, String type) {
        try {
            ByteArrayOutputStream zipped = new ByteArrayOutputStream(plain.length / 3 + 64);
            try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
                gzip.write(plain);
            }
            return new File(plain, zipped.toByteArray(), type, "\"" + digest(plain).substring(0, 24) + "\"");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The console's files name each other with the stamp, so that a changed file is never a cached old one. */
    private String versioned(String text) {
        return text.replace("{{version}}", stamp);
    }

    private static String codeMirrorPath(String file) {
        ClassLoader loader = ConsoleFiles.class.getClassLoader();
        try (InputStream properties = loader.getResourceAsStream("META-INF/maven/org.webjars.npm/codemirror/pom.properties")) {
            if (properties == null) {
                throw new NotFoundException("The console's editor is not installed here: ConsoleFunction needs ConsoleLayer");
            }
            Properties pom = new Properties();
            pom.load(properties);
            return CODEMIRROR + pom.getProperty("version") + "/" + file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(String path) {
        try (InputStream in = ConsoleFiles.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new NotFoundException("The console has no file " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
