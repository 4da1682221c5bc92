package herald.scripting;

/**
 * The two kinds of script Herald keeps: event scripts, bound to an event name, and scripted services, which
 * answer {@code /api/v2/{name}} themselves. Each has its own admin resource under {@code /api/v2/system}.
 */
public enum ScriptKind {
    EVENT_SCRIPT("event_script", "herald.EventScript"),
    SERVICE("service", "herald.ScriptedService");

    private final String resource;
    private final String resourceType;

    ScriptKind(String resource, String resourceType) {
        this.resource = resource;
        this.resourceType = resourceType;
    }

    /** The admin resource, {@code /api/v2/system/<resource>}, and the partition key of its items. */
    public String resource() {
        return resource;
    }

    public String resourceType() {
        return resourceType;
    }

    public static ScriptKind ofResource(String resource) {
        for (ScriptKind kind : values()) {
            if (kind.resource.equals(resource)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("No script kind " + resource);
    }

    /** The cache key of a script of this kind: what a clear names. */
    public String cacheKey(String name) {
        return this == EVENT_SCRIPT ? "event:" + name : "service:" + name;
    }
}
