package dev.billingsdk.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.credit.AccountBalance;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.money.Amount;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps the quick start honest: it must run, print the balances the grant order implies, and the
 * code shown in README.md must be the code it runs.
 */
class QuickStartTest {

  private static String runQuickStart() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      QuickStart.run(out);
    }
    return bytes.toString(StandardCharsets.UTF_8);
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
  void main_runs_without_arguments() {
    PrintStream original = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      System.setOut(capture);
      QuickStart.main(new String[0]);
    } finally {
      System.setOut(original);
    }
    assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("== 7. The ledger");
  }

  @Test
  void readme_shows_the_code_that_quick_start_runs() throws IOException {
    String source =
        Files.readString(Path.of("src/main/java/dev/billingsdk/examples/QuickStart.java"));
    Matcher region =
        Pattern.compile("// tag::readme\\[]\\n(.*?)\\n\\s*// end::readme\\[]", Pattern.DOTALL)
            .matcher(source);
    assertThat(region.find()).as("QuickStart has a tag::readme region").isTrue();

    String readme = Files.readString(Path.of("..", "README.md"));
    assertThat(normalise(readme))
        .as("README.md contains the tag::readme region of QuickStart.java")
        .contains(normalise(region.group(1)));
  }

  /** Indentation differs between the method body and the README; compare the lines trimmed. */
  private static String normalise(String text) {
    return text.lines()
        .map(String::strip)
        .filter(l -> !l.isEmpty())
        .reduce("", (a, b) -> a + b + "\n");
  }
}
