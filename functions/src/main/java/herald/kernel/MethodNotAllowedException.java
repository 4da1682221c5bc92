package herald.kernel;

/** 405: The route exists but does not take this method. */
public final class MethodNotAllowedException extends HeraldException {

    public MethodNotAllowedException(String detail) {
        super(detail);
    }

    @Override
    public int status() {
        return 405;
    }
}
