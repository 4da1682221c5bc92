package herald.enroll;

/** What enroll hands a worker: the job event, the source it depends on, its hash and its status. */
public record Job(String id, String dependsOn, String hash, String status) {
}
