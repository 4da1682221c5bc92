package herald.triggers;

import herald.events.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the triggers do about one created or changed event: it is matched against the active triggers and each
 * match's action carried out. A webhook that could not be recorded throws, for the stream to resend the change
 * (deliveries are recorded once per change, so nothing goes out twice for it); notifications and scripts are best
 * effort. Events that triggers' own scripts dispatch trigger nothing, so triggers cannot loop. A trigger reacts only
 * to what happened after it was created (a change the stream brings late is not delivered twice when the trigger
 * replays from its {@code start}).
 *
 * <p>Thread-safe.
 */
public final class TriggerReactions {

    private static final Logger LOG = LoggerFactory.getLogger(TriggerReactions.class);

    private final TriggerMatcher matcher;
    private final TriggerActions actions;

    public TriggerReactions(TriggerMatcher matcher, TriggerActions actions) {
        this.matcher = matcher;
        this.actions = actions;
    }

    /** Brings the compiled triggers up to date, once per batch of changes. */
    public void refresh() {
        matcher.refresh();
    }

    /** Passes the webhook deliveries this batch recorded on to WebhookFunction; after every batch, failed or not. */
    public void handOff() {
        actions.handOff();
    }

    /**
     * Reacts to an event created ({@code previous} null) or changed from {@code previous}. The event is matched as
     * Herald shows it and, when an active trigger asks for its transition, with {@code new}, {@code old} and
     * {@code changed} too.
     */
    public void react(Event changed, Event previous, boolean created) {
        if (changed.user() != null && changed.user().startsWith(TriggerActions.USER_PREFIX)) {
            return;
        }
        var matchable = matcher.needsTransitions() ? TriggerActions.matchable(changed, previous)
                : TriggerActions.matchable(changed);
        for (Trigger trigger : matcher.matching(matchable)) {
            if (!trigger.on().accepts(created)) {
                continue;
            }
            if (trigger.createdAt() != null && changed.updatedAt().isBefore(trigger.createdAt())) {
                // what happened before the trigger existed is a replay's to deliver ("start"), not the stream's
                continue;
            }
            try {
                actions.act(trigger, changed, previous, created);
            } catch (RuntimeException e) {
                if (trigger.actionType().equals("webhook")) {
                    throw e;
                }
                LOG.warn("Trigger {} failed on event {}", trigger.name(), changed.id(), e);
            }
        }
    }
}
