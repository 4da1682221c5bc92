package herald.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import herald.kernel.Names;
import herald.kernel.NotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The interactive API page at {@code /docs}: Swagger UI (its WebJar, which {@code SwaggerUiLayer} brings to
 * ServerFunction) showing {@code /openapi.json}, where a user enters a key under "Authorize" and calls the API. The
 * page and its two assets are the only files served; links are relative, so the page works under a named stage too.
 *
 * <p>Thread-safe.
 */
public final class ApiPage {

    private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
    private static final Map<String, String> ASSETS = Map.of(
            "swagger-ui.css", "text/css; charset=utf-8",
            "swagger-ui-bundle.js", "text/javascript; charset=utf-8");
    private static final Map<String, String> LOADED = new ConcurrentHashMap<>();
    private static final String PAGE = """
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>Herald API</title>
              <link rel="stylesheet" href="docs/swagger-ui.css">
            </head>
            <body>
              <div id="api"></div>
              <script src="docs/swagger-ui-bundle.js"></script>
              <script>
                window.ui = SwaggerUIBundle({ url: "openapi.json", dom_id: "#api", deepLinking: true,
                  persistAuthorization: true, tryItOutEnabled: true, displayRequestDuration: true });
              </script>
            </body>
            </html>
            """;

    private ApiPage() {
    }

    public static APIGatewayV2HTTPResponse page() {
        return ApiResponses.text("text/html; charset=utf-8", PAGE, 300);
    }

    /** One of Swagger UI's assets; 404 for any other name. */
    public static APIGatewayV2HTTPResponse asset(String name) {
        String type = ASSETS.get(name);
        if (type == null) {
            throw new NotFoundException("No asset '" + Names.abbreviate(name) + "' at /docs: the page uses only "
                    + String.join(" and ", new java.util.TreeSet<>(ASSETS.keySet())));
        }
        return ApiResponses.text(type, LOADED.computeIfAbsent(name, ApiPage::load), 86400);
    }

    private static String load(String name) {
        ClassLoader loader = ApiPage.class.getClassLoader();
        try (InputStream properties = loader.getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            if (properties == null) {
                throw new NotFoundException("The API page is not installed here: ServerFunction needs SwaggerUiLayer");
            }
            Properties pom = new Properties();
            pom.load(properties);
            try (InputStream in = loader.getResourceAsStream(WEBJAR + pom.getProperty("version") + "/" + name)) {
                if (in == null) {
                    throw new NotFoundException("Swagger UI " + pom.getProperty("version") + " has no " + name);
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
