package herald.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import herald.triggers.TriggerReplays;
import java.time.Duration;
import java.util.Map;

/**
 * {@code ReplayFunction}: runs trigger replays. Invoked (asynchronously, by TriggerAdminFunction) with
 * {@code {"trigger", "replayId"}}, it goes on with that replay, step after step, until it is done or the invocation's
 * time is nearly up; on its schedule, it takes up the replays that no step holds (one died, or the hand-over was
 * lost). Either way a replay goes on from its last saved position.
 *
 * <p>Thread-safe.
 */
public final class ReplayFunction implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    /** Left of the invocation's time for the last save (the template gives it 900 s). */
    static final Duration MARGIN = Duration.ofSeconds(60);

    private final TriggerReplays replays;

    public ReplayFunction() {
        this(System.getenv());
    }

    public ReplayFunction(Map<String, String> environment) {
        this.replays = new Container(environment).triggerReplays();
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        Duration budget = Duration.ofMillis(Math.max(1_000, context.getRemainingTimeInMillis() - MARGIN.toMillis()));
        if (event != null && event.get("replayId") instanceof String id && event.get("trigger") instanceof String trigger) {
            replays.run(trigger, id, budget);
            return Map.of("replayId", id);
        }
        return Map.of("resumed", replays.resumeStalled(budget));
    }
}
