package herald.events;

import herald.kernel.InvalidRequestException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The six statuses of the Ayon contract, with their wire names. */
public enum EventStatus {
    PENDING("pending"),
    IN_PROGRESS("in_progress"),
    FINISHED("finished"),
    FAILED("failed"),
    ABORTED("aborted"),
    RESTARTED("restarted");

    private final String wireName;

    EventStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static EventStatus fromWire(String value) {
        for (EventStatus status : values()) {
            if (status.wireName.equals(value)) {
                return status;
            }
        }
        throw new InvalidRequestException("Unknown status '" + value + "'; use one of "
                + Arrays.stream(values()).map(EventStatus::wireName).collect(Collectors.joining(", ")));
    }
}
