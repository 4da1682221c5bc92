package herald.http;

/** A valid key without the right to do what it asked: 403. The detail says which right is missing. */
public final class ForbiddenException extends HeraldException {

    public ForbiddenException(String detail) {
        super(detail);
    }
}
