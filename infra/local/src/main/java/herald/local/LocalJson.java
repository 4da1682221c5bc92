package herald.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;

/**
 * The local runtime's own JSON, as API Gateway and Lambda's runtime would read and write it: it shares nothing with
 * the functions it runs, which bring their own. Thread-safe once configured, as Jackson documents.
 */
final class LocalJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private LocalJson() {
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
