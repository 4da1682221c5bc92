package herald.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import herald.events.Event;
import herald.events.EventItems;
import herald.events.EventStatus;
import herald.kernel.Json;
import herald.triggers.Trigger;
import herald.triggers.TriggerActions;
import herald.triggers.TriggerFilter;
import herald.triggers.TriggerMatcher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.event.ruler.Machine;

/**
 * Trigger matching: events matched per second against 10, 1,000 and 10,000 active triggers, as ReactionsFunction
 * matches them (stream item to event, event to JSON, event-ruler, the matched triggers), beside the same events,
 * already JSON, through event-ruler alone with the same patterns, in the same run. Half the triggers use the
 * seed's form (topic and a wildcard on a payload path), half EventBridge operators (prefix, numeric,
 * anything-but).
 */
final class TriggerBenchmark {

    private static final int EVENTS = Benchmarks.size(20_000, 50);
    private static final int ROUNDS = Benchmarks.size(4, 1);

    private TriggerBenchmark() {
    }

    static void run(java.nio.file.Path template) throws Exception {
        System.out.println("== triggers: events matched per second (Herald's matcher vs event-ruler alone, same patterns)");
        Random random = new Random(42);
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        List<String> jsons = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            ObjectNode payload = Json.MAPPER.createObjectNode();
            payload.putObject("resource").put("type", "svc" + random.nextInt(20_000) + ".Item");
            payload.put("frames", random.nextInt(1000));
            payload.put("stage", random.nextBoolean() ? "comp" : "anim");
            Instant now = Instant.parse("2026-11-23T00:00:00Z").plusMillis(i);
            Event event = new Event(String.format("%032x", i), null, "bench.t" + random.nextInt(100), "s", "api",
                    "p" + random.nextInt(10), "u", null, EventStatus.FINISHED, 0, "", Json.MAPPER.createObjectNode(),
                    payload, now, now, null, null, null);
            items.add(EventItems.toItem(event));
            jsons.add(TriggerActions.matchable(event).toString());
        }
        System.out.printf("%10s %8s %16s %16s %8s %10s%n", "triggers", "events", "Herald ev/s", "event-ruler ev/s",
                "ratio", "matches");
        for (int count : Benchmarks.smoke() ? new int[] {10, 100} : new int[] {10, 1_000, 10_000}) {
            List<Trigger> triggers = triggers(count);
            TriggerMatcher matcher = TriggerMatcher.of(triggers);
            Machine machine = new Machine();
            for (Trigger trigger : triggers) {
                machine.addRule(trigger.name(), trigger.pattern());
            }
            double herald = 0;
            double ruler = 0;
            long matches = 0;
            // fewer events against many triggers, so every size takes a few seconds
            int events = Math.min(EVENTS, 20_000_000 / count / 10);
            for (int round = 0; round < ROUNDS; round++) {
                long start = System.nanoTime();
                long found = 0;
                for (Map<String, AttributeValue> item : items.subList(0, events)) {
                    found += matcher.matching(TriggerActions.matchable(EventItems.fromItem(item))).size();
                }
                double heraldRate = events / ((System.nanoTime() - start) / 1e9);
                start = System.nanoTime();
                long found2 = 0;
                for (String json : jsons.subList(0, events)) {
                    found2 += machine.rulesForJSONEvent(json).size();
                }
                double rulerRate = events / ((System.nanoTime() - start) / 1e9);
                if (found != found2) {
                    throw new IllegalStateException("Herald matched " + found + ", event-ruler " + found2);
                }
                if (round > 0) { // the first round warms up
                    herald += heraldRate;
                    ruler += rulerRate;
                }
                matches = found;
            }
            herald /= ROUNDS - 1;
            ruler /= ROUNDS - 1;
            System.out.printf("%10d %8d %16.0f %16.0f %8.2f %10d%n", count, events, herald, ruler, herald / ruler, matches);
        }
    }

    private static List<Trigger> triggers(int count) throws Exception {
        List<Trigger> triggers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String filter = i % 2 == 0
                    ? "{\"event\":\"bench.t" + (i % 100) + "\",\"resource.type\":\"svc" + i + "*\"}"
                    : switch (i % 3) {
                        case 0 -> "{\"topic\":[{\"prefix\":\"bench.t" + (i % 100) + "\"}],\"payload\":{\"frames\":[{\"numeric\":[\">\","
                                + (i % 1000) + "]}],\"stage\":[\"comp\"]}}";
                        case 1 -> "{\"topic\":[\"bench.t" + (i % 100) + "\"],\"project\":[\"p" + (i % 10) + "\"],"
                                + "\"payload\":{\"stage\":[{\"anything-but\":[\"anim\"]}]}}";
                        default -> "{\"topic\":[\"bench.t" + (i % 100) + "\"],\"payload\":{\"frames\":[{\"numeric\":[\"=\","
                                + (i % 1000) + "]}]}}";
                    };
            var json = Json.MAPPER.readTree(filter);
            triggers.add(new Trigger("t" + i, json, TriggerFilter.toPattern(json), Trigger.On.BOTH, true,
                    Json.MAPPER.createObjectNode().put("type", "notify"), Instant.EPOCH, Instant.EPOCH, "bench", null));
        }
        return triggers;
    }
}
