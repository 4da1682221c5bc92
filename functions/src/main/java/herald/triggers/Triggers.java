package herald.triggers;

/**
 * The triggers capability of one container, as the composition root wires it: the stores, the webhook sender and the
 * endpoints' shared state (when the function has the deliveries table), the matcher and the actions.
 */
public record Triggers(TriggerStore store, DeliveryStore deliveries, EndpointStore endpoints, Webhooks webhooks,
        TriggerMatcher matcher, TriggerActions actions, boolean allowPrivateUrls) {

}
