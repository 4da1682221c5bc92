package herald.local;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values of a template's parameters for a local run: given values, else defaults, each checked against the
 * parameter's constraints as CloudFormation checks them at deploy time, so a value the runtime accepts is one
 * a deployment accepts.
 */
final class TemplateParameters {

    private TemplateParameters() {
    }

    static Map<String, String> resolve(Map<String, Object> declarations, Map<String, String> given) {
        Map<String, String> values = new LinkedHashMap<>();
        declarations.forEach((name, declaration) -> {
            Map<String, Object> spec = SamTemplate.map(declaration, "Parameters." + name);
            String value = given.containsKey(name) ? given.get(name)
                    : spec.containsKey("Default") ? String.valueOf(spec.get("Default")) : null;
            if (value == null) {
                throw new IllegalArgumentException("Template parameter " + name + " has no default and no value was "
                        + "given to the local runtime");
            }
            check(name, spec, value);
            values.put(name, value);
        });
        return values;
    }

    private static void check(String name, Map<String, Object> spec, String value) {
        String problem = null;
        if (spec.containsKey("MinLength") && value.length() < number(spec, "MinLength").intValue()) {
            problem = "is shorter than MinLength " + spec.get("MinLength");
        } else if (spec.containsKey("MaxLength") && value.length() > number(spec, "MaxLength").intValue()) {
            problem = "is longer than MaxLength " + spec.get("MaxLength");
        } else if (spec.containsKey("AllowedPattern") && !value.matches(String.valueOf(spec.get("AllowedPattern")))) {
            problem = "does not match AllowedPattern " + spec.get("AllowedPattern");
        } else if (spec.containsKey("AllowedValues") && !((List<?>) spec.get("AllowedValues")).stream()
                .map(String::valueOf).toList().contains(value)) {
            problem = "is not one of " + spec.get("AllowedValues");
        } else if ("Number".equals(spec.get("Type"))) {
            BigDecimal number;
            try {
                number = new BigDecimal(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Template parameter " + name + " must be a number, got '" + value + "'");
            }
            if (spec.containsKey("MinValue") && number.compareTo(number(spec, "MinValue")) < 0) {
                problem = "is below MinValue " + spec.get("MinValue");
            } else if (spec.containsKey("MaxValue") && number.compareTo(number(spec, "MaxValue")) > 0) {
                problem = "is above MaxValue " + spec.get("MaxValue");
            }
        }
        if (problem != null) {
            boolean secret = Boolean.TRUE.equals(spec.get("NoEcho"));
            throw new IllegalArgumentException("Template parameter " + name + " " + (secret ? "(value hidden) " : "'"
                    + value + "' ") + problem);
        }
    }

    private static BigDecimal number(Map<String, Object> spec, String key) {
        return new BigDecimal(String.valueOf(spec.get(key)));
    }
}
