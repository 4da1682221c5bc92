package herald.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.kernel.HeraldVersion;
import herald.kernel.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;

/**
 * Herald's AsyncAPI 3.0 document: the WebSocket API (kept beside the code that writes its messages, in
 * {@code herald/realtime/asyncapi.json}) and one channel for each script event Herald fires, derived from the route
 * table as the catalogue of scriptable event names is ({@link ScriptCatalogue}); a scripted service's events are
 * one channel each with the parameter {@code service}.
 *
 * <p>Immutable once built and thread-safe.
 */
public final class AsyncApi {

    private AsyncApi() {
    }

    /** Built on first use, once per container (the JVM's lazy, thread-safe class initialisation). */
    private static final class Built {
        static final ObjectNode DOCUMENT = build();
    }

    /** The document; callers must not change it. */
    public static ObjectNode document() {
        return Built.DOCUMENT;
    }

    static ObjectNode build() {
        ObjectNode doc;
        try (InputStream in = AsyncApi.class.getResourceAsStream("/herald/realtime/asyncapi.json")) {
            doc = (ObjectNode) Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ((ObjectNode) doc.get("info")).put("version", HeraldVersion.current());
        ObjectNode channels = (ObjectNode) doc.get("channels");
        ObjectNode operations = (ObjectNode) doc.get("operations");
        for (String name : ScriptCatalogue.eventNames(Set.of("{service}"))) {
            String id = "script." + name.replace("{service}", "service");
            ObjectNode channel = channels.putObject(id);
            channel.put("address", name);
            channel.put("title", "Scripts bound to " + name);
            channel.putObject("messages").putObject("scriptEvent").put("$ref", "#/components/messages/ScriptEvent");
            if (name.contains("{service}")) {
                channel.putObject("parameters").putObject("service").put("description", "A scripted service's name");
            }
            ObjectNode operation = operations.putObject(id.replace('.', '_'));
            operation.put("action", "send");
            operation.putObject("channel").put("$ref", "#/channels/" + id);
            operation.put("summary", name.endsWith(".queued") ? "Run later, with the call's rights, once it answered"
                    : name.endsWith(".pre_process") ? "Run before the call; may change its request or reject it"
                    : "Run after the call; may change its response");
            operation.putArray("messages").addObject().put("$ref", "#/channels/" + id + "/messages/scriptEvent");
        }
        return doc;
    }
}
