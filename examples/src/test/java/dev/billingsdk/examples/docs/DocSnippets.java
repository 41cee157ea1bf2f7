package dev.billingsdk.examples.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the Java in the Markdown documents true: every {@code ```java} block is a copy of a tagged
 * region of a source file the build compiles and runs, named by a marker on the line before it:
 *
 * <pre>
 * &lt;!-- snippet: examples/src/test/java/dev/billingsdk/examples/docs/CreditsSnippetsTest.java#grant --&gt;
 * ```java
 * ...
 * ```
 * </pre>
 *
 * <p>The path is relative to the repository's root. The region is the lines between {@code //
 * tag::grant[]} and {@code // end::grant[]} in that file; lines that open or close other regions
 * inside it are left out, so regions may nest or overlap. The block and the region are compared
 * line by line after removing their common indentation, trailing white space, and blank lines at
 * either end. The source must be a test class the build runs ({@code src/test/java/.../*Test.java})
 * or a main class ({@code src/main/java}), whose own tests run it.
 *
 * <p>{@link #update} rewrites each marked block from its region, for when the code changed on
 * purpose: run {@code DocSnippetsTest} with {@code -Ddocs.snippets.update=true}.
 */
final class DocSnippets {
  private DocSnippets() {}

  /** {@code <!-- snippet: path#tag -->}, alone on its line. */
  static final Pattern MARKER =
      Pattern.compile("^\\s*<!--\\s*snippet:\\s*(\\S+?)#([A-Za-z0-9_.-]+)\\s*-->\\s*$");

  private static final Pattern LOOSE_MARKER = Pattern.compile("<!--\\s*snippet\\b");
  private static final Pattern INLINE_CODE = Pattern.compile("`+[^`]*`+");
  private static final Pattern FENCE = Pattern.compile("^(\\s*)```\\s*([A-Za-z0-9_+-]*)\\s*$");
  private static final Pattern ANY_TAG =
      Pattern.compile("^\\s*//\\s*(tag|end)::[^\\[\\s]+\\[]\\s*$");
  private static final Pattern RUN_BY_THE_BUILD =
      Pattern.compile("(^|.*/)src/test/java/.+Test\\.java$|(^|.*/)src/main/java/.+\\.java$");

  /** A marker: the region {@code tag} of the file at {@code path}, on line {@code line}. */
  record Marker(int line, String path, String tag) {
    @Override
    public String toString() {
      return path + "#" + tag;
    }
  }

  /**
   * A fenced code block opening on line {@code line} (1-based), its fence indented by {@code
   * indent}, with the lines between the fences and the marker right before it, if any.
   */
  record Block(
      int line,
      int endLine,
      String indent,
      String language,
      List<String> lines,
      Optional<Marker> marker) {}

  /** Something wrong in a document, at a line. */
  record Problem(String document, int line, String message) {
    @Override
    public String toString() {
      return document + ":" + line + ": " + message;
    }
  }

  /** A region that cannot be read; the message says why. */
  static final class RegionException extends Exception {
    private static final long serialVersionUID = 1L;

    RegionException(String message) {
      super(message);
    }
  }

  /**
   * The fenced code blocks of the document {@code name}; markers that mark no block go to {@code
   * problems}.
   */
  static List<Block> blocks(String name, List<String> lines, List<Problem> problems) {
    List<Block> blocks = new ArrayList<>();
    Marker pending = null;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      Matcher marker = MARKER.matcher(line);
      Matcher fence = FENCE.matcher(line);
      if (marker.matches()) {
        if (pending != null) {
          problems.add(unused(name, pending));
        }
        pending = new Marker(i + 1, marker.group(1), marker.group(2));
      } else if (LOOSE_MARKER.matcher(INLINE_CODE.matcher(line).replaceAll("")).find()) {
        problems.add(
            new Problem(
                name,
                i + 1,
                "malformed snippet marker; write <!-- snippet: path/to/File.java#tag -->"));
      } else if (fence.matches()) {
        int close = i + 1;
        while (close < lines.size() && !lines.get(close).strip().equals("```")) {
          close++;
        }
        if (close == lines.size()) {
          problems.add(new Problem(name, i + 1, "code block never closed"));
        }
        blocks.add(
            new Block(
                i + 1,
                close + 1,
                fence.group(1),
                fence.group(2),
                List.copyOf(lines.subList(i + 1, Math.min(close, lines.size()))),
                Optional.ofNullable(pending)));
        pending = null;
        i = close;
      } else if (!line.isBlank() && pending != null) {
        problems.add(unused(name, pending));
        pending = null;
      }
    }
    if (pending != null) {
      problems.add(unused(name, pending));
    }
    return blocks;
  }

  private static Problem unused(String name, Marker m) {
    return new Problem(name, m.line(), "marker " + m + " is followed by no code block");
  }

  /**
   * The lines of region {@code tag} in {@code source}, without the lines that open or close any
   * region, their common indentation removed.
   */
  static List<String> region(List<String> source, String tag) throws RegionException {
    Pattern open = Pattern.compile("^\\s*//\\s*tag::" + Pattern.quote(tag) + "\\[]\\s*$");
    Pattern end = Pattern.compile("^\\s*//\\s*end::" + Pattern.quote(tag) + "\\[]\\s*$");
    int start = -1;
    for (int i = 0; i < source.size(); i++) {
      if (open.matcher(source.get(i)).matches()) {
        if (start >= 0) {
          throw new RegionException("tag::" + tag + "[] opens twice");
        }
        start = i;
      }
    }
    if (start < 0) {
      throw new RegionException("no // tag::" + tag + "[]");
    }
    List<String> lines = new ArrayList<>();
    for (int i = start + 1; i < source.size(); i++) {
      String line = source.get(i);
      if (end.matcher(line).matches()) {
        return normalised(lines);
      }
      if (!ANY_TAG.matcher(line).matches()) {
        lines.add(line);
      }
    }
    throw new RegionException("tag::" + tag + "[] has no // end::" + tag + "[]");
  }

  /**
   * {@code lines} without trailing white space, blank lines at either end and their common
   * indentation.
   */
  static List<String> normalised(List<String> lines) {
    List<String> out = new ArrayList<>();
    for (String l : lines) {
      out.add(l.stripTrailing());
    }
    while (!out.isEmpty() && out.get(0).isEmpty()) {
      out.remove(0);
    }
    while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
      out.remove(out.size() - 1);
    }
    int common = Integer.MAX_VALUE;
    for (String l : out) {
      if (!l.isEmpty()) {
        common = Math.min(common, l.length() - l.stripLeading().length());
      }
    }
    List<String> dedented = new ArrayList<>();
    for (String l : out) {
      dedented.add(l.isEmpty() ? l : l.substring(common));
    }
    return dedented;
  }

  /** Every problem of the Java blocks and snippet markers of {@code document}. */
  static List<Problem> check(Path root, Path document) {
    String name = root.relativize(document).toString().replace('\\', '/');
    List<String> lines = read(document);
    List<Problem> problems = new ArrayList<>();
    List<Block> blocks = blocks(name, lines, problems);
    for (Block b : blocks) {
      if (!b.language().equals("java")) {
        b.marker()
            .ifPresent(
                m ->
                    problems.add(
                        new Problem(
                            name,
                            m.line(),
                            "marker "
                                + m
                                + " is before a ```"
                                + b.language()
                                + " block, not ```java")));
        continue;
      }
      if (b.marker().isEmpty()) {
        problems.add(
            new Problem(
                name,
                b.line(),
                "```java block without a snippet marker on the line before it"
                    + " (<!-- snippet: path/to/SomethingTest.java#tag -->)"));
        continue;
      }
      Marker m = b.marker().get();
      List<String> region;
      try {
        region = region(source(root, m), m.tag());
      } catch (RegionException e) {
        problems.add(new Problem(name, m.line(), m + ": " + e.getMessage()));
        continue;
      }
      List<String> shown = normalised(b.lines());
      if (!shown.equals(region)) {
        problems.add(
            new Problem(
                name,
                b.line(),
                "```java block differs from " + m + ": " + difference(shown, region)));
      }
    }
    problems.sort(Comparator.comparingInt(Problem::line));
    return problems;
  }

  /** The lines of the marker's file, or a {@link RegionException} saying why there are none. */
  private static List<String> source(Path root, Marker m) throws RegionException {
    Path file = root.resolve(m.path()).normalize();
    if (m.path().startsWith("/") || !file.startsWith(root.normalize())) {
      throw new RegionException("the path is not inside the repository");
    }
    if (!Files.isRegularFile(file)) {
      throw new RegionException("no such file");
    }
    if (!RUN_BY_THE_BUILD.matcher(m.path()).matches()) {
      throw new RegionException(
          "not a source the build runs (a src/test/java/**/*Test.java or a src/main/java class)");
    }
    return read(file);
  }

  private static String difference(List<String> shown, List<String> region) {
    int n = Math.min(shown.size(), region.size());
    for (int i = 0; i < n; i++) {
      if (!shown.get(i).equals(region.get(i))) {
        return "line "
            + (i + 1)
            + " of the block is \""
            + shown.get(i)
            + "\" but the source has \""
            + region.get(i)
            + "\"";
      }
    }
    return shown.size() < region.size()
        ? "the block ends after " + n + " lines; the source goes on with \"" + region.get(n) + "\""
        : "the block has "
            + (shown.size() - n)
            + " more lines than the source, from \""
            + shown.get(n)
            + "\"";
  }

  /**
   * {@code document} with every marked {@code ```java} block replaced by its region (indented as
   * its fence); blocks whose region cannot be read are left as they are.
   */
  static String update(Path root, Path document) {
    List<String> lines = read(document);
    List<Block> blocks = blocks(document.toString(), lines, new ArrayList<>());
    List<String> out = new ArrayList<>(lines);
    // From the last block up, so that earlier line numbers stay valid.
    for (int i = blocks.size() - 1; i >= 0; i--) {
      Block b = blocks.get(i);
      if (!b.language().equals("java") || b.marker().isEmpty() || b.endLine() > lines.size()) {
        continue;
      }
      List<String> region;
      try {
        region = region(source(root, b.marker().get()), b.marker().get().tag());
      } catch (RegionException e) {
        continue;
      }
      List<String> replacement = new ArrayList<>();
      for (String l : region) {
        replacement.add(l.isEmpty() ? l : b.indent() + l);
      }
      List<String> body = out.subList(b.line(), b.endLine() - 1);
      body.clear();
      body.addAll(replacement);
    }
    return String.join("\n", out) + "\n";
  }

  static List<String> read(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
