package dev.billingsdk.money;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The library's own copy of ISO 4217 Table A.1 (the current currency and funds codes), read once
 * from {@code iso4217.csv} beside this class. Minor units and known codes come from here and never
 * from {@code java.util.Currency}, whose data is whatever the running JDK was built with.
 */
final class Iso4217 {

  /** The resource, relative to this class. */
  static final String RESOURCE = "iso4217.csv";

  private static final String HEADER = "code,numeric,minor,fund";
  private static final String EDITION = "# edition: ";
  private static final Pattern CODE = Pattern.compile("[A-Z]{3}");
  private static final Pattern NUMERIC = Pattern.compile("[0-9]{3}");
  private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
  private static final Pattern MINOR = Pattern.compile("[0-9]");

  /** One code of the list: its numeric code, minor unit ({@code -1} for "N.A.") and fund mark. */
  record Entry(String code, int numeric, int minorUnits, boolean fund) {

    /** Whether the list gives a minor unit ("N.A." for metals, XDR and the test codes). */
    boolean hasMinorUnit() {
      return minorUnits >= 0;
    }
  }

  /** The table as read: the list's publication date and the entries by code. */
  record Table(String edition, Map<String, Entry> entries) {}

  private static final class Loaded {
    static final Table TABLE = load();
  }

  private Iso4217() {}

  /** The shipped table, read on first use. */
  static Table table() {
    return Loaded.TABLE;
  }

  /** The entry for {@code code}, or null when the list does not hold it. */
  static @Nullable Entry entry(String code) {
    return table().entries().get(code);
  }

  private static Table load() {
    try (InputStream in = Iso4217.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the ISO 4217 table " + RESOURCE + " is missing");
      }
      return parse(
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList());
    } catch (IOException e) {
      throw new UncheckedIOException("the ISO 4217 table " + RESOURCE + " cannot be read", e);
    }
  }

  /**
   * Reads the table's text: comment lines ({@code #}), one of them {@code # edition: YYYY-MM-DD},
   * then the header and one line per code. Anything else is refused: a damaged table must not
   * quietly give a currency the wrong minor unit.
   */
  static Table parse(List<String> lines) {
    @Nullable String edition = null;
    boolean header = false;
    Map<String, Entry> entries = new TreeMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith(EDITION)) {
        edition = line.substring(EDITION.length());
        check(DATE.matcher(edition).matches() && !header, i, line);
      } else if (line.startsWith("#")) {
        continue;
      } else if (!header) {
        check(line.equals(HEADER), i, line);
        header = true;
      } else {
        Entry entry = entry(line, i);
        check(entries.putIfAbsent(entry.code(), entry) == null, i, line);
      }
    }
    if (edition == null || entries.isEmpty()) {
      throw damaged(lines.size(), "(no edition line or no codes)");
    }
    return new Table(edition, Collections.unmodifiableMap(entries));
  }

  private static Entry entry(String line, int index) {
    String[] cells = line.split(",", -1);
    check(cells.length == 4, index, line);
    check(CODE.matcher(cells[0]).matches() && NUMERIC.matcher(cells[1]).matches(), index, line);
    check(cells[2].equals("N.A.") || MINOR.matcher(cells[2]).matches(), index, line);
    check(cells[3].equals("true") || cells[3].equals("false"), index, line);
    int minor = cells[2].equals("N.A.") ? -1 : Integer.parseInt(cells[2]);
    return new Entry(cells[0], Integer.parseInt(cells[1]), minor, Boolean.parseBoolean(cells[3]));
  }

  private static void check(boolean ok, int index, String line) {
    if (!ok) {
      throw damaged(index, line);
    }
  }

  private static IllegalStateException damaged(int index, String line) {
    return new IllegalStateException(
        "the ISO 4217 table " + RESOURCE + " is damaged at line " + (index + 1) + ": " + line);
  }
}
