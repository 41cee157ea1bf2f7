package dev.billingsdk.statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.billingsdk.AccessDeniedException;
import dev.billingsdk.AccountId;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.TransactionPage;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Seed 002's transactions panel and account-balances table: Uma holds two licences, Bob one; the
 * panel lists every transaction of Uma's licences newest first, filtered by licence and by the
 * presets; the balances table has a row per licence and month, each a statement's figures.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TransactionsAndBalancesStoryTest extends StatementWorld {
  static final YearMonth OCTOBER = YearMonth.of(2026, 10);
  static final YearMonth NOVEMBER = YearMonth.of(2026, 11);

  final AccountId first;
  final AccountId second;
  final AccountId bobs;

  TransactionsAndBalancesStoryTest() {
    super(at("2026-10-01T00:00:00Z"));
    first = open("licence-1", "uma");
    second = open("licence-2", "uma");
    bobs = open("licence-3", "bob");
    clock.set(at("2026-10-05T10:00:00Z"));
    purchased(first, "100.00");
    clock.set(at("2026-10-20T10:00:00Z"));
    purchased(second, "50.00");
    purchased(bobs, "70.00");
    clock.set(at("2026-11-02T10:00:00Z"));
    licenceFee(first, "standard", "30.00");
    clock.set(at("2026-11-10T10:00:00Z"));
    licenceFee(second, "standard", "30.00");
  }

  List<LedgerTransaction> all(TransactionQuery.Builder query) {
    return statements().transactions(query.build()).transactions();
  }

  @Test
  void the_panel_lists_every_licence_of_the_user_newest_first() {
    assertThat(all(TransactionQuery.builder(ACME, UMA)))
        .extracting(LedgerTransaction::account, LedgerTransaction::recordedAt)
        .containsExactly(
            tuple(second, at("2026-11-10T10:00:00Z")),
            tuple(first, at("2026-11-02T10:00:00Z")),
            tuple(second, at("2026-10-20T10:00:00Z")),
            tuple(first, at("2026-10-05T10:00:00Z")));
    assertThat(all(TransactionQuery.builder(ACME, UMA).account(first)))
        .extracting(LedgerTransaction::account)
        .containsOnly(first)
        .hasSize(2);
    assertThat(all(TransactionQuery.builder(ACME, FINANCE))).hasSize(5);
    assertThat(all(TransactionQuery.builder(ACME, FINANCE).holder("bob")))
        .extracting(LedgerTransaction::account)
        .containsExactly(bobs);
  }

  @Test
  void the_presets_count_back_from_now_and_ranges_are_half_open() {
    clock.set(at("2026-11-10T12:00:00Z"));
    assertThat(all(TransactionQuery.builder(ACME, UMA).last24Hours())).hasSize(1);
    assertThat(all(TransactionQuery.builder(ACME, UMA).last7Days())).hasSize(1);
    assertThat(all(TransactionQuery.builder(ACME, UMA).last30Days())).hasSize(3);
    assertThat(
            all(
                TransactionQuery.builder(ACME, UMA)
                    .between(at("2026-10-05T10:00:00Z"), at("2026-11-02T10:00:00Z"))))
        .extracting(LedgerTransaction::recordedAt)
        .containsExactly(at("2026-10-20T10:00:00Z"), at("2026-10-05T10:00:00Z"));
    assertThatThrownBy(
            () ->
                TransactionQuery.builder(ACME, UMA)
                    .last7Days()
                    .between(at("2026-10-01T00:00:00Z"), at("2026-10-02T00:00:00Z")))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void pages_follow_the_cursor_to_the_end_without_repeating() {
    List<LedgerTransaction> paged = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      TransactionQuery.Builder q = TransactionQuery.builder(ACME, FINANCE).limit(2);
      cursor.ifPresent(q::cursor);
      TransactionPage page = statements().transactions(q.build());
      paged.addAll(page.transactions());
      cursor = page.next();
    } while (cursor.isPresent());
    assertThat(paged).isEqualTo(all(TransactionQuery.builder(ACME, FINANCE)));
    assertThatThrownBy(
            () ->
                statements()
                    .transactions(TransactionQuery.builder(ACME, FINANCE).cursor("forged").build()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("cursor");
  }

  @Test
  void a_user_sees_no_other_holders_licence() {
    assertThatThrownBy(() -> all(TransactionQuery.builder(ACME, UMA).account(bobs)))
        .isInstanceOf(AccessDeniedException.class);
    assertThatThrownBy(() -> all(TransactionQuery.builder(ACME, UMA).holder("bob")))
        .isInstanceOf(AccessDeniedException.class);
    assertThat(all(TransactionQuery.builder(ACME, BOB)))
        .extracting(LedgerTransaction::account)
        .containsOnly(bobs);
    assertThat(
            all(
                TransactionQuery.builder(
                    ACME, dev.billingsdk.Actor.of("nobody", dev.billingsdk.Role.USER))))
        .as("a user holding nothing sees nothing")
        .isEmpty();
    assertThatThrownBy(
            () ->
                statements()
                    .balances(
                        BalanceQuery.builder(ACME, UMA, OCTOBER, NOVEMBER).account(bobs).build()))
        .isInstanceOf(AccessDeniedException.class);
  }

  @Test
  void the_balances_table_has_a_row_per_licence_and_month_that_adds_up() {
    clock.set(at("2026-11-01T00:10:00Z"));
    statements().close(StatementCloseRequest.of(ACME, OCTOBER, JOBS));
    clock.set(at("2026-11-20T00:00:00Z"));

    BalancePage page =
        statements().balances(BalanceQuery.builder(ACME, UMA, OCTOBER, NOVEMBER).build());
    assertThat(page.next()).isEmpty();
    assertThat(page.rows())
        .extracting(
            BalanceRow::account,
            BalanceRow::month,
            BalanceRow::status,
            BalanceRow::start,
            BalanceRow::credits,
            BalanceRow::charges,
            BalanceRow::ending)
        .containsExactly(
            tuple(
                first,
                OCTOBER,
                Statement.Status.CLOSED,
                credits("0.00"),
                credits("100.00"),
                credits("0.00"),
                credits("100.00")),
            tuple(
                first,
                NOVEMBER,
                Statement.Status.OPEN,
                credits("100.00"),
                credits("0.00"),
                credits("30.00"),
                credits("70.00")),
            tuple(
                second,
                OCTOBER,
                Statement.Status.CLOSED,
                credits("0.00"),
                credits("50.00"),
                credits("0.00"),
                credits("50.00")),
            tuple(
                second,
                NOVEMBER,
                Statement.Status.OPEN,
                credits("50.00"),
                credits("0.00"),
                credits("30.00"),
                credits("20.00")));
    BalanceRow row = page.rows().get(1);
    assertThat(row.transactionsFrom()).isEqualTo(at("2026-11-01T00:00:00Z"));
    assertThat(row.transactionsUntil()).isEqualTo(at("2026-12-01T00:00:00Z"));

    BalancePage firstPage =
        statements()
            .balances(BalanceQuery.builder(ACME, FINANCE, NOVEMBER, NOVEMBER).limit(2).build());
    assertThat(firstPage.rows()).extracting(BalanceRow::account).containsExactly(first, second);
    BalancePage rest =
        statements()
            .balances(
                BalanceQuery.builder(ACME, FINANCE, NOVEMBER, NOVEMBER)
                    .limit(2)
                    .after(firstPage.next().orElseThrow())
                    .build());
    assertThat(rest.rows()).extracting(BalanceRow::account).containsExactly(bobs);
    assertThat(rest.next()).isEmpty();
    assertThatThrownBy(() -> BalanceQuery.builder(ACME, FINANCE, NOVEMBER, OCTOBER))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("to");
  }
}
