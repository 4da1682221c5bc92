package herald.kernel;

/** 404: What the request names does not exist (or the caller may not know that it does). */
public final class NotFoundException extends HeraldException {

    public NotFoundException(String detail) {
        super(detail);
    }

    @Override
    public int status() {
        return 404;
    }
}
