package herald.events;

import java.time.Instant;

/**
 * A project Herald knows: one that holds an event, that a key is limited to, or that an admin declared. Herald keeps
 * no project entity beyond what Ayon's clients read of one: its {@code code} (the name unless set), a {@code label}
 * and {@code color} for people, whether it is {@code active} (true unless an admin deactivated it) and a
 * {@code library} project, and when it was first known and last changed.
 */
public record Project(String name, String code, String label, String color, boolean active, boolean library,
        Instant createdAt, Instant updatedAt) {

    /** A project first known now, as dispatching into it or limiting a key to it makes it. */
    public static Project known(String name, Instant at) {
        return new Project(name, name, null, null, true, false, at, at);
    }
}
