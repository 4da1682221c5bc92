package herald.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * What Lambda's Java runtime does for a cold start, in a fresh JVM whose classpath is a function's package alone
 * (and this class): construct the handler with the function's environment, then hand it one request.
 * {@code ColdStartDriver <handler class> <event.json> <environment.json>} prints one line, {@code cold-start
 * <JVM uptime ms> <init ms> <request ms> <result class>}, and exits 0; a failure is a stack trace and exit 1.
 *
 * <p>It uses the JDK, and Jackson and the Lambda core types from the function's own package, nothing else, so that
 * a class missing from a package fails here as it would in Lambda.
 */
public final class ColdStartDriver {

    private ColdStartDriver() {
    }

    public static void main(String[] args) throws Exception {
        ObjectMapper json = JsonMapper.builder()
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
        @SuppressWarnings("unchecked")
        Map<String, String> environment = json.readValue(new File(args[2]), Map.class);
        long start = System.nanoTime();
        Object handler = Class.forName(args[0]).getConstructor(Map.class).newInstance(environment);
        long initialised = System.nanoTime();
        Method handle = null;
        for (Method method : handler.getClass().getMethods()) {
            if (method.getName().equals("handleRequest") && method.getParameterCount() == 2 && !method.isBridge()) {
                handle = method;
            }
        }
        if (handle == null) {
            throw new IllegalArgumentException(args[0] + " has no handleRequest(event, Context)");
        }
        Object event = json.readValue(new File(args[1]), handle.getParameterTypes()[0]);
        Object result = handle.invoke(handler, event, context(args[0]));
        long handled = System.nanoTime();
        System.out.println("cold-start " + ManagementFactory.getRuntimeMXBean().getUptime() + " "
                + (initialised - start) / 1_000_000 + " " + (handled - initialised) / 1_000_000 + " "
                + (result == null ? "null" : result.getClass().getSimpleName()));
        System.out.flush();
        System.exit(0);
    }

    /** A Lambda context: a request id, a minute left, 1 GB; everything else empty. */
    private static Context context(String handler) {
        return (Context) Proxy.newProxyInstance(ColdStartDriver.class.getClassLoader(), new Class<?>[] {Context.class},
                (proxy, method, arguments) -> switch (method.getName()) {
                    case "getAwsRequestId" -> "cold-start-request";
                    case "getFunctionName" -> handler.substring(handler.lastIndexOf('.') + 1);
                    case "getRemainingTimeInMillis" -> 60_000;
                    case "getMemoryLimitInMB" -> 1024;
                    case "toString" -> "ColdStartContext";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == arguments[0];
                    default -> null;
                });
    }
}
