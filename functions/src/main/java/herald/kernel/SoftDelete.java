package herald.kernel;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * Herald's one way of deleting what an admin manages (API keys, event scripts, scripted services, triggers), the
 * same for each (docs/api.md, "Deleting and restoring"):
 *
 * <ul>
 *   <li>{@code DELETE .../{name}} deletes softly: the record stays where it is with {@link #ATTRIBUTE} set and stops
 *   taking effect at once (a key fails, a script stops running, a trigger stops firing);</li>
 *   <li>reads and listings leave a deleted record out, unless asked with {@code ?include_deleted=true}, which shows
 *   it with its {@code deleted_date};</li>
 *   <li>{@code POST .../{name}/restore} brings it back as it was;</li>
 *   <li>{@code DELETE .../{name}?purge=true} removes it for good, whether live or already deleted;</li>
 *   <li>a new record may take a deleted one's name: the deleted one is then removed for good (and its
 *   {@code ResourceHardDeleted} emitted), so a name is never held by a record nobody sees.</li>
 * </ul>
 */
public final class SoftDelete {

    /** The stored attribute that marks a deleted record, holding when it was deleted ({@link Timestamps}). */
    public static final String ATTRIBUTE = "deletedAt";
    /** The field of the wire form that shows it. */
    public static final String WIRE_FIELD = "deleted_date";
    /** The query parameter that shows deleted records too. */
    public static final String INCLUDE_PARAMETER = "include_deleted";

    private SoftDelete() {
    }

    /**
     * The dates every admin-managed record shows, in DreamFactory's names: {@code created_date},
     * {@code last_modified_date}, {@code last_modified_by} and, for a deleted one, {@code deleted_date}.
     */
    public static void putDates(ObjectNode json, Instant createdAt, Instant updatedAt, String updatedBy,
            Instant deletedAt) {
        json.put("created_date", Timestamps.format(createdAt));
        json.put("last_modified_date", Timestamps.format(updatedAt));
        json.put("last_modified_by", updatedBy);
        if (deletedAt != null) {
            json.put(WIRE_FIELD, Timestamps.format(deletedAt));
        }
    }

    /** 409 for a create whose name a live record holds. */
    public static ConflictException nameTaken(String what, String name, String path) {
        return new ConflictException("A " + what + " named '" + name + "' exists; change it at " + path
                + ", or delete it first");
    }

    /** 409 for a restore of a record that is not deleted. */
    public static ConflictException notDeleted(String what, String name) {
        return new ConflictException("The " + what + " '" + name + "' is not deleted, so there is nothing to restore");
    }
}
