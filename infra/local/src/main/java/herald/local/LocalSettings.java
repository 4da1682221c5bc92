package herald.local;

import java.util.List;
import java.util.Map;

/**
 * What the local runtime needs to know of a template beyond what CloudFormation reads, from the template's
 * {@code Metadata.LocalRuntime} section (CloudFormation ignores it): which parameter holds the API key the runtime
 * fills in ({@code ApiKeyParameter}, from {@code HERALD_API_KEY} or generated), and the lines it prints once it runs
 * ({@code Banner}, in which {@code ${BaseUrl}}, {@code ${WebSocketUrl}} and {@code ${ApiKey}} are filled in). Both
 * are optional; the runtime itself knows nothing of the system it runs.
 */
record LocalSettings(String apiKeyParameter, List<String> banner) {

    static LocalSettings of(Map<String, Object> document) {
        Object metadata = document.get("Metadata");
        Object local = metadata instanceof Map<?, ?> m ? m.get("LocalRuntime") : null;
        if (!(local instanceof Map<?, ?> settings)) {
            return new LocalSettings(null, List.of());
        }
        Object parameter = settings.get("ApiKeyParameter");
        Object banner = settings.get("Banner");
        return new LocalSettings(parameter == null ? null : String.valueOf(parameter),
                banner instanceof List<?> lines ? lines.stream().map(String::valueOf).toList() : List.of());
    }

    /** The banner with the running runtime's values in place of its placeholders. */
    List<String> banner(String baseUrl, String webSocketUrl, String apiKey) {
        return banner.stream().map(line -> line.replace("${BaseUrl}", baseUrl)
                .replace("${WebSocketUrl}", webSocketUrl == null ? "" : webSocketUrl)
                .replace("${ApiKey}", apiKey == null ? "" : apiKey)).toList();
    }
}
