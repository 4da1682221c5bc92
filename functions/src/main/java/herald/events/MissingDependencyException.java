package herald.events;

import herald.kernel.ConflictException;

/** {@code dependsOn} names an event that does not exist (or has expired): 409, as Ayon's foreign key gives. */
public final class MissingDependencyException extends ConflictException {

    public MissingDependencyException(String dependsOn) {
        super("Event depends on non-existing event " + dependsOn);
    }
}
