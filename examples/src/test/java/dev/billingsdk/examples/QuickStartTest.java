package dev.billingsdk.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.credit.AccountBalance;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.money.Amount;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the quick start honest: it must run on its H2 file, print the balances the grant order
 * implies, find everything again after a restart and after a second start of the program on the
 * same file. (That README.md shows the code {@code essentials} runs is {@code DocSnippetsTest}'s
 * check.)
 */
class QuickStartTest {

  @TempDir Path dir;

  private record Run(String output, QuickStart.Outcome outcome) {}

  /** One start of the program on {@code database}, its output captured. */
  private static Run start(Path database) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    QuickStart.Outcome outcome;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      outcome = QuickStart.run(database, out);
    }
    return new Run(bytes.toString(StandardCharsets.UTF_8), outcome);
  }

  private String runQuickStart() {
    return start(dir.resolve("billing")).output();
  }

  /** The part of the output after a section heading. */
  private static String section(String output, String heading) {
    int start = output.indexOf(heading);
    assertThat(start).as("section %s", heading).isNotNegative();
    int end = output.indexOf("\n== ", start + heading.length());
    return output.substring(start, end < 0 ? output.length() : end);
  }

  @Test
  void final_balances_follow_priority_expiry_and_scope() {
    String finalBalances = section(runQuickStart(), "== 6. Final balances");

    // 900 granted; 250 usage paid by the partner allowance (priority 10); the 120 fee is outside
    // the allowance's scope, so the promotional grant (expires first) pays 100, purchased 20.
    assertThat(finalBalances)
        .containsPattern("total\\s+530\\.00")
        .containsPattern("available\\s+530\\.00")
        .containsPattern("PARTNER_ALLOWANCE\\s+50\\.00")
        .containsPattern("PROMOTIONAL\\s+0\\.00")
        .containsPattern("PURCHASED\\s+480\\.00");
  }

  @Test
  void essentials_leave_what_the_readme_says() {
    AccountBalance balance = QuickStart.essentials(Clock.fixed(QuickStart.NOW, ZoneOffset.UTC));

    assertThat(balance.available()).isEqualTo(Amount.of(QuickStart.CREDIT, "487.50"));
    assertThat(balance.available(GrantCategory.PURCHASED))
        .isEqualTo(Amount.of(QuickStart.CREDIT, "487.50"));
    assertThat(runQuickStart()).contains("available after one charge: CREDIT 487.50");
  }

  @Test
  void quote_matches_the_charge_it_explains() {
    String output = runQuickStart();
    String quote = section(output, "== 3. Quote");
    String charge = section(output, "== 4. Charge the fee");

    assertThat(quote).contains("would be paid").containsPattern("balance after: 530\\.00");
    for (String line :
        new String[] {
          "grt_3  PROMOTIONAL        pays     100.00", "PURCHASED          pays      20.00"
        }) {
      assertThat(quote).contains(line);
      assertThat(charge).contains(line);
    }
    assertThat(charge).contains("revenue recognised on grt_5: USD 0.20");
  }

  @Test
  void retry_returns_the_same_transaction_and_a_changed_request_is_refused() {
    String retry = section(runQuickStart(), "== 5. Retry");

    assertThat(retry)
        .contains("retry: replayed=true, same transaction=true (txn_8)")
        .contains("reused key with a different amount: refused");
  }

  @Test
  void ledger_lists_every_transaction_with_balanced_postings() {
    String ledger = section(runQuickStart(), "== 7. The ledger");

    assertThat(ledger.lines().filter(l -> l.startsWith("txn_"))).hasSize(5);
    Matcher posting =
        Pattern.compile("^\\s{4}\\S+\\s+([+-]\\d+\\.\\d{2})$", Pattern.MULTILINE).matcher(ledger);
    long sum = 0;
    int postings = 0;
    while (posting.find()) {
      sum += new java.math.BigDecimal(posting.group(1)).movePointRight(2).longValueExact();
      postings++;
    }
    assertThat(postings).isEqualTo(11);
    assertThat(sum).isZero();
  }

  @Test
  void restart_within_one_run_reads_back_what_was_written() {
    Run run = start(dir.resolve("billing"));
    QuickStart.Outcome o = run.outcome();

    assertThat(o.foundAtStart()).isZero();
    assertThat(run.output()).contains("The database is empty: the tour below writes everything");
    assertThat(o.beforeRestart().available()).isEqualTo(Amount.of(QuickStart.CREDIT, "530"));
    assertThat(o.ledgerBeforeRestart()).hasSize(5);
    // Read through a new pool and store after the first pool closed the file.
    assertThat(o.afterRestart()).isEqualTo(o.beforeRestart());
    assertThat(o.ledgerAfterRestart()).isEqualTo(o.ledgerBeforeRestart());
    assertThat(o.feeSentAgain().replayed()).isTrue();
    assertThat(o.feeSentAgain().transaction().id()).isEqualTo(TransactionId.of("txn_8"));
    assertThat(section(run.output(), "== 8. Restart"))
        .contains("found 5 transactions from an earlier run; the same as before the restart: true")
        .contains("balance: total 530.00, available 530.00; the same as before the restart: true")
        .contains("fee sent again with key fee-seat-2025-03: replayed=true (txn_8)")
        .contains("available still 530.00");
  }

  @Test
  void a_second_start_on_the_same_file_finds_everything_and_charges_nothing_twice()
      throws SQLException {
    Path database = dir.resolve("billing");
    Run first = start(database);
    Run second = start(database);
    QuickStart.Outcome before = first.outcome();
    QuickStart.Outcome after = second.outcome();

    assertThat(after.foundAtStart()).isEqualTo(5);
    assertThat(second.output())
        .contains("found 5 transactions from an earlier run in this file:")
        .contains("every request below is sent again with its idempotency key and replayed")
        .doesNotContain("The database is empty");
    assertThat(section(second.output(), "== 1. Open"))
        .contains("(replayed: the balance is today's, after the earlier run's charges)")
        .containsPattern("total\\s+530\\.00");
    // Same balances and the very same transactions: the second start wrote nothing.
    assertThat(after.beforeRestart()).isEqualTo(before.beforeRestart());
    assertThat(after.afterRestart()).isEqualTo(before.afterRestart());
    assertThat(after.beforeRestart().total()).isEqualTo(Amount.of(QuickStart.CREDIT, "530"));
    assertThat(after.ledgerBeforeRestart()).isEqualTo(before.ledgerBeforeRestart()).hasSize(5);
    assertThat(after.ledgerAfterRestart()).isEqualTo(before.ledgerAfterRestart());
    assertThat(storedTransactions(database)).isEqualTo(5);

    // Both charges of the tour come back as replays of the first start's transactions.
    assertThat(section(second.output(), "== 2. Charge"))
        .contains("USAGE_DEBIT txn_7: charged 250.00 (replayed: written by an earlier run)");
    assertThat(section(second.output(), "== 4. Charge the fee"))
        .contains("CHARGE txn_8: charged 120.00 (replayed: written by an earlier run)");
    assertThat(section(second.output(), "== 3. Quote"))
        .contains("skipped: an earlier run charged the fee")
        .doesNotContain("balance after");
    for (String heading : new String[] {"== 6. Final balances", "== 7. The ledger"}) {
      assertThat(section(second.output(), heading)).isEqualTo(section(first.output(), heading));
    }
    assertThat(section(second.output(), "== 8. Restart"))
        .isEqualTo(section(first.output(), "== 8. Restart"));
  }

  @Test
  void the_database_is_a_file_that_the_run_leaves_closed() throws IOException, SQLException {
    Path database = dir.resolve("billing");
    start(database);

    Path file = dir.resolve("billing.mv.db");
    assertThat(file).isRegularFile();
    // H2 holds a file lock while the database is open; both pools are closed, so it is free.
    try (FileChannel channel =
            FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock()) {
      assertThat(lock).isNotNull();
    }
    assertThat(storedTransactions(database)).isEqualTo(5);
  }

  /** Counts the account's rows in the file with plain JDBC, past the library. */
  private static int storedTransactions(Path database) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + database.toAbsolutePath());
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT COUNT(*) FROM billing_transactions"
                    + " WHERE tenant = 'acme' AND account_id = 'org-42'")) {
      r.next();
      return r.getInt(1);
    }
  }

  @Test
  void main_takes_the_database_from_its_first_argument() {
    Path database = dir.resolve("from-argument");
    String output = captureMain(new String[] {database.toString()});

    assertThat(output).contains("== 8. Restart").contains("available still 530.00");
    assertThat(dir.resolve("from-argument.mv.db")).isRegularFile();
  }

  @Test
  void main_takes_the_database_from_the_system_property_without_arguments() {
    Path database = dir.resolve("from-property");
    String previous = System.setProperty(QuickStart.DATABASE_PROPERTY, database.toString());
    String output;
    try {
      output = captureMain(new String[0]);
    } finally {
      if (previous == null) {
        System.clearProperty(QuickStart.DATABASE_PROPERTY);
      } else {
        System.setProperty(QuickStart.DATABASE_PROPERTY, previous);
      }
    }

    assertThat(output).contains("== 7. The ledger").contains("== 8. Restart");
    assertThat(dir.resolve("from-property.mv.db")).isRegularFile();
    assertThat(QuickStart.DEFAULT_DATABASE).isEqualTo(Path.of("target", "quickstart", "billing"));
  }

  private static String captureMain(String[] args) {
    PrintStream original = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      System.setOut(capture);
      QuickStart.main(args);
    } finally {
      System.setOut(original);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
