package herald.http;

/**
 * A failure whose status is decided where it happens rather than by its kind: a script that rejects a call with
 * {@code throw {status: 403, message: ...}}, a method a route does not take (405), a script source that could not
 * be fetched (502).
 */
public final class StatusException extends HeraldException {

    private final int status;

    public StatusException(int status, String detail) {
        super(detail);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("Not an error status: " + status);
        }
        this.status = status;
    }

    public int status() {
        return status;
    }
}
