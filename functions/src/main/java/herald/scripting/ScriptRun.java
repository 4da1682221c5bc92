package herald.scripting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What one run of a script left behind: the {@code event} object as the script left it, its return value (JSON
 * {@code null} when it returned nothing), the lines it logged ({@code level: message}), and how it failed, if it
 * did.
 */
public record ScriptRun(ObjectNode event, JsonNode result, List<String> logs, ScriptFailure failure) {

    public boolean failed() {
        return failure != null;
    }
}
