package herald.local;

import com.amazonaws.services.lambda.runtime.Context;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.UUID;

/**
 * One function of the template, loaded as Lambda loads it: the handler class named by {@code Handler}
 * ({@code package.Class::method}), constructed once (a container) and invoked with the event object and a
 * {@link Context}. A class with a constructor taking a {@code Map<String, String>} gets the environment the
 * template gives the function through it, because a JVM's own environment cannot be set per function.
 *
 * <p>Thread-safe when the handler is: the runtime calls one instance from many request threads.
 */
public final class LocalFunction {

    private final SamTemplate.FunctionSpec spec;
    private final Object handler;
    private final Method method;

    private LocalFunction(SamTemplate.FunctionSpec spec, Object handler, Method method) {
        this.spec = spec;
        this.handler = handler;
        this.method = method;
    }

    public static LocalFunction load(SamTemplate.FunctionSpec spec, Map<String, String> environment) {
        String[] parts = spec.handler().split("::", 2);
        String methodName = parts.length == 2 ? parts[1] : "handleRequest";
        try {
            Class<?> type = Class.forName(parts[0]);
            Object handler = construct(type, environment);
            Method method = null;
            for (Method candidate : type.getMethods()) {
                if (candidate.getName().equals(methodName) && candidate.getParameterCount() == 2
                        && candidate.getParameterTypes()[1] == Context.class && !candidate.isBridge()) {
                    method = candidate;
                }
            }
            if (method == null) {
                throw new IllegalArgumentException(spec.logicalId() + ": " + parts[0] + " has no method " + methodName
                        + "(event, Context)");
            }
            return new LocalFunction(spec, handler, method);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException(spec.logicalId() + ": handler class " + parts[0]
                    + " is not on the classpath", e);
        }
    }

    private static Object construct(Class<?> type, Map<String, String> environment) {
        try {
            try {
                Constructor<?> withEnvironment = type.getConstructor(Map.class);
                return withEnvironment.newInstance(environment);
            } catch (NoSuchMethodException e) {
                return type.getConstructor().newInstance();
            }
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("Initialising " + type.getName() + " failed: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(type.getName() + " needs a public no-argument constructor", e);
        }
    }

    public String name() {
        return spec.logicalId();
    }

    public SamTemplate.FunctionSpec spec() {
        return spec;
    }

    /** Invokes the handler as Lambda would; a handler's exception is the invocation's error. */
    public Object invoke(Object event) throws Throwable {
        Context context = new LocalContext(spec, UUID.randomUUID().toString());
        try {
            return method.invoke(handler, event, context);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
