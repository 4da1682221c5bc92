package herald.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import herald.testing.LocalHeraldExtension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Reading template.yaml: Herald's own, and the fixture that uses what Herald's does not yet. */
class SamTemplateTest {

    private static final Map<String, String> KEY = Map.of("AdminApiKey", "k".repeat(32));

    @Test
    void readsHeraldsFunctionsRoutesAndTables() {
        SamTemplate template = SamTemplate.load(LocalHeraldExtension.template(), KEY);
        List<String> routes = new ArrayList<>();
        template.functions().forEach(f -> f.routes().forEach(r -> routes.add(f.logicalId() + " " + r.routeKey())));
        assertThat(routes).contains(
                "EventsFunction POST /api/events",
                "EventsFunction GET /api/events/{id}",
                "EventsFunction PATCH /api/events/{id}",
                "EventsFunction DELETE /api/events/{id}",
                "EnrollFunction POST /api/enroll",
                "QueryFunction POST /graphql",
                "QueryFunction GET /api/events",
                "ServerFunction GET /api/users/me",
                "ServerFunction GET /",
                "ServerFunction GET /api/info",
                "ServerFunction $default");
        SamTemplate.FunctionSpec events = template.functions().stream()
                .filter(f -> f.logicalId().equals("EventsFunction")).findFirst().orElseThrow();
        assertThat(events.handler()).isEqualTo("herald.function.EventsFunction::handleRequest");
        assertThat(events.environment()).containsEntry("EVENTS_TABLE", "EventsTable")
                .containsEntry("EVENT_HASHES_TABLE", "EventHashesTable")
                .containsEntry("SCRIPT_TIMEOUT_MS", "2000")
                .doesNotContainKey("HERALD_API_KEY");
        assertThat(events.timeoutSeconds()).isEqualTo(10);
        assertThat(template.httpStage()).isEqualTo("$default");
        assertThat(template.tables()).extracting(SamTemplate.TableSpec::name).contains("EventsTable", "EventHashesTable");
    }

    /** Every route goes through the cached API key authorizer but the public ones and the script cache's. */
    @Test
    void routesNameTheirAuthorizers() {
        SamTemplate template = SamTemplate.load(LocalHeraldExtension.template(), KEY);
        assertThat(template.httpAuthorizers()).containsOnlyKeys("ApiKey", "ApiKeyAnywhere");
        SamTemplate.AuthorizerSpec cached = template.httpAuthorizers().get("ApiKey");
        assertThat(cached.function()).isEqualTo("AuthorizerFunction");
        assertThat(cached.identitySources()).containsExactly("$request.header.X-Api-Key");
        assertThat(cached.ttlSeconds()).isEqualTo(300);
        assertThat(template.httpAuthorizers().get("ApiKeyAnywhere").identitySources()).isEmpty();
        Map<String, String> authorizers = new java.util.TreeMap<>();
        template.functions().forEach(f -> f.routes().forEach(r -> authorizers.put(r.routeKey(),
                String.valueOf(r.authorizer()))));
        assertThat(authorizers).containsEntry("GET /", "null").containsEntry("GET /api/info", "null")
                .containsEntry("$default", "null").containsEntry("POST /api/v2/system/webhook/github", "null")
                .containsEntry("DELETE /api/v2/system/cache", "ApiKeyAnywhere")
                .containsEntry("POST /api/events", "ApiKey").containsEntry("POST /api/v2/system/api_key", "ApiKey");
        assertThat(template.webSocket().orElseThrow().connectAuthorizerFunction()).isEqualTo("AuthorizerFunction");
    }

