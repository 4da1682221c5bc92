package herald.http;

/**
 * A failure the caller can do something about. Each subclass is one kind of failure; {@link ErrorResponses}
 * maps each to its HTTP status in one place. The message is the {@code detail} the caller reads, so it says
 * what was wrong and how to fix it, and never carries internals.
 */
public abstract class HeraldException extends RuntimeException {

    protected HeraldException(String detail) {
        super(detail, null, false, false);
    }

    public String detail() {
        return getMessage();
    }
}
