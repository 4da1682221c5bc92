package herald.realtime;

import herald.runtime.AwsClients;
import herald.runtime.Environment;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Builds the realtime pieces a function's environment configures: CONNECTIONS_TABLE, SUBSCRIPTIONS_TABLE. */
public final class Realtime {

    private Realtime() {
    }

    public static ConnectionRegistry registry(Environment environment, DynamoDbClient dynamoDb) {
        return new ConnectionRegistry(dynamoDb, environment.required("CONNECTIONS_TABLE"),
                environment.required("SUBSCRIPTIONS_TABLE"), Clock.systemUTC());
    }

    public static Broadcaster broadcaster(Environment environment, DynamoDbClient dynamoDb) {
        return new Broadcaster(registry(environment, dynamoDb), AwsClients.connections(environment));
    }
}
