package herald.local;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves CloudFormation intrinsic functions in template values the way a deployment would, with local values:
 * {@code Ref} to parameters, resources (their physical names) and pseudo parameters; {@code Fn::Sub};
 * {@code Fn::GetAtt} ({@code Arn}, {@code StreamArn}); {@code Fn::Join}; and SAM's {@code <Function>.Alias}. Anything else fails with the
 * function's name, so a template that the runtime cannot read fails at start, not at a request.
 *
 * <p>Immutable and thread-safe.
 */
final class Intrinsics {

    static final String REGION = "us-east-1";
    static final String ACCOUNT = "000000000000";
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!]+)}");

    private final Map<String, String> parameters;
    private final Map<String, String> physicalNames;
    private final Map<String, String> resourceTypes;
    private final Map<String, String> aliases;
    private final String stackName;

    /** {@code aliases}: each function's AutoPublishAlias, for SAM's {@code <Function>.Alias} references. */
    Intrinsics(Map<String, String> parameters, Map<String, String> physicalNames, Map<String, String> resourceTypes,
            Map<String, String> aliases, String stackName) {
        this.parameters = Map.copyOf(parameters);
        this.physicalNames = Map.copyOf(physicalNames);
        this.resourceTypes = Map.copyOf(resourceTypes);
        this.aliases = Map.copyOf(aliases);
        this.stackName = stackName;
    }

    /** Resolves every intrinsic inside {@code value}, recursively. */
    Object resolve(Object value) {
        if (value instanceof Map) {
            Map<?, ?> map = (Map<?, ?>) value;
            if (map.size() == 1) {
                String key = String.valueOf(map.keySet().iterator().next());
                if (key.equals("Ref") || key.startsWith("Fn::")) {
                    return function(key, map.get(key));
                }
            }
            Map<String, Object> resolved = new LinkedHashMap<>();
            map.forEach((k, v) -> resolved.put(String.valueOf(k), resolve(v)));
            return resolved;
        }
        if (value instanceof List) {
            List<Object> resolved = new ArrayList<>();
            for (Object item : (List<?>) value) {
                resolved.add(resolve(item));
            }
            return resolved;
        }
        return value;
    }

    String resolveString(Object value) {
        Object resolved = resolve(value);
        return resolved == null ? null : String.valueOf(resolved);
    }

    private Object function(String name, Object argument) {
        switch (name) {
            case "Ref":
                return ref(String.valueOf(argument));
            case "Fn::Sub":
                return sub(argument);
            case "Fn::GetAtt":
                List<?> parts = (List<?>) argument;
                return getAtt(String.valueOf(parts.get(0)), String.valueOf(parts.get(1)));
            case "Fn::Join":
                List<?> join = (List<?>) argument;
                List<String> items = new ArrayList<>();
                for (Object item : (List<?>) resolve(join.get(1))) {
                    items.add(String.valueOf(item));
                }
                return String.join(String.valueOf(join.get(0)), items);
            default:
                throw new IllegalArgumentException("The local runtime does not implement " + name
                        + "; use Ref, Fn::Sub, Fn::GetAtt or Fn::Join, or teach herald.local.Intrinsics");
        }
    }

    private String ref(String name) {
        switch (name) {
            case "AWS::Region": return REGION;
            case "AWS::AccountId": return ACCOUNT;
            case "AWS::StackName": return stackName;
            case "AWS::URLSuffix": return "amazonaws.com";
            case "AWS::Partition": return "aws";
            default: break;
        }
        if (parameters.containsKey(name)) {
            return parameters.get(name);
        }
        if (name.endsWith(".Alias") && aliases.containsKey(name.substring(0, name.length() - ".Alias".length()))) {
            return alias(name.substring(0, name.length() - ".Alias".length()));
        }
        if (physicalNames.containsKey(name)) {
            return physicalNames.get(name);
        }
        throw new IllegalArgumentException("Ref to '" + name + "', which is neither a parameter nor a resource");
    }

    private String getAtt(String resource, String attribute) {
        String type = resourceTypes.get(resource);
        if (type == null) {
            throw new IllegalArgumentException("Fn::GetAtt on unknown resource '" + resource + "'");
        }
        String physical = physicalNames.get(resource);
        String arn;
        switch (type) {
            case "AWS::DynamoDB::Table": arn = "arn:aws:dynamodb:" + REGION + ":" + ACCOUNT + ":table/" + physical; break;
            case "AWS::S3::Bucket": arn = "arn:aws:s3:::" + physical; break;
            case "AWS::Serverless::Function":
            case "AWS::Lambda::Function":
                arn = "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + physical;
                break;
            default: arn = "arn:aws:local:" + REGION + ":" + ACCOUNT + ":" + physical; break;
        }
        switch (attribute) {
            case "Alias":
                if (aliases.containsKey(resource)) {
                    return alias(resource);
                }
                throw new IllegalArgumentException(resource + ".Alias: the function has no AutoPublishAlias");
            case "Arn": return arn;
            case "StreamArn": return arn + "/stream/local";
            default:
                throw new IllegalArgumentException("Fn::GetAtt " + resource + "." + attribute
                        + " is not implemented locally (only Arn and StreamArn)");
        }
    }

    /** SAM's {@code <Function>.Alias}: the function's ARN qualified by its alias. */
    private String alias(String function) {
        return getAtt(function, "Arn") + ":" + aliases.get(function);
    }

    private String sub(Object argument) {
        String template;
        Map<String, Object> variables = Map.of();
        if (argument instanceof List) {
            List<?> parts = (List<?>) argument;
            template = String.valueOf(parts.get(0));
            @SuppressWarnings("unchecked")
            Map<String, Object> given = (Map<String, Object>) parts.get(1);
            variables = given;
        } else {
            template = String.valueOf(argument);
        }
        Matcher matcher = SUB_VARIABLE.matcher(template);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String variable = matcher.group(1);
            String value;
            if (variables.containsKey(variable)) {
                value = resolveString(variables.get(variable));
            } else if (variable.contains(".")) {
                String[] parts = variable.split("\\.", 2);
                value = getAtt(parts[0], parts[1]);
            } else {
                value = ref(variable);
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(result);
        return result.toString();
    }
}
