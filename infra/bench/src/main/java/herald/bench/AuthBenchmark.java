package herald.bench;

import herald.auth.ApiKey;
import herald.auth.ApiKeyAuthenticator;
import herald.auth.ApiKeyStore;
import herald.auth.AuthorizerContext;
import herald.auth.KeyChange;
import herald.auth.Role;
import herald.function.AuthorizerFunction;
import herald.local.LocalHerald;
import herald.scripting.CacheStamps;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The authorizer's cost per call that API Gateway does not answer from its cache: {@code AuthorizerFunction} with a
 * stored key (one consistent GetItem of the key's hash item, the context built), beside the same GetItem alone on
 * the same DynamoDB Local in the same run; and with the deployment's key (no read at all).
 */
final class AuthBenchmark {

    private static final String KEY = "bench-key-0123456789abcdef0123456789";
    private static final int CALLS = Benchmarks.size(2_000, 20);

    private AuthBenchmark() {
    }

    static void run(Path template) throws Exception {
        try (LocalHerald herald = LocalHerald.start(template, "127.0.0.1", 0, Map.of("AdminApiKey", KEY))) {
            Map<String, String> environment = herald.functionEnvironment("AuthorizerFunction");
            var dynamoDb = Seeding.functionLikeClient(environment);
            String table = environment.get("API_KEYS_TABLE");
            String stored = "hk_benchmarkkey0123456789abcdefghijklmnopqrstu";
            Instant now = Instant.now();
            new ApiKeyStore(dynamoDb, table).create(new ApiKey("bench", ApiKeyAuthenticator.hash(stored), "hk_bench",
                    Role.SERVICE, null, null, null, now, now, now, "admin", null));
            AuthorizerFunction authorizer = new AuthorizerFunction(environment);
            Map<String, Object> withStored = Map.of("version", "2.0", "type", "REQUEST", "headers", Map.of("x-api-key", stored));
            Map<String, Object> withDeployment = Map.of("version", "2.0", "type", "REQUEST", "headers", Map.of("x-api-key", KEY));
            Map<String, AttributeValue> itemKey = Map.of("id", AttributeValue.fromS("hash#" + ApiKeyAuthenticator.hash(stored)));

            List<Double> authorized = new ArrayList<>();
            List<Double> reads = new ArrayList<>();
            List<Double> deployment = new ArrayList<>();
            for (int round = 0; round < 2; round++) { // the first round warms up
                authorized.clear();
                reads.clear();
                deployment.clear();
                for (int i = 0; i < CALLS; i++) {
                    long start = System.nanoTime();
                    authorizer.handleRequest(withStored, null);
                    authorized.add((System.nanoTime() - start) / 1e6);
                    start = System.nanoTime();
                    dynamoDb.getItem(r -> r.tableName(table).key(itemKey).consistentRead(true));
                    reads.add((System.nanoTime() - start) / 1e6);
                    start = System.nanoTime();
                    authorizer.handleRequest(withDeployment, null);
                    deployment.add((System.nanoTime() - start) / 1e6);
                }
            }
            System.out.println();
            System.out.println("Auth benchmark: the authorizer per call API Gateway does not answer from its cache");
            System.out.printf("  %-58s %8s %8s%n", "", "p50 ms", "p99 ms");
            row("authorizer, a stored key (" + CALLS + " calls)", authorized);
            row("baseline: the consistent GetItem of its hash item alone", reads);
            System.out.printf("  ratio authorizer / GetItem: p50 %.2f, p99 %.2f%n",
                    Seeding.percentile(authorized, 50) / Seeding.percentile(reads, 50),
                    Seeding.percentile(authorized, 99) / Seeding.percentile(reads, 99));
            row("authorizer, the deployment's key (no read)", deployment);

            // what revocation at once adds to every call: the check of a cached authorization against the key
            // changes on the per-call stamp, which a call reads anyway (the script cache's)
            CacheStamps stamps = new CacheStamps(dynamoDb, herald.functionEnvironment("EventsFunction")
                    .get("SCRIPT_CACHE_TABLE"));
            for (int i = 0; i < 50; i++) {
                stamps.record(KeyChange.revoked(String.format("%016x", i), Instant.now()));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> cached = (Map<String, Object>) authorizer.handleRequest(withStored, null).get("context");
            List<Double> stampReads = new ArrayList<>();
            List<Double> checks = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                stampReads.clear();
                checks.clear();
                for (int i = 0; i < CALLS; i++) {
                    long start = System.nanoTime();
                    CacheStamps.Stamp stamp = stamps.current();
                    stampReads.add((System.nanoTime() - start) / 1e6);
                    start = System.nanoTime();
                    AuthorizerContext.current(cached, stamp, Instant.now());
                    checks.add((System.nanoTime() - start) / 1e6);
                }
            }
            row("revocation check of a cached call, 50 recent key changes", checks);
            row("baseline: the per-call stamp read it rides on (made anyway)", stampReads);
            System.out.printf("  ratio check / stamp read: p50 %.3f (the added DynamoDB reads per call: 0)%n",
                    Seeding.percentile(checks, 50) / Seeding.percentile(stampReads, 50));
        }
    }

    private static void row(String label, List<Double> values) {
        System.out.printf("  %-58s %8.3f %8.3f%n", label, Seeding.percentile(values, 50), Seeding.percentile(values, 99));
    }
}
