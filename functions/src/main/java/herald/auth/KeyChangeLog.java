package herald.auth;

import java.time.Duration;
import java.util.Map;

/**
 * Where key changes are recorded for every function to read on its next call. Implemented on the per-call stamp that
 * the functions read anyway (the script cache's), so that checking costs no extra read.
 */
public interface KeyChangeLog {

    /** How long a change is kept: longer than any authorizer answer is cached (5 minutes, see template.yaml). */
    Duration KEPT = Duration.ofMinutes(15);

    /** Records a change; changes older than {@link #KEPT} may be forgotten. */
    void record(KeyChange change);

    /** The changes recorded within {@link #KEPT}, by fingerprint: what a call reads with its stamp. */
    interface Snapshot {
        Map<String, KeyChange> keyChanges();
    }
}
