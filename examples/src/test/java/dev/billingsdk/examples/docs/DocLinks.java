package dev.billingsdk.examples.docs;

import dev.billingsdk.examples.docs.DocSnippets.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the documents self-contained: a reader of the repository has only the repository. A
 * document may not cite files that live beside it on some machine (the design notes and style
 * guide, the seeds, a {@code ../shared} folder), and every relative link must reach a file or
 * folder inside the repository, and a heading there when it names one ({@code file.md#heading},
 * GitHub's anchors).
 */
final class DocLinks {
  private DocLinks() {}

  /** Names of files outside the repository that documents used to cite. */
  static final List<String> OUTSIDE = List.of("DESIGN.md", "STYLE.md", "../shared", "seeds/");

  private static final Pattern FENCE = Pattern.compile("^\\s*```.*$");
  private static final Pattern INLINE_CODE = Pattern.compile("`[^`]*`");
  private static final Pattern INLINE_LINK =
      Pattern.compile("\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
  private static final Pattern REFERENCE_LINK = Pattern.compile("^\\s*\\[[^\\]]+]:\\s*(\\S+)");
  private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");
  private static final Pattern EXTERNAL = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:.*");

  /** Every problem of the links and mentions of {@code document}. */
  static List<Problem> check(Path root, Path document) {
    Path base = root.toAbsolutePath().normalize();
    String name =
        base.relativize(document.toAbsolutePath().normalize()).toString().replace('\\', '/');
    List<String> lines = DocSnippets.read(document);
    List<Problem> problems = new ArrayList<>();
    boolean inCode = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      for (String outside : OUTSIDE) {
        if (line.toLowerCase(Locale.ROOT).contains(outside.toLowerCase(Locale.ROOT))) {
          problems.add(
              new Problem(
                  name,
                  i + 1,
                  "mentions "
                      + outside
                      + ", which is not in the repository; state the rule instead"));
        }
      }
      if (FENCE.matcher(line).matches()) {
        inCode = !inCode;
        continue;
      }
      if (inCode) {
        continue;
      }
      String text = INLINE_CODE.matcher(line).replaceAll("");
      List<String> targets = new ArrayList<>();
      Matcher inline = INLINE_LINK.matcher(text);
      while (inline.find()) {
        targets.add(inline.group(1));
      }
      Matcher reference = REFERENCE_LINK.matcher(text);
      if (reference.find()) {
        targets.add(reference.group(1));
      }
      for (String target : targets) {
        String problem = resolve(base, document.toAbsolutePath().normalize(), target);
        if (problem != null) {
          problems.add(new Problem(name, i + 1, "link " + target + ": " + problem));
        }
      }
    }
    return problems;
  }

  /** Why {@code target}, linked from {@code document}, does not resolve; null if it does. */
  private static String resolve(Path root, Path document, String target) {
    if (EXTERNAL.matcher(target).matches()) {
      return null; // https:, mailto: ...
    }
    int hash = target.indexOf('#');
    String path = hash < 0 ? target : target.substring(0, hash);
    String anchor = hash < 0 ? null : target.substring(hash + 1);
    Path file = path.isEmpty() ? document : document.getParent().resolve(path).normalize();
    if (path.startsWith("/") || !file.startsWith(root)) {
      return "leaves the repository";
    }
    if (!Files.exists(file)) {
      return "no such file in the repository";
    }
    if (anchor != null && file.toString().endsWith(".md") && !anchors(file).contains(anchor)) {
      return "no heading #" + anchor + " in " + root.relativize(file).toString().replace('\\', '/');
    }
    return null;
  }

  /** The anchors GitHub gives the headings of a Markdown file. */
  static Set<String> anchors(Path markdown) {
    Set<String> anchors = new HashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    boolean inCode = false;
    for (String line : DocSnippets.read(markdown)) {
      if (FENCE.matcher(line).matches()) {
        inCode = !inCode;
        continue;
      }
      Matcher heading = HEADING.matcher(line);
      if (!inCode && heading.matches()) {
        String slug = slug(heading.group(1));
        int n = seen.merge(slug, 1, Integer::sum);
        anchors.add(n == 1 ? slug : slug + "-" + (n - 1));
      }
    }
    return anchors;
  }

  /** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
  static String slug(String heading) {
    String text = heading.replaceAll("\\[([^\\]]*)]\\([^)]*\\)", "$1"); // a link keeps its text
    StringBuilder slug = new StringBuilder();
    text.toLowerCase(Locale.ROOT)
        .codePoints()
        .forEach(
            c -> {
              if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                slug.appendCodePoint(c);
              } else if (c == ' ') {
                slug.append('-');
              }
            });
    return slug.toString();
  }
}
