package herald.http;

/** The request would store more than fits in one item, or sends more than the API accepts: 413. */
public final class PayloadTooLargeException extends HeraldException {

    public PayloadTooLargeException(String detail) {
        super(detail);
    }
}
