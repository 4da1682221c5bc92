package herald.scripting;

/** A script ready to run: its record, the source it was loaded from, and that source compiled for the sandbox. */
public record LoadedScript(ScriptRecord record, CompiledScript compiled) {

    public String name() {
        return record.name();
    }
}
