package herald.events;

import herald.kernel.ConflictException;
import herald.kernel.Names;

/**
 * Another live event holds the hash of the event being stored: 409, as in Ayon. The detail says only that the hash
 * is taken, never by which event or of which project, so a key limited to projects learns no more of another
 * project's events than that one of them holds this hash.
 */
public final class DuplicateHashException extends ConflictException {

    public DuplicateHashException(String hash) {
        super("Event with the same hash already exists (hash '" + Names.abbreviate(hash)
                + "'); send reuse=true to replace it (only an event of your projects is replaced)");
    }
}
