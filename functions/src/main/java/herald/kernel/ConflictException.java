package herald.kernel;

/**
 * 409: the request conflicts with what is stored (a duplicate hash, a lost race, a missing dependency). Open for
 * the domain's own kinds of conflict, whose status stays 409.
 */
public non-sealed class ConflictException extends HeraldException {

    public ConflictException(String detail) {
        super(detail);
    }

    @Override
    public final int status() {
        return 409;
    }
}
