package herald.kernel;

/**
 * A failure the caller can do something about. The hierarchy is sealed and every kind carries its HTTP status, so
 * the compiler sees every kind and no failure reaches the HTTP adapter without one. The message is the
 * {@code detail} the caller reads: it says what was wrong and how to fix it, and never carries internals (an SDK
 * or DynamoDB message, a class name, a stack trace).
 *
 * <p>Domain code and stores throw these; the HTTP adapter turns them into {@code {"code","detail"}} in one place.
 */
public abstract sealed class HeraldException extends RuntimeException
        permits InvalidRequestException, UnauthorizedException, ForbiddenException, NotFoundException,
        MethodNotAllowedException, ConflictException, PayloadTooLargeException, RejectedException,
        UpstreamFailureException {

    protected HeraldException(String detail) {
        super(detail, null, false, false);
    }

    /** The HTTP status of this kind of failure. */
    public abstract int status();

    public String detail() {
        return getMessage();
    }
}
