package herald.kernel;

/** 400: The request is malformed or a value is out of range: the detail names the field. */
public final class InvalidRequestException extends HeraldException {

    public InvalidRequestException(String detail) {
        super(detail);
    }

    @Override
    public int status() {
        return 400;
    }
}
