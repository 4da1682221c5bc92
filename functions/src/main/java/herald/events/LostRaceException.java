package herald.events;

import herald.kernel.ConflictException;

/** Another writer changed what a conditional write relied on, first. Callers usually move on rather than fail. */
public final class LostRaceException extends ConflictException {

    public LostRaceException() {
        super("Another request changed the same data at the same time; retry the request");
    }
}
