package herald.http;

/** No credentials, or credentials that are not valid: 401. */
public final class UnauthorizedException extends HeraldException {

    public UnauthorizedException(String detail) {
        super(detail);
    }
}
