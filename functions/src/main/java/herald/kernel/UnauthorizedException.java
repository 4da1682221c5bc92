package herald.kernel;

/** 401: No valid API key came with the request. */
public final class UnauthorizedException extends HeraldException {

    public UnauthorizedException(String detail) {
        super(detail);
    }

    @Override
    public int status() {
        return 401;
    }
}
