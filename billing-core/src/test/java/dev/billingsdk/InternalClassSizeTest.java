package dev.billingsdk;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * No class of the implementation ({@code dev.billingsdk.internal..}) passes about 500 lines: a
 * service that grows past that is split by what it does (as {@code CreditService} was into
 * accounts, grants, charges and reversals). ArchUnit sees bytecode, not lines, so this reads the
 * source files; the limit it enforces leaves some room above the 500 aimed at. {@code
 * ArchitectureRulesCanFailTest} shows that it catches a long file.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class InternalClassSizeTest {
  /** The most lines a source file under {@code internal} may have. */
  static final int MAX_LINES = 550;

  /** Core's main sources, relative to the module directory Maven runs the tests in. */
  static final Path MAIN_SOURCES = Path.of("src", "main", "java");

  private static final Path INTERNAL = Path.of("dev", "billingsdk", "internal");

  /**
   * The source files below {@code dev/billingsdk/internal} of {@code sources} that are longer than
   * {@link #MAX_LINES}, by path relative to {@code sources}, with their line counts.
   */
  static Map<Path, Integer> longerThanTheLimit(Path sources) throws IOException {
    Map<Path, Integer> tooLong = new TreeMap<>();
    for (Path file : internalSources(sources)) {
      int lines = Files.readAllLines(file, UTF_8).size();
      if (lines > MAX_LINES) {
        tooLong.put(sources.relativize(file), lines);
      }
    }
    return tooLong;
  }

  /** Fails, naming each file and its length, if any source file under internal is too long. */
  static void check(Path sources) throws IOException {
    assertThat(longerThanTheLimit(sources))
        .as(
            "classes in dev.billingsdk.internal.. longer than %d lines (split them by what they"
                + " do; aim for 500)",
            MAX_LINES)
        .isEmpty();
  }

  private static List<Path> internalSources(Path sources) throws IOException {
    try (Stream<Path> files = Files.walk(sources.resolve(INTERNAL))) {
      return files.filter(f -> f.getFileName().toString().endsWith(".java")).sorted().toList();
    }
  }

  @Test
  void the_check_reads_the_implementation_sources() throws IOException {
    // Guards against a check that passes because it read nothing.
    assertThat(internalSources(MAIN_SOURCES))
        .extracting(f -> f.getFileName().toString())
        .contains("CreditService.java", "Writer.java", "DeductionService.java");
  }

  @Test
  void no_class_in_internal_passes_the_limit() throws IOException {
    check(MAIN_SOURCES);
  }
}
