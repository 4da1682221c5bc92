package herald.scripting;

/** A linked script's source could not be fetched: the file is missing, or S3 or GitHub failed or refused. */
public final class ScriptLoadException extends RuntimeException {

    private final boolean missing;

    public ScriptLoadException(String message, boolean missing) {
        super(message, null, false, false);
        this.missing = missing;
    }

    /** True when the source answered that the file does not exist (as opposed to failing). */
    public boolean missing() {
        return missing;
    }
}