    @Test
    void schedulesAreReadAndOnlyRatesAreServed() {
        SamTemplate template = SamTemplate.load(LocalHeraldExtension.template(), KEY);
        SamTemplate.FunctionSpec retry = template.functions().stream()
                .filter(f -> f.logicalId().equals("DeliveryRetryFunction")).findFirst().orElseThrow();
        assertThat(retry.schedules()).containsExactly("rate(1 minute)");
        assertThat(LocalScheduler.interval("x", "rate(5 minutes)")).isEqualTo(java.time.Duration.ofMinutes(5));
        assertThat(LocalScheduler.interval("x", "rate(2 hours)")).isEqualTo(java.time.Duration.ofHours(2));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LocalScheduler.interval("x", "cron(0 12 * * ? *)"))
                .hasMessageContaining("rate(N minute(s)");
        assertThat(LocalScheduler.event("F")).containsEntry("source", "aws.events")
                .containsEntry("detail-type", "Scheduled Event");
    }

    @Test
    void theEventsTableHasItsStreamTtlAndIndexes() {
        SamTemplate.TableSpec events = SamTemplate.load(LocalHeraldExtension.template(), KEY).tables().stream()
                .filter(t -> t.name().equals("EventsTable")).findFirst().orElseThrow();
        var request = TemplateTables.request(events);
        assertThat(request.streamSpecification().streamViewTypeAsString()).isEqualTo("NEW_AND_OLD_IMAGES");
        assertThat(request.globalSecondaryIndexes()).extracting(i -> i.indexName())
                .containsExactlyInAnyOrder("byTopic", "byProject", "byDependsOn", "byOpenJob", "byTime");
        assertThat(request.billingModeAsString()).isEqualTo("PAY_PER_REQUEST");
        assertThat(events.properties()).containsKey("TimeToLiveSpecification");
    }

    /** Least privilege: a function may touch exactly the tables it is told about, each through a policy naming it. */
    @Test
    void everyTableAFunctionUsesHasAPolicyOnExactlyThatTable() {
        Map<String, Object> document = CloudFormationYaml.read(LocalHeraldExtension.template());
        Map<String, Object> resources = SamTemplate.map(document.get("Resources"), "Resources");
        resources.forEach((id, value) -> {
            Map<String, Object> resource = SamTemplate.map(value, id);
            if (!"AWS::Serverless::Function".equals(resource.get("Type"))) {
                return;
            }
            Map<String, Object> properties = SamTemplate.map(resource.get("Properties"), id);
            List<String> usedTables = new ArrayList<>();
            Map<String, Object> environment = SamTemplate.map(properties.getOrDefault("Environment",
                    Map.of("Variables", Map.of())), id);
            Map<String, Object> variables = new java.util.HashMap<>(SamTemplate.map(SamTemplate.map(SamTemplate.map(
                    SamTemplate.map(document.get("Globals"), "Globals").get("Function"), "Globals.Function")
                    .getOrDefault("Environment", Map.of("Variables", Map.of())), "Globals").get("Variables"), "Globals"));
            variables.putAll(SamTemplate.map(environment.get("Variables"), id));
            variables.values().forEach(v -> {
                if (v instanceof Map && ((Map<?, ?>) v).containsKey("Ref")) {
                    String ref = String.valueOf(((Map<?, ?>) v).get("Ref"));
                    Object target = resources.get(ref);
                    if (target != null && "AWS::DynamoDB::Table".equals(SamTemplate.map(target, ref).get("Type"))) {
                        usedTables.add(ref);
                    }
                }
            });
            List<String> policyTables = new ArrayList<>();
            for (Object policy : (List<?>) properties.getOrDefault("Policies", List.of())) {
                assertThat(String.valueOf(policy)).as(id + " policy").doesNotContain("Resource=*", "Resource: '*'");
                SamTemplate.map(policy, id).forEach((name, v) -> {
                    if (name.startsWith("DynamoDB")) {
                        policyTables.add(String.valueOf(((Map<?, ?>) SamTemplate.map(v, id).get("TableName")).get("Ref")));
                    } else if (name.equals("Statement")) {
                        assertThat(String.valueOf(v)).as(id + " statement").doesNotContain("Resource=*");
                        // a statement on a table names it as !GetAtt <Table>.Arn, or !Sub "${<Table>.Arn}/index/..."
                        java.util.regex.Matcher arn = java.util.regex.Pattern.compile(
                                        "Fn::GetAtt=\\[?(\\w+)[.,] ?Arn|\\$\\{(\\w+)\\.Arn}")
                                .matcher(String.valueOf(v));
                        while (arn.find()) {
                            String table = arn.group(1) != null ? arn.group(1) : arn.group(2);
                            Object target = resources.get(table);
                            if (target != null && "AWS::DynamoDB::Table".equals(SamTemplate.map(target, id).get("Type"))) {
                                policyTables.add(table);
                            }
                        }
                    }
                });
            }
            assertThat(new java.util.TreeSet<>(policyTables)).as(id + " table policies")
                    .isEqualTo(new java.util.TreeSet<>(usedTables));
        });
    }

    /** Every ARN names its partition through AWS::Partition, so the stack deploys in China and GovCloud too. */
    @Test
    void noArnHardCodesThePartition() throws Exception {
        String text = java.nio.file.Files.readString(LocalHeraldExtension.template());
        assertThat(text).doesNotContain("arn:aws:");
    }

    /**
     * DynamoDB Streams serves at most two simultaneous readers per shard (a third is throttled), so no stream of the
     * template has more than two functions reading it.
     */
    @Test
    void noStreamHasMoreThanTwoReaders() {
        Map<String, Object> resources = SamTemplate.map(CloudFormationYaml.read(LocalHeraldExtension.template())
                .get("Resources"), "Resources");
        Map<String, List<String>> readers = new java.util.TreeMap<>();
        resources.forEach((id, value) -> {
            Map<String, Object> resource = SamTemplate.map(value, id);
            if (!"AWS::Serverless::Function".equals(resource.get("Type"))) {
                return;
            }
            Map<String, Object> properties = SamTemplate.map(resource.get("Properties"), id);
            SamTemplate.map(properties.getOrDefault("Events", Map.of()), id).forEach((name, event) -> {
                Map<String, Object> source = SamTemplate.map(event, id + "." + name);
                if ("DynamoDB".equals(source.get("Type"))) {
                    String stream = String.valueOf(SamTemplate.map(source.get("Properties"), name).get("Stream"));
                    readers.computeIfAbsent(stream, s -> new ArrayList<>()).add(id);
                }
            });
        });
        assertThat(readers).isNotEmpty();
        readers.forEach((stream, functions) -> assertThat(functions).as(stream).hasSizeLessThanOrEqualTo(2));
        assertThat(readers.values()).anySatisfy(functions -> assertThat(functions)
                .containsExactlyInAnyOrder("FanoutFunction", "ReactionsFunction"));
    }

    /**
     * SnapStart on every function: it applies to published versions, so every function publishes one behind an
     * alias, and what API Gateway invokes directly (the WebSocket integration, the authorizers) names the alias.
     */
    @Test
    void everyFunctionStartsFromASnapshotThroughItsAlias() throws Exception {
        Map<String, Object> document = CloudFormationYaml.read(LocalHeraldExtension.template());
        Map<String, Object> globals = SamTemplate.map(SamTemplate.map(document.get("Globals"), "Globals")
                .get("Function"), "Globals.Function");
        assertThat(globals).containsEntry("AutoPublishAlias", "live")
                .containsEntry("SnapStart", Map.of("ApplyOn", "PublishedVersions"))
                .containsEntry("Runtime", "java21");
        SamTemplate.map(document.get("Resources"), "Resources").forEach((id, value) -> {
            Map<String, Object> properties = SamTemplate.map(SamTemplate.map(value, id)
                    .getOrDefault("Properties", Map.of()), id);
            assertThat(properties).as(id).doesNotContainKeys("SnapStart", "AutoPublishAlias", "Runtime");
        });
        String text = java.nio.file.Files.readString(LocalHeraldExtension.template());
        assertThat(text).doesNotContain("Function.Arn}/invocations").doesNotContain("FunctionArn: !GetAtt")
                .contains("${RealtimeFunction.Alias}/invocations", "${AuthorizerFunction.Alias}/invocations");
    }

    /**
     * The script engine layer goes to exactly the functions that run scripts, graphql-java to the query function,
     * Swagger UI to the function that serves the API page, CodeMirror to the one that serves the console, the Lambda
     * client to the ones that hand deliveries to WebhookFunction.
     */
    @Test
    void theLayersGoToTheFunctionsThatUseThem() {
        Map<String, Object> resources = SamTemplate.map(CloudFormationYaml.read(LocalHeraldExtension.template())
                .get("Resources"), "Resources");
        int scripted = 0;
        for (Map.Entry<String, Object> entry : resources.entrySet()) {
            Map<String, Object> resource = SamTemplate.map(entry.getValue(), entry.getKey());
            if (!"AWS::Serverless::Function".equals(resource.get("Type"))) {
                continue;
            }
            Map<String, Object> properties = SamTemplate.map(resource.get("Properties"), entry.getKey());
            Object variables = SamTemplate.map(properties.getOrDefault("Environment", Map.of()), entry.getKey())
                    .getOrDefault("Variables", Map.of());
            boolean runsScripts = SamTemplate.map(variables, entry.getKey()).containsKey("SCRIPTS_TABLE");
            List<String> layers = ((List<?>) properties.getOrDefault("Layers", List.of())).stream()
                    .map(layer -> String.valueOf(SamTemplate.map(layer, entry.getKey()).get("Ref"))).toList();
            List<String> expected = new ArrayList<>();
            if (runsScripts) {
                expected.add("ScriptEngineLayer");
                scripted++;
            }
            if (entry.getKey().equals("QueryFunction")) {
                expected.add("GraphqlLayer");
            }
            if (entry.getKey().equals("ServerFunction")) {
                expected.add("SwaggerUiLayer");
            }
            if (entry.getKey().equals("ConsoleFunction")) {
                expected.add("ConsoleLayer");
            }
            if (SamTemplate.map(variables, entry.getKey()).containsKey("WEBHOOK_FUNCTION")) {
                expected.add("LambdaClientLayer");
            }
            assertThat(layers).as(entry.getKey()).containsExactlyElementsOf(expected);
        }
        assertThat(scripted).isGreaterThan(5);
    }

    /** What dispatching an event writes: the event, the claim of its hash, its topic, its project. */
    private static final Set<String> DISPATCHES = Set.of("EventsTable", "EventHashesTable", "TopicsTable",
            "ProjectsTable");
    /** What posting to WebSocket connections writes: it forgets the connections that are gone. */
    private static final Set<String> POSTS = Set.of("ConnectionsTable", "SubscriptionsTable");

    /**
     * The tables each function's code writes, read from the code (a script's dispatches and logs are writes of the
     * functions that run scripts). A policy that lets a function write any other table fails the test, and so does
     * a write the code makes that no policy allows.
     */
    private static final Map<String, Set<String>> WRITES = Map.ofEntries(
            Map.entry("AuthorizerFunction", Set.of("ApiKeysTable")), // lastUsedAt only, by an IAM condition
            Map.entry("RealtimeFunction", union(Set.of("ApiKeysTable"), POSTS)), // lastUsedAt; its connections
            Map.entry("ApiKeysFunction", union(Set.of("ApiKeysTable", "ScriptCacheTable"), DISPATCHES, POSTS)),
            Map.entry("FanoutFunction", POSTS),
            Map.entry("HeartbeatFunction", POSTS),
            Map.entry("EventsFunction", union(DISPATCHES, POSTS)),
            Map.entry("EnrollFunction", union(Set.of("EnrollQueuesTable"), DISPATCHES, POSTS)),
            Map.entry("QueryFunction", union(DISPATCHES, POSTS)), // its scripts' logs and dispatches
            Map.entry("ServerFunction", union(DISPATCHES, POSTS)),
            Map.entry("ScriptsFunction", union(Set.of("ScriptsTable", "ScriptCacheTable"), DISPATCHES, POSTS)),
            Map.entry("ScriptedServiceFunction", union(DISPATCHES, POSTS)),
            Map.entry("TriggerAdminFunction",
                    union(Set.of("TriggersTable", "TriggerSecretsTable", "DeliveriesTable"), DISPATCHES, POSTS)),
            Map.entry("ReactionsFunction", union(Set.of("DeliveriesTable"), DISPATCHES, POSTS)),
            Map.entry("DeliveryRetryFunction", Set.of()), // reads what is due, hands it to WebhookFunction
            // its attempts; turning a failing trigger off and the events that say so
            Map.entry("WebhookFunction", union(Set.of("DeliveriesTable", "TriggersTable"), DISPATCHES)),
            // a replay records deliveries and its own progress
            Map.entry("ReplayFunction", Set.of("DeliveriesTable")),
            Map.entry("ConsoleFunction", Set.of())); // static files: no table at all

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> all = new java.util.TreeSet<>();
        for (Set<String> set : sets) {
            all.addAll(set);
        }
        return all;
    }

    @Test
    void noFunctionMayWriteATableItsCodeNeverWrites() {
        Map<String, Object> resources = SamTemplate.map(CloudFormationYaml.read(LocalHeraldExtension.template())
                .get("Resources"), "Resources");
        java.util.regex.Pattern writeAction = java.util.regex.Pattern.compile(
                "dynamodb:(Put|Update|Delete|BatchWrite|Transact|PartiQLInsert|PartiQLUpdate|PartiQLDelete|\\*)");
        Map<String, Set<String>> granted = new java.util.TreeMap<>();
        resources.forEach((id, value) -> {
            Map<String, Object> resource = SamTemplate.map(value, id);
            if (!"AWS::Serverless::Function".equals(resource.get("Type"))) {
                return;
            }
            Set<String> tables = new java.util.TreeSet<>();
            for (Object policy : (List<?>) SamTemplate.map(resource.get("Properties"), id)
                    .getOrDefault("Policies", List.of())) {
                SamTemplate.map(policy, id).forEach((name, v) -> {
                    if (name.equals("DynamoDBCrudPolicy") || name.equals("DynamoDBWritePolicy")) {
                        tables.add(String.valueOf(((Map<?, ?>) SamTemplate.map(v, id).get("TableName")).get("Ref")));
                    } else if (name.equals("Statement")) {
                        for (Object statement : (List<?>) v) {
                            String text = String.valueOf(statement);
                            if (writeAction.matcher(text).find()) {
                                java.util.regex.Matcher table = java.util.regex.Pattern.compile("(\\w+Table)")
                                        .matcher(text);
                                while (table.find()) {
                                    tables.add(table.group(1));
                                }
                            }
                        }
                    }
                });
            }
            granted.put(id, tables);
        });
        assertThat(granted.keySet()).containsExactlyInAnyOrderElementsOf(WRITES.keySet());
        WRITES.forEach((function, writes) -> assertThat(granted.get(function)).as(function + " may write")
                .containsExactlyInAnyOrderElementsOf(writes));
    }

    /** Every dead-letter queue has an alarm on its depth, and so do webhook deliveries out of attempts. */
    @Test
    void whatIsDroppedRaisesAnAlarm() {
        Map<String, Object> resources = SamTemplate.map(CloudFormationYaml.read(LocalHeraldExtension.template())
                .get("Resources"), "Resources");
        List<String> alarmed = new ArrayList<>();
        List<String> queues = new ArrayList<>();
        resources.forEach((id, value) -> {
            Map<String, Object> resource = SamTemplate.map(value, id);
            if ("AWS::SQS::Queue".equals(resource.get("Type"))) {
                queues.add(id);
            }
            if ("AWS::CloudWatch::Alarm".equals(resource.get("Type"))) {
                String text = String.valueOf(resource.get("Properties"));
                assertThat(text).as(id).contains("AlarmActions=");
                java.util.regex.Matcher queue = java.util.regex.Pattern.compile("Fn::GetAtt=\\[(\\w+), QueueName")
                        .matcher(text);
                while (queue.find()) {
                    alarmed.add(queue.group(1));
                }
                if (text.contains("MetricName=WebhookDeadLetters")) {
                    alarmed.add("WebhookDeadLetters");
                }
            }
        });
        assertThat(queues).isNotEmpty();
        assertThat(alarmed).containsAll(queues).contains("WebhookDeadLetters");
    }

    /** The bucket and every table that holds data outlive the stack: deleting or replacing it keeps them. */
    @Test
    void whatHoldsDataIsRetained() {
        Map<String, Object> resources = SamTemplate.map(CloudFormationYaml.read(LocalHeraldExtension.template())
                .get("Resources"), "Resources");
        // what may go with the stack: a cache, live connections, the queues of records to look at
        java.util.Set<String> disposable = java.util.Set.of("ScriptCacheTable", "ConnectionsTable", "SubscriptionsTable");
        resources.forEach((id, value) -> {
            Map<String, Object> resource = SamTemplate.map(value, id);
            String type = String.valueOf(resource.get("Type"));
            if ((type.equals("AWS::DynamoDB::Table") || type.equals("AWS::S3::Bucket")) && !disposable.contains(id)) {
                assertThat(resource).as(id).containsEntry("DeletionPolicy", "Retain")
                        .containsEntry("UpdateReplacePolicy", "Retain");
            }
        });
    }

    /** The functions that only check keys read the keys table and may set lastUsedAt, nothing else of it. */
    @Test
    void theKeyCheckingFunctionsCannotWriteAKey() {
        Map<String, Object> resources = SamTemplate.map(CloudFormationYaml.read(LocalHeraldExtension.template())
                .get("Resources"), "Resources");
        for (String id : List.of("AuthorizerFunction", "RealtimeFunction")) {
            List<?> policies = (List<?>) SamTemplate.map(SamTemplate.map(resources.get(id), id).get("Properties"), id)
                    .get("Policies");
            String text = String.valueOf(policies);
            assertThat(text).as(id).doesNotContain("DynamoDBCrudPolicy={TableName={Ref=ApiKeysTable}}")
                    .doesNotContain("DynamoDBWritePolicy={TableName={Ref=ApiKeysTable}}")
                    .contains("DynamoDBReadPolicy={TableName={Ref=ApiKeysTable}}")
                    .contains("dynamodb:Attributes=[id, lastUsedAt]");
        }
    }

    @Test
    void aParameterWithoutValueOrDefaultStopsTheStart() {
        assertThatThrownBy(() -> SamTemplate.load(LocalHeraldExtension.template(), Map.of()))
                .hasMessageContaining("Template parameter AdminApiKey has no default");
    }

    @Test
    void parameterConstraintsAreCheckedAsCloudFormationChecksThem() {
        assertThatThrownBy(() -> SamTemplate.load(LocalHeraldExtension.template(), Map.of("AdminApiKey", "short")))
                .hasMessage("Template parameter AdminApiKey (value hidden) is shorter than MinLength 32");
        Map<String, String> values = new HashMap<>(KEY);
        values.put("DefaultRetentionDays", "-1");
        assertThatThrownBy(() -> SamTemplate.load(LocalHeraldExtension.template(), values))
                .hasMessage("Template parameter DefaultRetentionDays '-1' is below MinValue 0");
        values.put("DefaultRetentionDays", "soon");
        assertThatThrownBy(() -> SamTemplate.load(LocalHeraldExtension.template(), values))
                .hasMessageContaining("must be a number");
        values.put("DefaultRetentionDays", "0");
        values.put("Stage", "bad stage");
        assertThatThrownBy(() -> SamTemplate.load(LocalHeraldExtension.template(), values))
                .hasMessageContaining("does not match AllowedPattern");
    }

    @Test
    void resolvesTheFixturesIntrinsicsAndRoutes() throws Exception {
        SamTemplate template = SamTemplate.load(LocalRuntimeIT.fixture(), Map.of("Secret", "12345678"));
        assertThat(template.httpStage()).isEqualTo("v2");
        assertThat(template.buckets()).extracting(SamTemplate.BucketSpec::name).containsExactly("files");
        SamTemplate.FunctionSpec echo = template.functions().get(0);
        assertThat(echo.routes()).extracting(SamTemplate.RouteSpec::routeKey).containsExactly(
                "GET /items/{id}", "ANY /items/{id}", "GET /items/special", "ANY /files/{path+}", "$default");
        assertThat(echo.environment()).containsEntry("JOINED", "a/v2/5").containsEntry("SUBBED", "v2-Things");
        assertThat(echo.timeoutSeconds()).isEqualTo(5);
    }

    @Test
    void anUnsupportedIntrinsicIsNamed() {
        Intrinsics intrinsics = new Intrinsics(Map.of(), Map.of(), Map.of(), Map.of(), "stack");
        assertThatThrownBy(() -> intrinsics.resolve(Map.of("Fn::ImportValue", "x")))
                .hasMessageContaining("does not implement Fn::ImportValue");
        assertThatThrownBy(() -> intrinsics.resolve(Map.of("Ref", "Nothing")))
                .hasMessageContaining("Ref to 'Nothing'");
    }
}
