package herald.http;

/** The request is malformed or breaks a rule of the contract: 400. */
public final class InvalidRequestException extends HeraldException {

    public InvalidRequestException(String detail) {
        super(detail);
    }
}
