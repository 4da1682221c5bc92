package herald.query;

import graphql.ExecutionInput;
import graphql.GraphQL;
import graphql.GraphqlErrorBuilder;
import graphql.execution.DataFetcherResult;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import herald.auth.Principal;
import herald.events.Event;
import herald.events.EventItems;
import herald.kernel.HeraldException;
import herald.kernel.Json;
import herald.kernel.Timestamps;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /graphql}: Ayon's {@code events(...)} field with Relay paging, on graphql-java. The schema is
 * {@code herald/query/schema.graphqls}. Bad arguments become entries of GraphQL's {@code errors} array that say
 * what to fix, as do syntax and validation errors, which graphql-java reports itself.
 *
 * <p>Thread-safe: graphql-java's {@link GraphQL} is, and the store is.
 */
public final class EventsGraphql {

    private final GraphQL graphql;
    private final QueryStore store;

    public EventsGraphql(QueryStore store) {
        this.store = store;
        GraphQLSchema schema = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(schemaText()),
                RuntimeWiring.newRuntimeWiring()
                        .type("Query", wiring -> wiring.dataFetcher("events", this::events))
                        .build());
        this.graphql = GraphQL.newGraphQL(schema).build();
    }

    /** Runs a request for {@code caller} and returns the response body in the GraphQL specification's shape. */
    public Map<String, Object> execute(String query, Map<String, Object> variables, String operationName,
            Principal caller) {
        ExecutionInput input = ExecutionInput.newExecutionInput()
                .query(query)
                .variables(variables == null ? Map.of() : variables)
                .operationName(operationName)
                .graphQLContext(Map.of(Principal.class, caller))
                .build();
        return graphql.execute(input).toSpecification();
    }

    private DataFetcherResult<Map<String, Object>> events(DataFetchingEnvironment environment) {
        try {
            List<String> statuses = environment.getArgument("statuses");
            if (statuses == null) {
                statuses = environment.getArgument("states");
            }
            EventQuery query = new EventQuery(
                    environment.getArgument("ids"),
                    environment.getArgument("topics"),
                    environment.getArgument("projects"),
                    environment.getArgument("users"),
                    statuses,
                    environment.getArgument("hasChildren"),
                    EventQuery.time("newerThan", environment.getArgument("newerThan")),
                    EventQuery.time("olderThan", environment.getArgument("olderThan")),
                    environment.getArgument("filter"),
                    Boolean.TRUE.equals(environment.getArgument("includeLogs")),
                    environment.getArgument("first"),
                    environment.getArgument("after"),
                    environment.getArgument("last"),
                    environment.getArgument("before"));
            Principal caller = environment.getGraphQlContext().get(Principal.class);
            return DataFetcherResult.<Map<String, Object>>newResult().data(connection(store.find(query, caller))).build();
        } catch (HeraldException e) {
            return DataFetcherResult.<Map<String, Object>>newResult()
                    .error(GraphqlErrorBuilder.newError(environment).message(e.detail()).build())
                    .build();
        }
    }

    static Map<String, Object> connection(QueryStore.Page page) {
        List<Map<String, Object>> edges = new ArrayList<>();
        for (Event event : page.events()) {
            edges.add(Map.of("node", node(event), "cursor", Cursors.encode(EventItems.createdKey(event))));
        }
        Map<String, Object> pageInfo = new LinkedHashMap<>();
        pageInfo.put("hasNextPage", page.hasNext());
        pageInfo.put("hasPreviousPage", page.hasPrevious());
        String resume = page.resumeAt() == null ? null : Cursors.encode(page.resumeAt());
        pageInfo.put("startCursor", edges.isEmpty() ? resume : edges.get(0).get("cursor"));
        pageInfo.put("endCursor", edges.isEmpty() ? resume : edges.get(edges.size() - 1).get("cursor"));
        Map<String, Object> connection = new LinkedHashMap<>();
        connection.put("edges", edges);
        connection.put("pageInfo", pageInfo);
        return connection;
    }

    static Map<String, Object> node(Event event) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("id", event.id());
        node.put("hash", event.hash());
        node.put("topic", event.topic());
        node.put("project", event.project());
        node.put("user", event.user());
        node.put("sender", event.sender());
        node.put("dependsOn", event.dependsOn());
        node.put("status", event.status().wireName());
        node.put("retries", event.retries());
        node.put("description", event.description());
        node.put("summary", Json.write(event.summary()));
        String payload = event.payload().isEmpty() ? null : Json.write(event.payload());
        node.put("payload", payload);
        node.put("data", payload);
        node.put("createdAt", Timestamps.format(event.createdAt()));
        node.put("updatedAt", Timestamps.format(event.updatedAt()));
        return node;
    }

    private static String schemaText() {
        try (InputStream in = EventsGraphql.class.getResourceAsStream("/herald/query/schema.graphqls")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
