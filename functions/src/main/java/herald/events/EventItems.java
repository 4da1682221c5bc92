package herald.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.auth.Principal;
import herald.auth.Role;
import herald.kernel.Json;
import herald.kernel.PayloadTooLargeException;
import herald.kernel.Timestamps;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * How an {@link Event} is laid out as a DynamoDB item of the events table. {@code summary} and {@code payload}
 * are stored as JSON text, exactly as sent. {@code createdKey} ({@code createdAt#id}) is the sort key of the
 * time-ordered indexes. Absent optional fields are absent attributes, which keeps the indexes on
 * {@code project} and {@code dependsOn} sparse.
 */
public final class EventItems {

    /** DynamoDB's item size limit: 400 KB, counting attribute names and values. */
    public static final int MAX_ITEM_BYTES = 400 * 1024;

    static final String ID = EventsTable.ID;
    static final String HASH = "hash";
    static final String TOPIC = EventsTable.TOPIC;
    static final String SENDER = "sender";
    static final String SENDER_TYPE = "senderType";
    static final String PROJECT = EventsTable.PROJECT;
    static final String USER = "user";
    static final String DEPENDS_ON = EventsTable.DEPENDS_ON;
    static final String STATUS = "status";
    static final String RETRIES = "retries";
    /** The progress the update that wrote this version reported: for the stream's message, never read back. */
    static final String PROGRESS = "progress";
    static final String DESCRIPTION = "description";
    static final String SUMMARY = "summary";
    static final String PAYLOAD = "payload";
    static final String CREATED_AT = "createdAt";
    static final String UPDATED_AT = "updatedAt";
    static final String CREATED_KEY = EventsTable.CREATED_KEY;
    static final String EXPIRES_AT = EventsTable.EXPIRES_AT;
    static final String OPEN_JOB = EventsTable.OPEN_JOB;
    /** The role and projects of whoever dispatched the event, when it was dispatched (never on the wire). */
    static final String CAUSED_BY_ROLE = "causedByRole";
    static final String CAUSED_BY_PROJECTS = "causedByProjects";
    private static final java.util.Set<EventStatus> OPEN_STATUSES =
            java.util.EnumSet.of(EventStatus.PENDING, EventStatus.IN_PROGRESS, EventStatus.FAILED, EventStatus.RESTARTED);

    private EventItems() {
    }

    public static Map<String, AttributeValue> toItem(Event event) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ID, s(event.id()));
        item.put(HASH, s(event.hash()));
        item.put(TOPIC, s(event.topic()));
        putIfPresent(item, SENDER, event.sender());
        putIfPresent(item, SENDER_TYPE, event.senderType());
        putIfPresent(item, PROJECT, event.project());
        putIfPresent(item, USER, event.user());
        putIfPresent(item, DEPENDS_ON, event.dependsOn());
        item.put(STATUS, s(event.status().wireName()));
        item.put(RETRIES, n(event.retries()));
        item.put(DESCRIPTION, s(event.description()));
        item.put(SUMMARY, s(Json.write(event.summary())));
        item.put(PAYLOAD, s(Json.write(event.payload())));
        item.put(CREATED_AT, s(Timestamps.format(event.createdAt())));
        item.put(UPDATED_AT, s(Timestamps.format(event.updatedAt())));
        item.put(CREATED_KEY, s(createdKey(event)));
        item.put(EventsTable.TIME_SHARD, s(EventsTable.timeShard(createdKey(event), event.id())));
        if (event.expiresAt() != null) {
            item.put(EXPIRES_AT, n(event.expiresAt()));
        }
        if (isOpenJob(event)) {
            item.put(OPEN_JOB, s(event.topic()));
        }
        if (event.progress() != null) {
            // plain digits: DynamoDB reads no exponent like 1.0E-4
            item.put(PROGRESS, AttributeValue.fromN(java.math.BigDecimal.valueOf(event.progress()).toPlainString()));
        }
        if (event.causedBy() != null) {
            item.put(CAUSED_BY_ROLE, s(event.causedBy().role().wireName()));
            if (event.causedBy().projects() != null) {
                item.put(CAUSED_BY_PROJECTS, event.causedBy().projects().isEmpty() ? AttributeValue.fromL(List.of())
                        : AttributeValue.fromSs(new ArrayList<>(event.causedBy().projects())));
            }
        }
        return item;
    }

    public static Event fromItem(Map<String, AttributeValue> item) {
        return new Event(
                item.get(ID).s(),
                item.get(HASH).s(),
                item.get(TOPIC).s(),
                text(item, SENDER),
                text(item, SENDER_TYPE),
                text(item, PROJECT),
                text(item, USER),
                text(item, DEPENDS_ON),
                EventStatus.fromWire(item.get(STATUS).s()),
                Integer.parseInt(item.get(RETRIES).n()),
                text(item, DESCRIPTION) == null ? "" : text(item, DESCRIPTION),
                (ObjectNode) Json.readStored(item.get(SUMMARY).s()),
                (ObjectNode) Json.readStored(item.get(PAYLOAD).s()),
                Timestamps.parse(item.get(CREATED_AT).s()),
                Timestamps.parse(item.get(UPDATED_AT).s()),
                item.containsKey(EXPIRES_AT) ? Long.valueOf(item.get(EXPIRES_AT).n()) : null,
                causedBy(item),
                item.containsKey(PROGRESS) ? Double.valueOf(item.get(PROGRESS).n()) : null);
    }

    /** Who caused the event, with the rights it had then; null when not recorded or of a role no longer known. */
    private static Principal causedBy(Map<String, AttributeValue> item) {
        Role role = item.containsKey(CAUSED_BY_ROLE) ? Role.parse(item.get(CAUSED_BY_ROLE).s()) : null;
        String user = text(item, USER);
        if (role == null || user == null) {
            return null;
        }
        Set<String> projects = null;
        if (item.containsKey(CAUSED_BY_PROJECTS)) {
            AttributeValue value = item.get(CAUSED_BY_PROJECTS);
            projects = value.hasSs() ? Set.copyOf(value.ss()) : Set.of();
        }
        return new Principal(user, role, projects);
    }

    /** A job (an event that depends on another) that is not finished or aborted. */
    public static boolean isOpenJob(Event event) {
        return event.dependsOn() != null && OPEN_STATUSES.contains(event.status());
    }

    public static String createdKey(Event event) {
        return Timestamps.format(event.createdAt()) + "#" + event.id();
    }

    /** The item's size as DynamoDB counts it: the UTF-8 length of every name plus the size of every value. */
    public static int sizeOf(Map<String, AttributeValue> item) {
        int size = 0;
        for (var entry : item.entrySet()) {
            size += utf8Length(entry.getKey()) + sizeOf(entry.getValue());
        }
        return size;
    }

    /** Refuses, before any write, an event that cannot be stored in one item. */
    public static Map<String, AttributeValue> requireStorable(Map<String, AttributeValue> item) {
        int size = sizeOf(item);
        if (size > MAX_ITEM_BYTES) {
            throw new PayloadTooLargeException("The event is " + size + " bytes as stored, over DynamoDB's item limit of "
                    + MAX_ITEM_BYTES + " bytes (400 KB) for all its fields together; keep summary and payload small, "
                    + "and put large data in S3 with a reference in the payload");
        }
        return item;
    }

    private static int sizeOf(AttributeValue value) {
        if (value.s() != null) {
            return utf8Length(value.s());
        } else if (value.n() != null) {
            // DynamoDB stores numbers in about one byte per two significant digits, plus one.
            return (value.n().length() + 1) / 2 + 1;
        } else if (value.b() != null) {
            return value.b().asByteArray().length;
        } else if (value.bool() != null || Boolean.TRUE.equals(value.nul())) {
            return 1;
        } else if (value.hasM()) {
            return 3 + value.m().entrySet().stream()
                    .mapToInt(e -> utf8Length(e.getKey()) + 1 + sizeOf(e.getValue())).sum();
        } else if (value.hasL()) {
            return 3 + value.l().stream().mapToInt(v -> 1 + sizeOf(v)).sum();
        } else if (value.hasSs()) {
            return value.ss().stream().mapToInt(EventItems::utf8Length).sum();
        } else if (value.hasNs()) {
            return value.ns().stream().mapToInt(n -> (n.length() + 1) / 2 + 1).sum();
        } else if (value.hasBs()) {
            return value.bs().stream().mapToInt(b -> b.asByteArray().length).sum();
        }
        return 1;
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, s(value));
        }
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }
}
