package dev.billingsdk.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.examples.docs.DocSnippets.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The snippet check must be able to fail: on fixture documents (in {@code
 * src/test/resources/docsnippets}, whose sources are never compiled) it reports a block that is out
 * of date, a Java block without a marker, and markers that name no region, each at its line.
 */
class DocSnippetsCheckerTest {

  private static final Path ROOT = Path.of("src/test/resources/docsnippets").toAbsolutePath();

  private static List<String> problems(String document) {
    return DocSnippets.check(ROOT, ROOT.resolve(document)).stream().map(Problem::toString).toList();
  }

  @Test
  void an_up_to_date_document_has_no_problems() {
    assertThat(problems("current.md")).isEmpty();
  }

  @Test
  void a_block_that_differs_from_its_region_is_reported_with_the_first_difference() {
    assertThat(problems("stale.md"))
        .containsExactly(
            "stale.md:6: ```java block differs from"
                + " src/test/java/sample/SampleSnippetsTest.java#greeting: line 1 of the block is"
                + " \"String greeting = \"hi\";\" but the source has"
                + " \"String greeting = \"hello\";\"",
            "stale.md:16: ```java block differs from"
                + " src/test/java/sample/SampleSnippetsTest.java#outer: the block ends after 2"
                + " lines; the source goes on with \"if (b > a) {\"");
  }

  @Test
  void a_java_block_without_a_marker_and_a_marker_without_a_java_block_are_reported() {
    assertThat(problems("unmarked.md"))
        .containsExactly(
            "unmarked.md:3: ```java block without a snippet marker on the line before it"
                + " (<!-- snippet: path/to/SomethingTest.java#tag -->)",
            "unmarked.md:7: marker src/test/java/sample/SampleSnippetsTest.java#greeting is"
                + " followed by no code block",
            "unmarked.md:10: ```java block without a snippet marker on the line before it"
                + " (<!-- snippet: path/to/SomethingTest.java#tag -->)",
            "unmarked.md:14: marker src/test/java/sample/SampleSnippetsTest.java#greeting is"
                + " before a ```xml block, not ```java",
            "unmarked.md:19: malformed snippet marker; write"
                + " <!-- snippet: path/to/File.java#tag -->");
  }

  @Test
  void markers_that_name_no_region_of_a_source_the_build_runs_are_reported() {
    assertThat(problems("broken-markers.md"))
        .containsExactly(
            "broken-markers.md:3: src/test/java/sample/MissingTest.java#greeting: no such file",
            "broken-markers.md:8: src/test/java/sample/SampleSnippetsTest.java#farewell:"
                + " no // tag::farewell[]",
            "broken-markers.md:13: src/test/java/sample/SampleSnippetsTest.java#unclosed:"
                + " tag::unclosed[] has no // end::unclosed[]",
            "broken-markers.md:18: ../elsewhere/src/test/java/sample/SampleSnippetsTest.java"
                + "#greeting: the path is not inside the repository",
            "broken-markers.md:23: notes/NotRun.java#greeting: not a source the build runs"
                + " (a src/test/java/**/*Test.java or a src/main/java class)");
  }

  @Test
  void a_region_leaves_out_the_tag_lines_of_regions_inside_it() throws Exception {
    List<String> source =
        DocSnippets.read(ROOT.resolve("src/test/java/sample/SampleSnippetsTest.java"));
    assertThat(DocSnippets.region(source, "outer"))
        .containsExactly(
            "int a = 1;", "int b = a + 1;", "if (b > a) {", "  System.out.println(b);", "}");
    assertThat(DocSnippets.region(source, "inner")).containsExactly("int b = a + 1;");
    assertThatThrownBy(() -> DocSnippets.region(List.of("// tag::x[]", "// tag::x[]"), "x"))
        .hasMessage("tag::x[] opens twice");
  }

  @Test
  void update_rewrites_each_marked_block_from_its_region(@TempDir Path dir) throws IOException {
    Path stale = Files.copy(ROOT.resolve("stale.md"), dir.resolve("stale.md"));
    Files.writeString(stale, DocSnippets.update(ROOT, stale));

    assertThat(DocSnippets.check(ROOT, stale)).isEmpty();
    assertThat(Files.readString(stale)).isEqualTo(Files.readString(ROOT.resolve("current.md")));
  }
}
