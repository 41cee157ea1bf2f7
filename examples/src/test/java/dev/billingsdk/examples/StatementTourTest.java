package dev.billingsdk.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.export.JsonExport;
import dev.billingsdk.money.Amount;
import dev.billingsdk.statement.Statement;
import dev.billingsdk.statement.UsageRow;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The machine-rental month must run, close October once and write its statement's files. */
class StatementTourTest {

  @TempDir Path directory;

  static Amount credits(String value) {
    return Amount.of(StatementTour.CREDIT, value);
  }

  @Test
  void a_month_of_machine_rental_closed_and_exported() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    StatementTour.Result result;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      result = StatementTour.run(directory.resolve("out"), out);
    }
    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertThat(printed)
        .contains("close 2026-10 (dry run): licence-uma-1 WOULD_CLOSE, closing CREDIT 488.00")
        .contains("close 2026-10: licence-uma-1 CLOSED, closing CREDIT 488.00")
        .contains("close 2026-10: licence-uma-1 ALREADY_CLOSED, closing CREDIT 488.00")
        .contains(
            "opening CREDIT 0.00 + credits CREDIT 600.00 - charges CREDIT 72.00"
                + " - expired CREDIT 40.00 = closing CREDIT 488.00")
        .contains("pool   {gpu=CREDIT 36.00, cpu=CREDIT 6.00}")
        .contains("2026-10-03T10:00:00Z CREDIT 18.00, machines running: 2")
        .contains("late usage 2026-10 m1 ran PT30M, CREDIT 6.00")
        .contains("wrote licence-uma-1-2026-10.html")
        .contains("2026-10-15T08:00:00Z licence-uma-2  GRANT       credits purchased")
        .as("Uma's panel lists her licences only")
        .doesNotContain("Z licence-bob")
        .contains("licence-uma-1  2026-10 CLOSED    0.00  600.00   72.00   40.00  488.00")
        .contains("licence-uma-1  2026-11 OPEN    488.00    0.00   12.00    0.00  476.00")
        .contains("licence-bob    2026-10 CLOSED    0.00  200.00   48.00    0.00  152.00");

    // October: 600 in; 42 of machines (m1 3 h, m2 30 min at 12 an hour) and a 30 licence fee;
    // 40 promotional credits left unspent expire. m1's last half hour, reported after the close,
    // is November's, naming October.
    Statement october = result.october();
    assertThat(october.status()).isEqualTo(Statement.Status.CLOSED);
    assertThat(october.closing()).isEqualTo(credits("488.00"));
    assertThat(result.november().opening()).isEqualTo(october.closing());
    assertThat(result.november().lateUsage())
        .extracting(UsageRow::period, UsageRow::credits)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(StatementTour.OCTOBER, credits("6.00")));
    assertThat(result.november().closing()).isEqualTo(credits("476.00"));

    assertThat(result.files())
        .extracting(p -> p.getFileName().toString())
        .containsExactly(
            "licence-uma-1-2026-10-summary.csv",
            "licence-uma-1-2026-10-lines.csv",
            "licence-uma-1-2026-10-usage.csv",
            "licence-uma-1-2026-10-machines.csv",
            "licence-uma-1-2026-10-hourly.csv",
            "licence-uma-1-2026-10.html",
            "licence-uma-1-2026-10.json");
    assertThat(result.files()).allMatch(p -> p.getParent().equals(directory.resolve("out")));
    assertThat(Files.readString(directory.resolve("out/licence-uma-1-2026-10-summary.csv")))
        .contains("licence-uma-1,2026-10,CLOSED,CREDIT,0.00,600.00,72.00,0.00,40.00,488.00");
    assertThat(Files.readString(directory.resolve("out/licence-uma-1-2026-10.json")))
        .contains("\"schema\" : \"" + JsonExport.STATEMENT_SCHEMA + "\"");
    assertThat(Files.readString(directory.resolve("out/licence-uma-1-2026-10.html")))
        .startsWith("<!DOCTYPE html>")
        .contains("<svg");
  }

  @Test
  void the_same_month_writes_the_same_bytes() throws IOException {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    StatementTour.Result first = StatementTour.run(directory.resolve("a"), quiet);
    StatementTour.Result second = StatementTour.run(directory.resolve("b"), quiet);
    for (int i = 0; i < first.files().size(); i++) {
      assertThat(Files.readAllBytes(second.files().get(i)))
          .isEqualTo(Files.readAllBytes(first.files().get(i)));
    }
  }

  @Test
  void main_writes_into_the_directory_it_is_given() {
    StatementTour.main(new String[] {directory.resolve("from-main").toString()});
    assertThat(directory.resolve("from-main/licence-uma-1-2026-10.html")).isRegularFile();
  }
}
