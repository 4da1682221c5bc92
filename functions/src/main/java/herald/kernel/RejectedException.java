package herald.kernel;

/**
 * A call stopped with a status chosen at run time by code an administrator wrote: an event script that throws
 * {@code {status, message}} (any 4xx or 5xx), or a script that does not compile or failed (500). The only kind
 * whose status is not fixed by its type.
 */
public final class RejectedException extends HeraldException {

    private final int status;

    public RejectedException(int status, String detail) {
        super(detail);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("Not an error status: " + status);
        }
        this.status = status;
    }

    @Override
    public int status() {
        return status;
    }
}
