package dev.billingsdk.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The results of one run: rows, facts about the machine and the servers, and notes (a suite that
 * could not run says why here). Written as Markdown after every suite, so a run cut short still
 * leaves what it measured.
 */
public final class Report {
  private final List<Row> rows = new ArrayList<>();
  private final Map<String, String> machine = new LinkedHashMap<>();
  private final List<String> notes = new ArrayList<>();
  private final Instant started = Instant.now();

  public Report() {
    machine.put("cores (available to the JVM)", Integer.toString(availableProcessors()));
    machine.put("CPU", cpuModel());
    machine.put("memory", memory());
    machine.put(
        "JDK",
        System.getProperty("java.vm.name")
            + " "
            + System.getProperty("java.runtime.version")
            + " ("
            + System.getProperty("java.vm.vendor")
            + ")");
    machine.put("OS", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    machine.put(
        "JVM arguments",
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(a -> !a.startsWith("-Dbench.output")) // a path on this machine
            .collect(java.util.stream.Collectors.joining(" ")));
  }

  private static int availableProcessors() {
    return Runtime.getRuntime().availableProcessors();
  }

  public synchronized void add(Row row) {
    rows.add(row);
  }

  public synchronized void fact(String name, String value) {
    machine.put(name, value);
  }

  public synchronized void note(String note) {
    notes.add(note);
  }

  public synchronized List<Row> rows() {
    return List.copyOf(rows);
  }

  /** The whole report as Markdown: machine, table, notes. */
  public synchronized String markdown(BenchConfig config) {
    StringBuilder md = new StringBuilder();
    md.append("# Benchmark results\n\n");
    md.append("Run started ")
        .append(started)
        .append(", took ")
        .append(Duration.between(started, Instant.now()).toSeconds())
        .append(" s")
        .append(config.quick() ? " (QUICK smoke run: the figures mean nothing)" : "")
        .append(".\n\n");
    md.append("| Machine | |\n|---|---|\n");
    machine.forEach(
        (k, v) -> md.append("| ").append(k).append(" | ").append(cell(v)).append(" |\n"));
    md.append("\nJMH: ")
        .append(config.jmhForks())
        .append(" forks × ")
        .append(config.jmhIterations())
        .append(" iterations of ")
        .append(config.jmhSeconds())
        .append(" s after ")
        .append(config.jmhWarmups())
        .append(" warm-ups; error = 99.9% interval. Database runs: ")
        .append(config.dbRepeats())
        .append(" × ")
        .append(config.dbSeconds())
        .append(" s each, ")
        .append(config.clients())
        .append(" clients; error = half the spread of the repeats.\n\n");
    md.append("| Section | Figure | Ours | Baseline | Baseline figure | Ratio | Target | Hit |\n");
    md.append("|---|---|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      md.append("| ")
          .append(cell(r.section()))
          .append(" | ")
          .append(cell(r.figure()))
          .append(" | ")
          .append(r.ours().format())
          .append(" | ")
          .append(cell(r.baselineName() == null ? "" : r.baselineName()))
          .append(" | ")
          .append(r.baseline() == null ? "" : r.baseline().format())
          .append(" | ")
          .append(
              Double.isNaN(r.ratio())
                  ? ""
                  : String.format(java.util.Locale.ROOT, "%.2f×", r.ratio()))
          .append(" | ")
          .append(cell(r.target().text()))
          .append(" | ")
          .append(r.target().isContext() ? "" : r.hit() ? "yes" : "**no**")
          .append(" |\n");
    }
    List<Row> withNotes =
        rows.stream().filter(r -> r.note() != null && !r.note().isBlank()).toList();
    if (!withNotes.isEmpty()) {
      md.append("\n## Row notes\n\n");
      for (Row r : withNotes) {
        md.append("- **")
            .append(r.section())
            .append(", ")
            .append(r.figure())
            .append("**: ")
            .append(r.note())
            .append('\n');
      }
    }
    if (!notes.isEmpty()) {
      md.append("\n## Run notes\n\n");
      notes.forEach(n -> md.append("- ").append(n).append('\n'));
    }
    return md.toString();
  }

  public void write(BenchConfig config) throws IOException {
    Files.createDirectories(config.output());
    Path file = config.output().resolve("results.md");
    Files.writeString(file, markdown(config), StandardCharsets.UTF_8);
  }

  private static String cell(String s) {
    return s.replace("|", "\\|").replace("\n", " ");
  }

  private static String cpuModel() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      return lines
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse(System.getProperty("os.arch"));
    } catch (IOException | RuntimeException e) {
      return System.getProperty("os.arch");
    }
  }

  private static String memory() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/meminfo"))) {
      return lines
          .filter(l -> l.startsWith("MemTotal"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .map(
              kb ->
                  String.format(
                      java.util.Locale.ROOT,
                      "%.1f GiB",
                      Long.parseLong(kb.replace("kB", "").trim()) / 1024.0 / 1024.0))
          .orElse("unknown");
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
