package herald.scripting;

/**
 * Why a script run ended without finishing: it threw {@code {status, message}} to reject the call
 * ({@link Kind#REJECTED}, with a 4xx or 5xx status of its choosing), it threw anything else or failed
 * ({@link Kind#ERROR}), it ran past its time or statement limit ({@link Kind#STOPPED}), or its source does not
 * parse ({@link Kind#SYNTAX}). {@code line} is the script's line, or 0 when unknown.
 */
public record ScriptFailure(Kind kind, String script, int status, String message, int line) {

    public enum Kind { REJECTED, ERROR, STOPPED, SYNTAX }

    /** The {@code detail} the caller reads. */
    public String detail() {
        switch (kind) {
            case REJECTED:
                return message;
            case STOPPED:
                return "Script '" + script + "' was stopped: " + message;
            case SYNTAX:
                return "Script '" + script + "' has a syntax error" + at() + ": " + message;
            default:
                return "Script '" + script + "' failed" + at() + ": " + message;
        }
    }

    public int httpStatus() {
        return kind == Kind.REJECTED ? status : 500;
    }

    private String at() {
        return line > 0 ? " at line " + line : "";
    }
}
