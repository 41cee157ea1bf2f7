package dev.billingsdk.statement;

import static dev.billingsdk.statement.StatementWorld.ACME;
import static dev.billingsdk.statement.StatementWorld.FINANCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.billingsdk.AccountId;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.money.AmountOverflowException;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * A statement line whose month sums past a long (an account may hold at most a long at a time, but
 * be granted and charged a long twice in one month): refused with an {@link
 * AmountOverflowException} naming the line and its exact sum, never a raw {@link
 * ArithmeticException}.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StatementOverflowTest {
  static final String MAX = "92233720368547758.07"; // Long.MAX_VALUE hundredths

  final StatementWorld w = new StatementWorld(Instant.parse("2026-10-01T09:00:00Z"));

  @Test
  void a_line_summing_past_a_long_in_a_month_is_refused_naming_the_line_and_the_sum() {
    AccountId uma = w.open("uma", "uma");
    w.purchased(uma, MAX);
    w.licenceFee(uma, "seat", MAX);
    w.purchased(uma, MAX); // the month's purchased grants: 2 x (2^63 - 1) hundredths
    List<LedgerTransaction> before = w.store.transactions(ACME, uma);

    // Was a raw ArithmeticException ("long overflow") from the statement's line sum.
    Throwable thrown =
        catchThrowable(() -> w.statements().statement(ACME, uma, YearMonth.of(2026, 10), FINANCE));
    assertThat(thrown).isInstanceOf(AmountOverflowException.class);
    assertThat(thrown.getMessage()).contains("18446744073709551614").contains("uma");
    assertThat(w.store.transactions(ACME, uma)).isEqualTo(before);
  }
}
