package dev.billingsdk.export.internal;

import dev.billingsdk.money.Amount;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * One CSV table (RFC 4180: comma, CRLF, quotes only where needed, by Commons CSV), built a row at a
 * time from typed cells so that the formula rule knows which cells are text.
 *
 * <p>The rule: a <em>text</em> cell (identifiers, keys, dimension names and values, anything that
 * came from a caller) that starts with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a
 * carriage return is written with a single quote ({@code '}) in front, so a spreadsheet shows it
 * instead of executing it. A <em>number</em> cell (an amount or quantity this module formatted from
 * a {@link BigDecimal}, a count) is written as the exact plain decimal, sign included, because it
 * can only be digits, one point and a leading minus, which no spreadsheet executes. Times and
 * months are text we format ourselves and start with a digit.
 */
public final class CsvTable {
  private final CSVPrinter printer;
  private final List<Object> row = new ArrayList<>();

  public CsvTable(Appendable out, String... header) throws IOException {
    this.printer = new CSVPrinter(out, CSVFormat.RFC4180);
    for (String h : header) {
      text(h);
    }
    end();
  }

  /** Text from anywhere, neutralised when a spreadsheet would execute it. */
  public CsvTable text(String value) {
    row.add(neutralise(value));
    return this;
  }

  /** An exact amount, as a plain decimal number. */
  public CsvTable number(Amount amount) {
    row.add(Cells.decimal(amount));
    return this;
  }

  /** An exact decimal, plain. */
  public CsvTable number(BigDecimal value) {
    row.add(Cells.decimal(value));
    return this;
  }

  /** A count. */
  public CsvTable number(long value) {
    row.add(Long.toString(value));
    return this;
  }

  /** Ends the row. */
  public void end() throws IOException {
    printer.printRecord(row);
    row.clear();
  }

  /** Flushes what was written to the underlying output. */
  public void flush() throws IOException {
    printer.flush();
  }

  /**
   * The text with a single quote in front when it starts with a character that makes a spreadsheet
   * read a formula ({@code = + - @}, tab, carriage return); any other text as it is.
   */
  public static String neutralise(String value) {
    if (value.isEmpty()) {
      return value;
    }
    char first = value.charAt(0);
    boolean formula =
        first == '='
            || first == '+'
            || first == '-'
            || first == '@'
            || first == '\t'
            || first == '\r';
    return formula ? "'" + value : value;
  }
}
