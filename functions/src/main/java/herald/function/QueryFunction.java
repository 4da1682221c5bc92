package herald.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import herald.auth.Principal;
import herald.events.Event;
import herald.events.EventIds;
import herald.events.EventItems;
import herald.events.EventJson;
import herald.http.ApiRequest;
import herald.http.ApiResponses;
import herald.http.HttpEndpoint;
import herald.kernel.InvalidRequestException;
import herald.kernel.Json;
import herald.kernel.JsonBody;
import herald.kernel.Names;
import herald.query.Cursors;
import herald.query.EventQuery;
import herald.query.EventsGraphql;
import herald.query.QueryStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code QueryFunction}: listing events. {@code POST /graphql} runs Ayon's {@code events(...)} query;
 * {@code GET /api/events} takes the same filters as query parameters and pages newest first with an opaque
 * {@code cursor}, for clients that do not speak GraphQL.
 *
 * <p>Thread-safe.
 */
public final class QueryFunction implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final QueryStore store;
    private final EventsGraphql graphql;
    private final HttpEndpoint endpoint;

    public QueryFunction() {
        this(System.getenv());
    }

    public QueryFunction(Map<String, String> environment) {
        Container container = new Container(environment);
        this.store = container.queries();
        this.graphql = new EventsGraphql(store, container.users());
        this.endpoint = HttpEndpoint.of("QueryFunction")
                .on("POST /graphql", request -> graphql(request.jsonBody(), request.principal(), request.requestId()))
                .on("GET /api/events", request -> list(request, request.principal()))
                .build(container.scriptHooks(), container.stamps());
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return endpoint.handle(event);
    }

    private APIGatewayV2HTTPResponse graphql(JsonBody body, Principal caller, String requestId) {
        String query = body.string("query").orElseThrow(() -> new InvalidRequestException(
                "Field 'query' is required: a GraphQL document, e.g. {\"query\": \"{ events(last: 10) { edges { node { id topic } } } }\"}"));
        Map<String, Object> variables = body.object("variables")
                .map(v -> Json.MAPPER.<Map<String, Object>>convertValue(v, Json.MAPPER.getTypeFactory()
                        .constructMapType(LinkedHashMap.class, String.class, Object.class)))
                .orElse(Map.of());
        return ApiResponses.json(200, graphql.execute(query, variables, body.string("operationName").orElse(null), caller,
                requestId));
    }

    private APIGatewayV2HTTPResponse list(ApiRequest request, Principal caller) {
        int limit = request.integerParameter("limit").orElse(EventQuery.DEFAULT_PAGE);
        if (limit < 1 || limit > EventQuery.MAX_PAGE) {
            throw new InvalidRequestException("Query parameter 'limit' must be 1 to " + EventQuery.MAX_PAGE + ", not "
                    + limit);
        }
        if (request.queryParameter("dependsOn").isPresent()) {
            return dependants(request, caller, limit);
        }
        EventQuery query = new EventQuery(
                list(request, "ids"),
                list(request, "topics"),
                list(request, "projects"),
                list(request, "users"),
                list(request, "statuses"),
                request.optionalFlag("hasChildren").orElse(null),
                EventQuery.time("newerThan", request.queryParameter("newerThan").orElse(null)),
                EventQuery.time("olderThan", request.queryParameter("olderThan").orElse(null)),
                request.queryParameter("filter").orElse(null),
                request.flag("includeLogs"),
                null, null, limit, request.queryParameter("cursor").orElse(null));
        QueryStore.Page page = store.find(query, caller);
        List<Event> newestFirst = new ArrayList<>(page.events());
        Collections.reverse(newestFirst);
        List<JsonNode> events = new ArrayList<>();
        newestFirst.forEach(e -> events.add(EventJson.toJson(e)));
        String cursor = null;
        if (page.hasPrevious()) {
            cursor = Cursors.encode(newestFirst.isEmpty() ? page.resumeAt()
                    : EventItems.createdKey(newestFirst.get(newestFirst.size() - 1)));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("events", events);
        body.put("cursor", cursor);
        return ApiResponses.json(200, body);
    }

    /** {@code ?dependsOn=<id>}: the events that depend on one event (its jobs, say), newest first. */
    private APIGatewayV2HTTPResponse dependants(ApiRequest request, Principal caller, int limit) {
        for (String other : request.queryParameters().keySet()) {
            if (!other.equals("dependsOn") && !other.equals("limit")) {
                throw new InvalidRequestException("Query parameter 'dependsOn' takes only 'limit' beside it, not '"
                        + Names.abbreviate(other) + "'");
            }
        }
        String id = EventIds.require("Query parameter 'dependsOn'", request.queryParameter("dependsOn").get());
        List<JsonNode> events = new ArrayList<>();
        store.dependants(id, caller, limit).forEach(e -> events.add(EventJson.toJson(e)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("events", events);
        body.put("cursor", null);
        return ApiResponses.json(200, body);
    }

    private static List<String> list(ApiRequest request, String name) {
        return request.queryParameter(name)
                .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(null);
    }
}
