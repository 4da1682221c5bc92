package herald.http;

/** The request contradicts what is stored: a duplicate hash, a missing dependency, dependants in the way: 409. */
public class ConflictException extends HeraldException {

    public ConflictException(String detail) {
        super(detail);
    }
}
