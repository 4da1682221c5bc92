package herald.enroll;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import herald.auth.AuthorizerContext;
import herald.auth.Permissions;
import herald.events.Caller;
import herald.events.DynamoDbEventStore;
import herald.events.RetentionPolicy;
import herald.http.ApiRequest;
import herald.http.ApiResponses;
import herald.http.NotFoundException;
import herald.http.RequestGuard;
import herald.runtime.AwsClients;
import herald.scripting.ScriptHooks;
import herald.scripting.Scripting;
import herald.runtime.Environment;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code EnrollFunction}: {@code POST /api/enroll}. 200 with {@code {"id","dependsOn","hash","status"}} when there
 * is a job for the caller, 204 with an empty body when there is none.
 *
 * <p>Thread-safe.
 */
public final class EnrollHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final EnrollService enroll;
    private final ScriptHooks scripts;

    public EnrollHandler() {
        this(System.getenv());
    }

    public EnrollHandler(Map<String, String> environment) {
        this(new Environment(environment));
    }

    private EnrollHandler(Environment environment) {
        this(service(environment, AwsClients.dynamoDb(environment)),
                Scripting.hooks(environment, AwsClients.dynamoDb(environment)));
    }

    public EnrollHandler(EnrollService enroll) {
        this(enroll, ScriptHooks.NONE);
    }

    public EnrollHandler(EnrollService enroll, ScriptHooks scripts) {
        this.enroll = enroll;
        this.scripts = scripts;
    }

    /** The service as the function's environment configures it, on the given client. */
    public static EnrollService service(Environment environment, DynamoDbClient dynamoDb) {
        return EnrollService.builder()
                .withEvents(DynamoDbEventStore.fromEnvironment(environment, dynamoDb))
                .withQueues(new JobQueueStore(dynamoDb, environment.required("EVENTS_TABLE"),
                        environment.required("EVENT_HASHES_TABLE"), environment.required("ENROLL_QUEUES_TABLE")))
                .withRetention(RetentionPolicy.fromEnvironment(environment))
                .withLease(Duration.ofMinutes(environment.integer("JOB_LEASE_MINUTES", 30)))
                .build();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return scripts.around(event, this::handle);
    }

    private APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event) {
        ApiRequest request = ApiRequest.of(event);
        return RequestGuard.respond(request, () -> {
            Caller caller = Caller.of(request, AuthorizerContext.principal(request));
            if (!request.routeKey().equals("POST /api/enroll")) {
                throw new NotFoundException("EnrollFunction has no route " + request.routeKey());
            }
            Permissions.requireManager(caller.principal(), "enroll");
            EnrollRequest enrollRequest = EnrollRequest.from(request.jsonBody()).scopedTo(caller.principal().projects());
            return enroll.enroll(enrollRequest, caller)
                    .map(job -> ApiResponses.json(200, job))
                    .orElseGet(ApiResponses::noContent);
        });
    }
}
