package dev.billingsdk.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A newcomer can run every example program: each class of {@code examples} with a {@code main}
 * method has a profile in {@code examples/pom.xml} that runs it, and README.md shows the command.
 */
class ExampleProgramsTest {

  private static final Path ROOT = DocSnippetsTest.ROOT;
  private static final Pattern MAIN =
      Pattern.compile("public\\s+static\\s+void\\s+main\\s*\\(\\s*(final\\s+)?String");
  private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;");

  /** The classes with a main method, by name. */
  static List<String> programs() throws IOException {
    Path sources = ROOT.resolve("examples/src/main/java");
    TreeSet<String> programs = new TreeSet<>();
    try (Stream<Path> files = Files.walk(sources)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String source = Files.readString(file);
        if (MAIN.matcher(source).find()) {
          Matcher pkg = PACKAGE.matcher(source);
          String simple = file.getFileName().toString().replace(".java", "");
          programs.add(pkg.find() ? pkg.group(1) + "." + simple : simple);
        }
      }
    }
    return List.copyOf(programs);
  }

  /** The profiles of examples/pom.xml that run a main class with the exec plugin, by class. */
  static Map<String, String> profiles() throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Document pom = factory.newDocumentBuilder().parse(ROOT.resolve("examples/pom.xml").toFile());
    Map<String, String> byClass = new TreeMap<>();
    NodeList profiles = pom.getElementsByTagName("profile");
    for (int i = 0; i < profiles.getLength(); i++) {
      Element profile = (Element) profiles.item(i);
      String id = profile.getElementsByTagName("id").item(0).getTextContent().strip();
      NodeList mains = profile.getElementsByTagName("mainClass");
      for (int j = 0; j < mains.getLength(); j++) {
        byClass.put(mains.item(j).getTextContent().strip(), id);
      }
    }
    return byClass;
  }

  @Test
  void there_are_example_programs() throws IOException {
    assertThat(programs())
        .contains(
            "dev.billingsdk.examples.QuickStart",
            "dev.billingsdk.examples.LifecycleTour",
            "dev.billingsdk.examples.MeteringTour");
  }

  @Test
  void every_program_has_a_profile_and_every_profile_runs_a_program() throws Exception {
    Map<String, String> profiles = profiles();
    assertThat(profiles.keySet())
        .as("the main classes the profiles of examples/pom.xml run")
        .containsExactlyInAnyOrderElementsOf(programs());
  }

  @Test
  void the_readme_shows_the_command_of_every_program() throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"));
    for (Map.Entry<String, String> program : profiles().entrySet()) {
      Pattern command =
          Pattern.compile(
              "(?m)^\\s*\\./mvnw\\s.*-P"
                  + Pattern.quote(program.getValue())
                  + "\\s.*-pl examples\\b");
      assertThat(command.matcher(readme).find())
          .as(
              "README.md shows ./mvnw ... -P%s ... -pl examples ... for %s",
              program.getValue(), program.getKey())
          .isTrue();
    }
  }
}
