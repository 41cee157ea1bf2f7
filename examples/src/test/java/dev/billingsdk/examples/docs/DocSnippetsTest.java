package dev.billingsdk.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.examples.docs.DocSnippets.Block;
import dev.billingsdk.examples.docs.DocSnippets.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every {@code ```java} block of README.md, CHANGELOG.md and docs/*.md is a tagged region of a
 * source the build compiles and runs (see {@link DocSnippets} for the marker). After a deliberate
 * change to the code, {@code -Ddocs.snippets.update=true} rewrites the blocks from their regions
 * before checking them:
 *
 * <pre>
 * ./mvnw -B -pl examples -am test -Djacoco.skip=true -Dtest=DocSnippetsTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Ddocs.snippets.update=true
 * </pre>
 */
class DocSnippetsTest {

  /** The repository's root: the tests run in the examples module's directory. */
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  /** README.md, CHANGELOG.md and every Markdown file under docs/. */
  static List<Path> documents() {
    List<Path> documents = new ArrayList<>();
    documents.add(ROOT.resolve("README.md"));
    documents.add(ROOT.resolve("CHANGELOG.md"));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
    } catch (IOException e) {
      throw new IllegalStateException("cannot list docs/", e);
    }
    return documents;
  }

  @Test
  void every_java_block_is_a_region_of_code_the_build_runs() throws IOException {
    if (Boolean.getBoolean("docs.snippets.update")) {
      for (Path document : documents()) {
        Files.writeString(document, DocSnippets.update(ROOT, document));
      }
    }
    List<Problem> problems = new ArrayList<>();
    for (Path document : documents()) {
      problems.addAll(DocSnippets.check(ROOT, document));
    }
    assertThat(problems)
        .withFailMessage(
            "Java blocks out of step with their sources (after a deliberate change, rerun with"
                + " -Ddocs.snippets.update=true):%n%s",
            problems.stream().map(Problem::toString).collect(Collectors.joining("\n")))
        .isEmpty();
  }

  @Test
  void the_check_sees_the_java_blocks_of_every_guide() {
    List<String> withJava = new ArrayList<>();
    int blocks = 0;
    for (Path document : documents()) {
      List<Block> java =
          DocSnippets.blocks(document.toString(), DocSnippets.read(document), new ArrayList<>())
              .stream()
              .filter(b -> b.language().equals("java"))
              .toList();
      blocks += java.size();
      if (!java.isEmpty()) {
        withJava.add(ROOT.relativize(document).toString().replace('\\', '/'));
      }
    }
    // Guards against a check that passes because it found nothing to check.
    assertThat(withJava)
        .contains(
            "README.md",
            "docs/credits.md",
            "docs/lifecycle.md",
            "docs/invoice-credits.md",
            "docs/metering.md",
            "docs/payments.md",
            "docs/jdbc.md",
            "docs/tck.md",
            "docs/statements.md",
            "docs/reports.md");
    assertThat(blocks).isGreaterThanOrEqualTo(30);
  }
}
