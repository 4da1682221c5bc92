package herald.scripting;

/** A script whose source does not parse; thrown when it is loaded, so it is reported, not cached. */
public final class ScriptSyntaxException extends Exception {

    private final ScriptFailure failure;

    public ScriptSyntaxException(ScriptFailure failure) {
        super(failure.detail(), null, false, false);
        this.failure = failure;
    }

    public ScriptFailure failure() {
        return failure;
    }
}
