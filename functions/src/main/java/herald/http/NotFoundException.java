package herald.http;

/** The addressed thing (an event, a route) does not exist: 404. */
public final class NotFoundException extends HeraldException {

    public NotFoundException(String detail) {
        super(detail);
    }
}
