package herald.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import herald.testing.LocalHeraldExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The functions' POM and the layers' POMs stand alone (sam build copies each folder alone), so they name their
 * versions themselves: each version they share with the root POM, which the local runtime, tests and benchmarks
 * build with, must be the same in every one of them.
 */
class PomVersionsTest {

    @Test
    void everyVersionIsTheSameInEveryPomThatNamesIt() throws Exception {
        Path root = LocalHeraldExtension.template().toAbsolutePath().getParent();
        List<Path> poms = new ArrayList<>(List.of(root.resolve("pom.xml"), root.resolve("functions/pom.xml")));
        try (Stream<Path> layers = Files.list(root.resolve("layers"))) {
            layers.map(layer -> layer.resolve("pom.xml")).filter(Files::isRegularFile).sorted().forEach(poms::add);
        }
        Map<String, Map<String, String>> valuesByProperty = new TreeMap<>();
        for (Path pom : poms) {
            properties(pom).forEach((name, value) -> valuesByProperty.computeIfAbsent(name, n -> new LinkedHashMap<>())
                    .put(root.relativize(pom).toString(), value));
        }
        assertThat(valuesByProperty).containsKeys("awssdk.version", "graaljs.version", "graphql-java.version");
        valuesByProperty.forEach((name, values) ->
                assertThat(values.values().stream().distinct()).as(name + " in " + values).hasSize(1));
        assertThat(valuesByProperty.get("graaljs.version")).hasSizeGreaterThanOrEqualTo(3);
    }

    private static Map<String, String> properties(Path pom) throws Exception {
        Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile())
                .getDocumentElement();
        Map<String, String> found = new LinkedHashMap<>();
        NodeList sections = project.getElementsByTagName("properties");
        for (int i = 0; i < sections.getLength(); i++) {
            if (sections.item(i).getParentNode() != project) {
                continue; // a profile's properties
            }
            NodeList children = sections.item(i).getChildNodes();
            for (int j = 0; j < children.getLength(); j++) {
                Node child = children.item(j);
                if (child.getNodeType() == Node.ELEMENT_NODE) {
                    found.put(child.getNodeName(), child.getTextContent().trim());
                }
            }
        }
        return found;
    }
}
