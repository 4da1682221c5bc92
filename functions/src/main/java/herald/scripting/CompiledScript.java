package herald.scripting;

import org.graalvm.polyglot.Source;

/**
 * A script's source wrapped as a function of {@code (event, platform, console)} and parsed once: the sandbox's
 * shared engine keeps the parsed code, so running it again in a fresh context does not parse it again. The
 * wrapper starts on the script's first line, so line numbers in errors are the script's own.
 */
public final class CompiledScript {

    private final String name;
    private final Source source;

    CompiledScript(String name, Source source) {
        this.name = name;
        this.source = source;
    }

    public String name() {
        return name;
    }

    Source source() {
        return source;
    }
}
