package herald.kernel;

/** 403: The key is valid but lacks the right the detail names. */
public final class ForbiddenException extends HeraldException {

    public ForbiddenException(String detail) {
        super(detail);
    }

    @Override
    public int status() {
        return 403;
    }
}
