package dev.billingsdk.statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.billingsdk.AccountId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.ReservationResult;
import dev.billingsdk.credit.ReserveRequest;
import dev.billingsdk.credit.SettleRequest;
import dev.billingsdk.statement.StatementLine.Section;
import java.time.Duration;
import java.time.YearMonth;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Money bugs peers shipped around statements and balances, pinned on ours. */
class StatementPeerBugsTest extends StatementWorld {
  static final YearMonth OCTOBER = YearMonth.of(2026, 10);
  static final YearMonth NOVEMBER = YearMonth.of(2026, 11);

  StatementPeerBugsTest() {
    super(at("2026-10-01T00:00:00Z"));
  }

  /**
   * Lago deducted fees paid in advance twice from a wallet's ongoing balance
   * (https://github.com/getlago/lago-api/pull/2542), and a wallet's balance disagreed with the
   * balance from its history
   * (https://github.com/JoinMarket-Org/joinmarket-clientserver/issues/113). Here credit held across
   * the month end by a reservation is still the account's when October closes, and the settlement
   * in November is charged once, in November.
   */
  @Test
  void creditHeldAcrossTheCloseIsChargedOnceInTheMonthItIsSettled() {
    AccountId a = open("licence-1", "uma");
    clock.set(at("2026-10-20T00:00:00Z"));
    purchased(a, "100.00");
    clock.set(at("2026-10-31T22:00:00Z"));
    ReservationResult held =
        billing
            .reservations()
            .reserve(
                ReserveRequest.builder(
                        ACME, a, Charge.of(ChargeKind.USAGE, "llm-tokens", credits("10.00")))
                    .timeToLive(Duration.ofHours(5))
                    .idempotencyKey(IdempotencyKey.of("hold-1"))
                    .actor(JOBS)
                    .reason("an LLM call")
                    .build());
    clock.set(at("2026-11-01T00:10:00Z"));
    statements().close(StatementCloseRequest.of(ACME, OCTOBER, JOBS));
    clock.set(at("2026-11-01T01:00:00Z"));
    billing
        .reservations()
        .settle(
            SettleRequest.builder(ACME, held.reservation().id(), credits("7.00"))
                .idempotencyKey(IdempotencyKey.of("settle-1"))
                .actor(JOBS)
                .reason("the call returned")
                .build());

    Statement october = statements().statement(ACME, a, OCTOBER, FINANCE);
    Statement november = statements().statement(ACME, a, NOVEMBER, FINANCE);
    assertThat(october.charges().isZero()).as("a hold charges nothing").isTrue();
    assertThat(october.closing()).isEqualTo(credits("100.00"));
    assertThat(november.lines())
        .extracting(
            StatementLine::section,
            StatementLine::key,
            StatementLine::lateFor,
            StatementLine::amount)
        .containsExactly(tuple(Section.USAGE, "llm-tokens", Optional.empty(), credits("7.00")));
    assertThat(november.closing()).isEqualTo(credits("93.00"));
    assertThat(billing.credits().balance(ACME, a).available()).isEqualTo(november.closing());
  }

  /**
   * Usage at the very end of a billing cycle went missing from its invoice
   * (https://github.com/authgear/authgear-server/issues/2168): here the month's last window, rated
   * after midnight, is on its own month's statement when the close runs after that deduction.
   */
  @Test
  void theLastWindowOfTheMonthIsOnItsOwnMonthsStatement() {
    AccountId a = open("licence-1", "uma");
    clock.set(at("2026-10-20T00:00:00Z"));
    purchased(a, "100.00");
    machine(a, "m1", "gpu", "a100", "eu-west", 1, at("2026-10-31T23:00:00Z"));
    machine(a, "m1", "gpu", "a100", "eu-west", 0, at("2026-11-01T00:00:00Z"));
    deductAt(at("2026-11-01T00:05:00Z"));
    clock.set(at("2026-11-01T00:10:00Z"));
    Statement october =
        statements()
            .close(StatementCloseRequest.of(ACME, OCTOBER, JOBS))
            .entries()
            .get(0)
            .statement();
    assertThat(october.total(Section.USAGE)).isEqualTo(credits("12.00"));
    assertThat(october.lateLines()).isEmpty();
    assertThat(statements().statement(ACME, a, NOVEMBER, FINANCE).charges().isZero()).isTrue();
  }
}
