package herald.kernel;

/** 413: The body or the item it would become is larger than Herald stores. */
public final class PayloadTooLargeException extends HeraldException {

    public PayloadTooLargeException(String detail) {
        super(detail);
    }

    @Override
    public int status() {
        return 413;
    }
}
