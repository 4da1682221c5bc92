package herald.http;

import static org.assertj.core.api.Assertions.assertThat;

import herald.local.LocalHerald;
import herald.local.SamTemplate;
import herald.testing.LocalHeraldExtension;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * template.yaml declares the routes; {@link Routes} is the table the code dispatches by. They must be the same: every
 * route, the function that serves it, and whether API Gateway lets it through without a key.
 */
@ExtendWith(LocalHeraldExtension.class)
class RouteTableIT {

    private final LocalHerald herald;

    RouteTableIT(LocalHerald herald) {
        this.herald = herald;
    }

    @Test
    void theTableHasExactlyTheTemplatesRoutesAndFunctions() {
        Set<String> template = new TreeSet<>();
        for (SamTemplate.FunctionSpec function : herald.template().functions()) {
            for (SamTemplate.RouteSpec route : function.routes()) {
                template.add(function.logicalId() + " " + (route.method() == null ? Route.DEFAULT
                        : route.method() + " " + route.path()));
            }
        }
        Set<String> table = new TreeSet<>();
        Routes.all().forEach(route -> table.add(route.function() + " " + route.key()));
        assertThat(table).isEqualTo(template);
    }

    @Test
    void theRoutesOpenToEveryoneAreExactlyThoseWithoutAnAuthorizer() {
        Set<String> open = new TreeSet<>();
        for (SamTemplate.FunctionSpec function : herald.template().functions()) {
            for (SamTemplate.RouteSpec route : function.routes()) {
                if (route.authorizer() == null) {
                    open.add(route.method() == null ? Route.DEFAULT : route.method() + " " + route.path());
                }
            }
        }
        Set<String> declared = new TreeSet<>();
        Routes.all().stream().filter(r -> r.access() == Access.PUBLIC || r.access() == Access.SIGNED)
                .forEach(r -> declared.add(r.key()));
        assertThat(declared).isEqualTo(open);
    }
}
