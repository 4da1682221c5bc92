package herald.kernel;

/** 502: A source Herald depends on for this call (a script's S3 object or GitHub file) could not be read. */
public final class UpstreamFailureException extends HeraldException {

    public UpstreamFailureException(String detail) {
        super(detail);
    }

    @Override
    public int status() {
        return 502;
    }
}
