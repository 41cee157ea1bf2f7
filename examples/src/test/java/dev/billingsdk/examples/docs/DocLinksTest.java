package dev.billingsdk.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.examples.docs.DocSnippets.Problem;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The documents refer to nothing outside the repository: no file that lives beside it on some
 * machine, and no relative link that leaves it or reaches nothing. The fixture (in {@code
 * src/test/resources/doclinks}) proves the check able to fail.
 */
class DocLinksTest {

  @Test
  void the_documents_refer_only_to_files_in_the_repository() {
    List<Problem> problems = new ArrayList<>();
    for (Path document : DocSnippetsTest.documents()) {
      problems.addAll(DocLinks.check(DocSnippetsTest.ROOT, document));
    }
    assertThat(problems)
        .withFailMessage(
            "References outside the repository:%n%s",
            problems.stream().map(Problem::toString).collect(Collectors.joining("\n")))
        .isEmpty();
  }

  @Test
  void the_check_reports_outside_files_broken_links_and_missing_headings() {
    Path root = Path.of("src/test/resources/doclinks").toAbsolutePath();
    List<String> problems = new ArrayList<>();
    for (String document : List.of("README.md", "docs/guide.md")) {
      DocLinks.check(root, root.resolve(document)).forEach(p -> problems.add(p.toString()));
    }
    assertThat(problems)
        .containsExactly(
            "README.md:8: link docs/missing.md: no such file in the repository",
            "README.md:8: link docs/guide.md#no-such-heading: no heading #no-such-heading in"
                + " docs/guide.md",
            "README.md:9: link ../../../../../../etc/hosts: leaves the repository",
            "README.md:9: link /etc/hosts: leaves the repository",
            "README.md:17: link docs/nowhere.md: no such file in the repository",
            "docs/guide.md:9: mentions DESIGN.md, which is not in the repository; state the rule"
                + " instead",
            "docs/guide.md:9: mentions STYLE.md, which is not in the repository; state the rule"
                + " instead",
            "docs/guide.md:9: mentions ../shared, which is not in the repository; state the rule"
                + " instead",
            "docs/guide.md:9: mentions seeds/, which is not in the repository; state the rule"
                + " instead");
  }

  @Test
  void no_source_file_cites_them_either() throws IOException {
    Path docs = DocSnippetsTest.ROOT.resolve("examples/src/test/java/dev/billingsdk/examples/docs");
    List<String> found = new ArrayList<>();
    AtomicInteger read = new AtomicInteger();
    Files.walkFileTree(
        DocSnippetsTest.ROOT,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            String name = dir.getFileName().toString();
            return name.equals("target")
                    || name.startsWith(".") && !dir.equals(DocSnippetsTest.ROOT)
                ? FileVisitResult.SKIP_SUBTREE
                : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            // The checker and its test name the files they look for.
            if (file.toString().endsWith(".java") && !file.getParent().equals(docs)) {
              read.incrementAndGet();
              List<String> lines = Files.readAllLines(file);
              for (int i = 0; i < lines.size(); i++) {
                for (String outside : DocLinks.OUTSIDE) {
                  if (lines.get(i).contains(outside)) {
                    found.add(
                        DocSnippetsTest.ROOT.relativize(file) + ":" + (i + 1) + ": " + outside);
                  }
                }
              }
            }
            return FileVisitResult.CONTINUE;
          }
        });
    assertThat(read.get()).as("Java files read").isGreaterThan(200);
    assertThat(found).isEmpty();
  }

  @Test
  void anchors_are_githubs() {
    assertThat(DocLinks.slug("Using PostgreSQL / MariaDB / H2"))
        .isEqualTo("using-postgresql--mariadb--h2");
    assertThat(DocLinks.slug("Many charges at once: `chargeAll`"))
        .isEqualTo("many-charges-at-once-chargeall");
    assertThat(DocLinks.slug("The eight ledger rules")).isEqualTo("the-eight-ledger-rules");
  }
}
