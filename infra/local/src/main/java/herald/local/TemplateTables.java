package herald.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;

/**
 * Creates the template's {@code AWS::DynamoDB::Table}s on DynamoDB Local exactly as declared: attributes, key
 * schema, global and local secondary indexes with their projections, the stream and its view type, and TTL.
 */
public final class TemplateTables {

    private TemplateTables() {
    }

    public static void create(DynamoDbClient dynamoDb, List<SamTemplate.TableSpec> tables) {
        for (SamTemplate.TableSpec table : tables) {
            dynamoDb.createTable(request(table));
            Map<String, Object> ttl = optionalMap(table.properties(), "TimeToLiveSpecification");
            if (ttl != null && Boolean.parseBoolean(String.valueOf(ttl.get("Enabled")))) {
                dynamoDb.updateTimeToLive(r -> r.tableName(table.name()).timeToLiveSpecification(s -> s
                        .attributeName(String.valueOf(ttl.get("AttributeName"))).enabled(true)));
            }
        }
    }

    static CreateTableRequest request(SamTemplate.TableSpec table) {
        Map<String, Object> p = table.properties();
        boolean onDemand = "PAY_PER_REQUEST".equals(p.get("BillingMode"));
        CreateTableRequest.Builder builder = CreateTableRequest.builder()
                .tableName(table.name())
                .attributeDefinitions(list(p, "AttributeDefinitions").stream()
                        .map(a -> AttributeDefinition.builder()
                                .attributeName(String.valueOf(a.get("AttributeName")))
                                .attributeType(String.valueOf(a.get("AttributeType")))
                                .build())
                        .toList())
                .keySchema(keySchema(list(p, "KeySchema")));
        if (onDemand) {
            builder.billingMode(BillingMode.PAY_PER_REQUEST);
        } else {
            builder.provisionedThroughput(throughput(p));
        }
        List<GlobalSecondaryIndex> globals = new ArrayList<>();
        for (Map<String, Object> index : list(p, "GlobalSecondaryIndexes")) {
            GlobalSecondaryIndex.Builder gsi = GlobalSecondaryIndex.builder()
                    .indexName(String.valueOf(index.get("IndexName")))
                    .keySchema(keySchema(list(index, "KeySchema")))
                    .projection(projection(index));
            if (!onDemand) {
                gsi.provisionedThroughput(throughput(index));
            }
            globals.add(gsi.build());
        }
        if (!globals.isEmpty()) {
            builder.globalSecondaryIndexes(globals);
        }
        List<LocalSecondaryIndex> locals = list(p, "LocalSecondaryIndexes").stream()
                .map(index -> LocalSecondaryIndex.builder()
                        .indexName(String.valueOf(index.get("IndexName")))
                        .keySchema(keySchema(list(index, "KeySchema")))
                        .projection(projection(index))
                        .build())
                .toList();
        if (!locals.isEmpty()) {
            builder.localSecondaryIndexes(locals);
        }
        Map<String, Object> stream = optionalMap(p, "StreamSpecification");
        if (stream != null) {
            builder.streamSpecification(StreamSpecification.builder()
                    .streamEnabled(true)
                    .streamViewType(String.valueOf(stream.get("StreamViewType")))
                    .build());
        }
        return builder.build();
    }

    private static List<KeySchemaElement> keySchema(List<Map<String, Object>> elements) {
        return elements.stream()
                .map(k -> KeySchemaElement.builder()
                        .attributeName(String.valueOf(k.get("AttributeName")))
                        .keyType(String.valueOf(k.get("KeyType")))
                        .build())
                .toList();
    }

    private static Projection projection(Map<String, Object> index) {
        Map<String, Object> projection = optionalMap(index, "Projection");
        if (projection == null) {
            return Projection.builder().projectionType("KEYS_ONLY").build();
        }
        Projection.Builder builder = Projection.builder()
                .projectionType(String.valueOf(projection.getOrDefault("ProjectionType", "KEYS_ONLY")));
        if (projection.get("NonKeyAttributes") instanceof List) {
            builder.nonKeyAttributes(((List<?>) projection.get("NonKeyAttributes")).stream().map(String::valueOf).toList());
        }
        return builder.build();
    }

    private static ProvisionedThroughput throughput(Map<String, Object> owner) {
        Map<String, Object> given = optionalMap(owner, "ProvisionedThroughput");
        long read = given == null ? 5 : Long.parseLong(String.valueOf(given.get("ReadCapacityUnits")));
        long write = given == null ? 5 : Long.parseLong(String.valueOf(given.get("WriteCapacityUnits")));
        return ProvisionedThroughput.builder().readCapacityUnits(read).writeCapacityUnits(write).build();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> owner, String key) {
        Object value = owner.get(key);
        return value == null ? List.of() : (List<Map<String, Object>>) value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> optionalMap(Map<String, Object> owner, String key) {
        return (Map<String, Object>) owner.get(key);
    }
}
