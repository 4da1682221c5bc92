package herald.function;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SnapStart's priming: work done once before Lambda snapshots an initialised function, so that every instance
 * restored from the snapshot starts with it done (classes loaded and initialised, the script engine started).
 * Priming never opens a connection, reads credentials or captures a time or a random value: what it leaves behind
 * must be as valid in every restored instance as in the one that was snapshotted. On a JVM without CRaC (the local
 * runtime, the tests) the hook is never called.
 *
 * <p>Thread-safe.
 */
final class Priming implements Resource {

    private static final Logger LOG = LoggerFactory.getLogger(Priming.class);

    /** CRaC holds resources weakly: these are held for the life of the container. */
    private static final List<Priming> REGISTERED = new CopyOnWriteArrayList<>();

    private final Runnable work;

    private Priming(Runnable work) {
        this.work = work;
    }

    /** Runs {@code work} before the snapshot is taken. */
    static void beforeSnapshot(Runnable work) {
        Priming priming = new Priming(work);
        REGISTERED.add(priming);
        Core.getGlobalContext().register(priming);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        long started = System.nanoTime();
        try {
            work.run();
            LOG.info("Primed for the snapshot in {} ms", (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException e) {
            // a priming that fails costs the restored instances time, never a request
            LOG.warn("Priming failed; instances restored from this snapshot start without it", e);
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing to renew: priming captured nothing that differs per instance
    }
}
