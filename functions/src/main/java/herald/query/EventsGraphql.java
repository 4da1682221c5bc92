package herald.query;

import com.fasterxml.jackson.databind.node.ObjectNode;
import graphql.ErrorClassification;
import graphql.ExecutionInput;
import graphql.GraphQL;
import graphql.GraphqlErrorBuilder;
import graphql.analysis.FieldComplexityEnvironment;
import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.AbortExecutionException;
import graphql.execution.DataFetcherExceptionHandlerParameters;
import graphql.execution.DataFetcherExceptionHandlerResult;
import graphql.execution.DataFetcherResult;
import graphql.execution.instrumentation.ChainedInstrumentation;
import graphql.parser.ParserOptions;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import herald.auth.Principal;
import herald.events.Event;
import herald.events.EventItems;
import herald.kernel.HeraldException;
import herald.kernel.InvalidRequestException;
import herald.kernel.Json;
import herald.kernel.Timestamps;
import herald.keys.Users;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /graphql}: Ayon's {@code events(...)} and {@code users(...)} fields with Relay paging, on graphql-java
 * (users are Herald's API keys' names, see {@link Users}). The schema is
 * {@code herald/query/schema.graphqls}. Bad arguments become entries of GraphQL's {@code errors} array that say
 * what to fix, as do syntax and validation errors, which graphql-java reports itself.
 *
 * <p>Bounded whatever a caller sends: a document of at most {@link #MAX_QUERY_CHARS} characters and
 * {@link #MAX_TOKENS} tokens (which bounds parsing and validation), nested at most {@link #MAX_DEPTH} deep, asking
 * for at most {@link #MAX_EVENTS} events in all its {@code events} fields together (aliases included), and reading
 * at most {@link QueryStore#MAX_ITEMS_READ} items for the whole request. Over a limit, the answer is a GraphQL error
 * that names the limit. A failure that is not the caller's is logged with the request id and answered with a message
 * that carries no internals.
 *
 * <p>Thread-safe: graphql-java's {@link GraphQL} is, and the store is.
 */
public final class EventsGraphql {

    public static final int MAX_QUERY_CHARS = 16 * 1024;
    public static final int MAX_TOKENS = 2_000;
    public static final int MAX_DEPTH = 8;
    /** The sum of the page sizes of every {@code events} field of one request. */
    public static final int MAX_EVENTS = 4_000;
    /** The page of a users field without {@code first}. */
    public static final int DEFAULT_USERS = 100;

    private static final Logger LOG = LoggerFactory.getLogger(EventsGraphql.class);
    /** The classification of an error that is the caller's to fix, and of one that is not. */
    private static final ErrorClassification BAD_REQUEST = ErrorClassification.errorClassification("BadRequest");
    private static final ErrorClassification INTERNAL_ERROR = ErrorClassification.errorClassification("InternalError");
    private static final ParserOptions PARSER = ParserOptions.getDefaultOperationParserOptions().transform(options -> options
            .maxCharacters(MAX_QUERY_CHARS).maxTokens(MAX_TOKENS).maxRuleDepth(MAX_DEPTH * 4));

    private final GraphQL graphql;
    private final QueryStore store;
    private final Users users;

    public EventsGraphql(QueryStore store, Users users) {
        this.store = store;
        this.users = users;
        GraphQLSchema schema = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(schemaText()),
                RuntimeWiring.newRuntimeWiring()
                        .type("Query", wiring -> wiring.dataFetcher("events", this::events)
                                .dataFetcher("users", this::users))
                        .build());
        this.graphql = GraphQL.newGraphQL(schema)
                .instrumentation(new ChainedInstrumentation(List.of(
                        new MaxQueryDepthInstrumentation(MAX_DEPTH) {
                            @Override
                            protected AbortExecutionException mkAbortException(int depth, int maxDepth) {
                                return new AbortExecutionException("The query is nested " + depth
                                        + " levels deep; at most " + maxDepth + " are allowed");
                            }
                        },
                        new MaxQueryComplexityInstrumentation(MAX_EVENTS, EventsGraphql::eventsAskedFor) {
                            @Override
                            protected AbortExecutionException mkAbortException(int asked, int max) {
                                return new AbortExecutionException("The query asks for up to " + asked
                                        + " events (the page sizes of its events fields, aliases included, "
                                        + EventQuery.DEFAULT_PAGE + " where none is given); a request may ask for at most "
                                        + max);
                            }
                        })))
                .defaultDataFetcherExceptionHandler(EventsGraphql::unexpected)
                .build();
    }

    /** Runs a request for {@code caller} and returns the response body in the GraphQL specification's shape. */
    public Map<String, Object> execute(String query, Map<String, Object> variables, String operationName,
            Principal caller) {
        return execute(query, variables, operationName, caller, "-");
    }

    /** As {@link #execute(String, Map, String, Principal)}, logging unexpected failures with {@code requestId}. */
    public Map<String, Object> execute(String query, Map<String, Object> variables, String operationName,
            Principal caller, String requestId) {
        if (query.length() > MAX_QUERY_CHARS) {
            return Map.of("errors", List.of(Map.of("message", "The query is " + query.length()
                    + " characters long; at most " + MAX_QUERY_CHARS + " are allowed")));
        }
        ExecutionInput input = ExecutionInput.newExecutionInput()
                .query(query)
                .variables(variables == null ? Map.of() : variables)
                .operationName(operationName)
                .graphQLContext(Map.of(Principal.class, caller, ParserOptions.class, PARSER, RequestId.class,
                        new RequestId(requestId), ReadBudget.class, new ReadBudget()))
                .build();
        return graphql.execute(input).toSpecification();
    }

    /** Which request an execution serves, for the log. */
    private record RequestId(String value) {
    }

    /** The items one request may still read, over all its events fields. */
    private static final class ReadBudget {
        private final AtomicLong left = new AtomicLong(QueryStore.MAX_ITEMS_READ);
    }

    /** An events field costs its page size (first, last, or the default), whatever it selects. */
    private static int eventsAskedFor(FieldComplexityEnvironment environment, int childComplexity) {
        if (!environment.getField().getName().equals("events")) {
            return 0;
        }
        Object first = environment.getArguments().get("first");
        Object last = environment.getArguments().get("last");
        Object size = last != null ? last : first;
        return size instanceof Number number ? Math.max(0, number.intValue()) : EventQuery.DEFAULT_PAGE;
    }

    /** Anything that is not the caller's fault: logged with the request id, answered without internals. */
    private static CompletableFuture<DataFetcherExceptionHandlerResult> unexpected(
            DataFetcherExceptionHandlerParameters parameters) {
        RequestId requestId = parameters.getDataFetchingEnvironment().getGraphQlContext().get(RequestId.class);
        String id = requestId == null ? "-" : requestId.value();
        LOG.error("GraphQL request {} failed at {}", id, parameters.getPath(), parameters.getException());
        return CompletableFuture.completedFuture(DataFetcherExceptionHandlerResult.newResult()
                .error(GraphqlErrorBuilder.newError(parameters.getDataFetchingEnvironment())
                        .message("Herald failed to answer this field (request id " + id + "). It was logged; "
                                + "retrying may help, and if it persists, report the request id.")
                        .errorType(INTERNAL_ERROR)
                        .build())
                .build());
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
            ReadBudget budget = environment.getGraphQlContext().get(ReadBudget.class);
            if (budget != null && budget.left.get() <= 0) {
                throw new InvalidRequestException("This request has read its budget of " + QueryStore.MAX_ITEMS_READ
                        + " items in its earlier events fields; ask for the rest in another request");
            }
            QueryStore.Page page = store.find(query, caller);
            if (budget != null) {
                budget.left.addAndGet(-page.itemsRead());
            }
            return DataFetcherResult.<Map<String, Object>>newResult().data(connection(page)).build();
        } catch (HeraldException e) {
            return DataFetcherResult.<Map<String, Object>>newResult()
                    .error(GraphqlErrorBuilder.newError(environment).message(e.detail()).errorType(BAD_REQUEST).build())
                    .build();
        }
    }

    /** Users by name, a page at a time: {@code first} (default {@value #DEFAULT_USERS}) after a user's cursor. */
    private DataFetcherResult<Map<String, Object>> users(DataFetchingEnvironment environment) {
        try {
            Principal caller = environment.getGraphQlContext().get(Principal.class);
            if (environment.getArgument("last") != null || environment.getArgument("before") != null) {
                throw new InvalidRequestException("users pages forward only: use first and after");
            }
            Integer first = environment.getArgument("first");
            int size = first == null ? DEFAULT_USERS : first;
            if (size < 0 || size > EventQuery.MAX_PAGE) {
                throw new InvalidRequestException("Argument 'first' must be 0 to " + EventQuery.MAX_PAGE + ", not "
                        + size);
            }
            String after = environment.getArgument("after") == null ? null
                    : Cursors.decodeName("after", environment.getArgument("after"));
            List<ObjectNode> found = users.find(environment.getArgument("names"), environment.getArgument("emails"),
                    environment.getArgument("projectName"), caller);
            List<ObjectNode> rest = found.stream()
                    .filter(user -> after == null || user.get("name").asText().compareTo(after) > 0).toList();
            List<ObjectNode> page = rest.stream().limit(size).toList();
            List<Map<String, Object>> edges = new ArrayList<>();
            for (ObjectNode user : page) {
                edges.add(Map.of("node", userNode(user), "cursor", Cursors.encodeName(user.get("name").asText())));
            }
            Map<String, Object> pageInfo = new LinkedHashMap<>();
            pageInfo.put("hasNextPage", rest.size() > page.size());
            pageInfo.put("hasPreviousPage", rest.size() < found.size());
            pageInfo.put("startCursor", edges.isEmpty() ? null : edges.get(0).get("cursor"));
            pageInfo.put("endCursor", edges.isEmpty() ? null : edges.get(edges.size() - 1).get("cursor"));
            Map<String, Object> connection = new LinkedHashMap<>();
            connection.put("edges", edges);
            connection.put("pageInfo", pageInfo);
            return DataFetcherResult.<Map<String, Object>>newResult().data(connection).build();
        } catch (HeraldException e) {
            return DataFetcherResult.<Map<String, Object>>newResult()
                    .error(GraphqlErrorBuilder.newError(environment).message(e.detail()).errorType(BAD_REQUEST).build())
                    .build();
        }
    }

    /** A user as Ayon's GraphQL {@code UserNode}: JSON objects as strings, attributes null, nothing of a key. */
    private static Map<String, Object> userNode(ObjectNode user) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("name", user.get("name").asText());
        node.put("active", user.get("active").asBoolean());
        for (String flag : List.of("isAdmin", "isManager", "isService", "isGuest")) {
            node.put(flag, user.get(flag).asBoolean());
        }
        node.put("isDeveloper", false);
        node.put("accessGroups", Json.write(user.at("/data/accessGroups")));
        node.put("defaultAccessGroups", List.of());
        node.put("hasPassword", false);
        node.put("apiKeyPreview", null);
        Map<String, Object> attrib = new LinkedHashMap<>();
        attrib.put("fullName", null);
        attrib.put("email", null);
        attrib.put("avatarUrl", null);
        attrib.put("developerMode", null);
        node.put("attrib", attrib);
        node.put("allAttrib", "{}");
        node.put("data", Json.write(user.get("data")));
        node.put("createdAt", user.hasNonNull("createdAt") ? user.get("createdAt").asText() : null);
        node.put("updatedAt", user.hasNonNull("updatedAt") ? user.get("updatedAt").asText() : null);
        return node;
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
