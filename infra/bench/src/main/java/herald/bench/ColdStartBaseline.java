package herald.bench;

import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The cold-start benchmark's baseline: the least a Java function on DynamoDB does, one client (the URL-connection
 * HTTP client and the SDK's default credentials, as Herald's functions use in Lambda) and one {@code GetItem}. Run by {@link ColdStartDriver} as a handler.
 */
public final class ColdStartBaseline {

    private final DynamoDbClient dynamoDb;
    private final String table;

    public ColdStartBaseline(Map<String, String> environment) {
        this.table = environment.get("API_KEYS_TABLE");
        this.dynamoDb = DynamoDbClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(environment.get("AWS_REGION")))
                .endpointOverride(URI.create(environment.get("AWS_ENDPOINT_URL_DYNAMODB")))
                .build();
    }

    public Map<String, Object> handleRequest(Map<String, Object> event, Object context) {
        var item = dynamoDb.getItem(r -> r.tableName(table).key(Map.of("id", AttributeValue.fromS("baseline"))));
        return Map.of("found", item.hasItem());
    }
}
