package dev.billingsdk.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.examples.docs.DocSnippets.Block;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * What README.md tells a host to put in its pom is what the build makes: {@code billing-bom}
 * manages every library module at the project's version, and every {@code dev.billingsdk}
 * dependency in a document's {@code ```xml} block names a module, at the project's version or
 * without one (then the BOM, imported as a BOM, gives it).
 */
class DocDependenciesTest {

  private static final Path ROOT = DocSnippetsTest.ROOT;
  private static final String GROUP = "dev.billingsdk";

  /** Modules that are no library a host depends on. */
  private static final Set<String> NOT_LIBRARIES =
      Set.of("billing-bom", "billing-bench", "examples", "examples-console");

  private static Document parse(InputSource source) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory.newDocumentBuilder().parse(source);
  }

  private static Element pom(String path) throws Exception {
    return parse(new InputSource(ROOT.resolve(path).toUri().toString())).getDocumentElement();
  }

  /** The text of the direct child {@code name} of {@code e}, if there is one. */
  private static Optional<String> child(Element e, String name) {
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c && c.getTagName().equals(name)) {
        return Optional.of(c.getTextContent().strip());
      }
    }
    return Optional.empty();
  }

  private static List<Element> elements(Element e, String name) {
    List<Element> out = new ArrayList<>();
    NodeList list = e.getElementsByTagName(name);
    for (int i = 0; i < list.getLength(); i++) {
      out.add((Element) list.item(i));
    }
    return out;
  }

  private static String projectVersion() throws Exception {
    return child(pom("pom.xml"), "version").orElseThrow();
  }

  /** The artifactIds of the parent's modules, in order. */
  private static Set<String> modules() throws Exception {
    Set<String> modules = new LinkedHashSet<>();
    for (Element m : elements(pom("pom.xml"), "module")) {
      modules.add(child(pom(m.getTextContent().strip() + "/pom.xml"), "artifactId").orElseThrow());
    }
    return modules;
  }

  /** The BOM's managed dependencies: artifactId to version text. */
  private static Map<String, String> managedByTheBom() throws Exception {
    Map<String, String> managed = new LinkedHashMap<>();
    for (Element d : elements(pom("billing-bom/pom.xml"), "dependency")) {
      assertThat(child(d, "groupId")).contains(GROUP);
      managed.put(child(d, "artifactId").orElseThrow(), child(d, "version").orElse(""));
    }
    return managed;
  }

  @Test
  void the_bom_manages_every_library_module_at_the_projects_version() throws Exception {
    Element bom = pom("billing-bom/pom.xml");
    Set<String> libraries = new LinkedHashSet<>(modules());
    assertThat(libraries).contains("billing-bom", "billing-core");
    libraries.removeAll(NOT_LIBRARIES);

    assertThat(child(bom, "parent")).as("a BOM without a parent pins nothing else").isEmpty();
    assertThat(child(bom, "groupId")).contains(GROUP);
    assertThat(child(bom, "artifactId")).contains("billing-bom");
    assertThat(child(bom, "packaging")).contains("pom");
    assertThat(child(bom, "version")).contains(projectVersion());
    assertThat(managedByTheBom().keySet()).containsExactlyInAnyOrderElementsOf(libraries);
    assertThat(managedByTheBom().values()).containsOnly("${project.version}");
  }

  /** The problems of the {@code dev.billingsdk} dependencies in one block of XML. */
  static List<String> problems(String xml, Set<String> modules, String version, Set<String> managed)
      throws Exception {
    Element snippet =
        parse(new InputSource(new StringReader("<snippet>" + xml + "</snippet>")))
            .getDocumentElement();
    List<String> problems = new ArrayList<>();
    for (Element d : elements(snippet, "dependency")) {
      if (!child(d, "groupId").orElse("").equals(GROUP)) {
        continue;
      }
      String artifact = child(d, "artifactId").orElse("");
      Optional<String> given = child(d, "version");
      if (!modules.contains(artifact)) {
        problems.add(artifact + ": no module of the build has this artifactId");
      } else if (given.isPresent() && !given.get().equals(version)) {
        problems.add(artifact + ": version " + given.get() + ", but the project is at " + version);
      } else if (artifact.equals("billing-bom")) {
        boolean imported =
            child(d, "type").equals(Optional.of("pom"))
                && child(d, "scope").equals(Optional.of("import"))
                && d.getParentNode().getParentNode() instanceof Element e
                && e.getTagName().equals("dependencyManagement");
        if (!imported || given.isEmpty()) {
          problems.add(
              "billing-bom: import it with its version, <type>pom</type> and <scope>import</scope>"
                  + " in <dependencyManagement>");
        }
      } else if (given.isEmpty() && !managed.contains(artifact)) {
        problems.add(artifact + ": no version, and billing-bom does not manage it");
      }
    }
    return problems;
  }

  @Test
  void the_xml_in_the_documents_names_modules_the_build_makes() throws Exception {
    Set<String> modules = modules();
    String version = projectVersion();
    Set<String> managed = managedByTheBom().keySet();
    List<String> problems = new ArrayList<>();
    int bomImports = 0;
    for (Path document : DocSnippetsTest.documents()) {
      for (Block b :
          DocSnippets.blocks(document.toString(), DocSnippets.read(document), new ArrayList<>())) {
        if (b.language().equals("xml")) {
          String xml = String.join("\n", b.lines());
          problems(xml, modules, version, managed)
              .forEach(p -> problems.add(ROOT.relativize(document) + ":" + b.line() + ": " + p));
          bomImports += xml.contains("<artifactId>billing-bom</artifactId>") ? 1 : 0;
        }
      }
    }
    assertThat(problems).isEmpty();
    assertThat(bomImports).as("README.md shows how to import billing-bom").isPositive();
  }

  @Test
  void the_xml_check_reports_what_a_host_could_not_build() throws Exception {
    Set<String> modules = Set.of("billing-bom", "billing-core", "billing-bench");
    Set<String> managed = Set.of("billing-core");
    String xml =
        """
        <dependencyManagement><dependencies>
          <dependency><groupId>dev.billingsdk</groupId><artifactId>billing-bom</artifactId>
            <version>1.0</version><type>pom</type></dependency>
        </dependencies></dependencyManagement>
        <dependency><groupId>dev.billingsdk</groupId><artifactId>billing-ghost</artifactId></dependency>
        <dependency><groupId>dev.billingsdk</groupId><artifactId>billing-core</artifactId>
          <version>0.9</version></dependency>
        <dependency><groupId>dev.billingsdk</groupId><artifactId>billing-bench</artifactId></dependency>
        <dependency><groupId>org.slf4j</groupId><artifactId>anything</artifactId></dependency>
        """;
    assertThat(problems(xml, modules, "1.0", managed))
        .containsExactly(
            "billing-bom: import it with its version, <type>pom</type> and <scope>import</scope>"
                + " in <dependencyManagement>",
            "billing-ghost: no module of the build has this artifactId",
            "billing-core: version 0.9, but the project is at 1.0",
            "billing-bench: no version, and billing-bom does not manage it");
  }
}
