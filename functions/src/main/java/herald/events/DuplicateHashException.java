package herald.events;

import herald.kernel.ConflictException;
import herald.kernel.Names;

/** Another live event holds the hash of the event being stored: 409, as in Ayon. */
public final class DuplicateHashException extends ConflictException {

    public DuplicateHashException(String hash) {
        super("Event with the same hash already exists (hash '" + Names.abbreviate(hash)
                + "'); send reuse=true to replace it");
    }
}
