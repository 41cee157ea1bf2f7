package dev.billingsdk.statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.billingsdk.AccountId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.ReverseRequest;
import dev.billingsdk.credit.VoidGrantRequest;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.statement.StatementLine.Section;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The statement values refuse what cannot be, naming the field; every kind of line is placed. */
class StatementValuesTest extends StatementWorld {
  static final YearMonth OCTOBER = YearMonth.of(2026, 10);

  StatementValuesTest() {
    super(at("2026-10-01T00:00:00Z"));
  }

  @Test
  void aWindowRefusesWhatCannotBe() {
    Instant from = at("2026-10-01T00:00:00Z");
    assertThatThrownBy(() -> new StatementWindow(from, from, -1, 5))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("until");
    assertThatThrownBy(() -> new StatementWindow(from, from.plusSeconds(1), -2, 5))
        .hasMessageContaining("previousWatermark");
    assertThatThrownBy(() -> new StatementWindow(from, from.plusSeconds(1), 9, 5))
        .hasMessageContaining("watermark");
    assertThatThrownBy(() -> new StatementWindow(from, from.plusSeconds(1), -1, -1))
        .hasMessageContaining("watermark");
    StatementWindow w = StatementWindow.open(OCTOBER, 10).closedAt(20);
    assertThat(w.contains(at("2026-09-30T00:00:00Z"), 11)).as("late, after the watermark").isTrue();
    assertThat(w.contains(at("2026-09-30T00:00:00Z"), 10)).as("the previous month's").isFalse();
    assertThat(w.contains(at("2026-10-30T00:00:00Z"), 21)).as("after this watermark").isFalse();
    assertThat(w.contains(at("2026-11-01T00:00:00Z"), 15)).as("next month's").isFalse();
    assertThat(
            StatementWindow.open(OCTOBER, StatementWindow.NONE)
                .contains(at("2026-09-30T00:00:00Z"), 99))
        .isFalse();
  }

  @Test
  void linesCellsAndStatementsRefuseWhatCannotBe() {
    assertThatThrownBy(
            () -> new StatementLine(Section.CREDIT, "X", Optional.empty(), credits("1"), 0))
        .hasMessageContaining("transactions");
    assertThatThrownBy(
            () ->
                new UsageCell(
                    MACHINES,
                    Map.of(),
                    OCTOBER,
                    at("2026-10-01T00:30:00Z"),
                    BigDecimal.ONE,
                    credits("1"),
                    at("2026-10-01T00:30:00Z")))
        .hasMessageContaining("hour");
    UsageCell scaled =
        new UsageCell(
            MACHINES,
            Map.of(),
            OCTOBER,
            at("2026-10-01T00:00:00Z"),
            new BigDecimal("1E+3"),
            credits("1"),
            at("2026-10-01T00:00:00Z"));
    assertThat(scaled.quantity()).isEqualTo(new BigDecimal("1000"));
    StatementWindow w = StatementWindow.open(OCTOBER, StatementWindow.NONE);
    List<StatementLine> lines =
        List.of(
            new StatementLine(Section.CREDIT, "PROMOTIONAL", Optional.empty(), credits("5"), 1));
    assertThatThrownBy(
            () ->
                new Statement(
                    ACME,
                    AccountId.of("a"),
                    OCTOBER,
                    Statement.Status.OPEN,
                    CREDITS,
                    credits("0"),
                    credits("4"),
                    lines,
                    List.of(),
                    Map.of(),
                    w,
                    1,
                    Optional.empty()))
        .hasMessageContaining("closing");
    assertThatThrownBy(
            () ->
                new Statement(
                    ACME,
                    AccountId.of("a"),
                    OCTOBER,
                    Statement.Status.CLOSED,
                    CREDITS,
                    credits("0"),
                    credits("5"),
                    lines,
                    List.of(),
                    Map.of(),
                    w,
                    1,
                    Optional.empty()))
        .hasMessageContaining("closedAt");
    assertThatThrownBy(
            () ->
                new Statement(
                    ACME,
                    AccountId.of("a"),
                    OCTOBER,
                    Statement.Status.OPEN,
                    CREDITS,
                    credits("0"),
                    credits("5"),
                    lines,
                    List.of(),
                    Map.of(),
                    w,
                    1,
                    Optional.of(at("2026-11-01T00:00:00Z"))))
        .hasMessageContaining("closedAt");
  }

  @Test
  void queriesRefuseBadInputAndSecondCalls() {
    assertThatThrownBy(() -> TransactionQuery.builder(ACME, FINANCE).limit(0))
        .hasMessageContaining("limit");
    assertThatThrownBy(() -> TransactionQuery.builder(ACME, FINANCE).limit(1001))
        .hasMessageContaining("limit");
    assertThatThrownBy(() -> TransactionQuery.builder(ACME, FINANCE).limit(5).limit(6))
        .hasMessageContaining("already");
    assertThatThrownBy(() -> TransactionQuery.builder(ACME, FINANCE).holder("a").holder("b"))
        .hasMessageContaining("already");
    assertThatThrownBy(() -> TransactionQuery.builder(ACME, FINANCE).last7Days().last30Days())
        .hasMessageContaining("already");
    assertThatThrownBy(
            () ->
                TransactionQuery.builder(ACME, FINANCE)
                    .between(at("2026-10-02T00:00:00Z"), at("2026-10-01T00:00:00Z")))
        .hasMessageContaining("until");
    assertThatThrownBy(
            () ->
                TransactionQuery.builder(ACME, FINANCE)
                    .between(at("2026-10-01T00:00:00Z"), at("2026-10-02T00:00:00Z"))
                    .last24Hours())
        .hasMessageContaining("last");
    assertThatThrownBy(() -> TransactionQuery.builder(ACME, FINANCE).cursor(" "))
        .hasMessageContaining("cursor");
    YearMonth m = OCTOBER;
    assertThatThrownBy(() -> BalanceQuery.builder(ACME, FINANCE, m, m.plusMonths(36)))
        .hasMessageContaining("36");
    assertThat(BalanceQuery.builder(ACME, FINANCE, m, m.plusMonths(35)).build().limit())
        .isEqualTo(50);
    assertThatThrownBy(() -> BalanceQuery.builder(ACME, FINANCE, m, m).limit(201))
        .hasMessageContaining("limit");
    assertThatThrownBy(() -> BalanceQuery.builder(ACME, FINANCE, m, m).limit(2).limit(3))
        .hasMessageContaining("already");
    assertThatThrownBy(() -> BalanceQuery.builder(ACME, FINANCE, m, m).holder("a").holder("b"))
        .hasMessageContaining("already");
    assertThatThrownBy(
            () ->
                BalanceQuery.builder(ACME, FINANCE, m, m)
                    .after(AccountId.of("a"))
                    .after(AccountId.of("b")))
        .hasMessageContaining("already");
  }

  @Test
  void voidsRefundsAddOnsAndReversalsEachHaveTheirLine() {
    AccountId a = open("licence-1", "uma");
    clock.set(at("2026-10-02T00:00:00Z"));
    purchased(a, "100.00");
    var promo =
        billing
            .credits()
            .grant(
                GrantRequest.builder(ACME, a, credits("20.00"))
                    .category(GrantCategory.PROMOTIONAL)
                    .priority(90)
                    .idempotencyKey(IdempotencyKey.of("promo"))
                    .actor(ADMIN)
                    .reason("welcome")
                    .build());
    LedgerTransaction addOn =
        billing
            .credits()
            .charge(
                ChargeRequest.builder(
                        ACME, a, Charge.of(ChargeKind.ADD_ON, "backup", credits("10.00")))
                    .idempotencyKey(IdempotencyKey.of("addon"))
                    .actor(JOBS)
                    .reason("add-on")
                    .build())
            .transaction();
    billing
        .credits()
        .reverse(
            ReverseRequest.builder(ACME, a, addOn.id())
                .amount(credits("4.00"))
                .idempotencyKey(IdempotencyKey.of("rev"))
                .actor(FINANCE)
                .reason("partly refunded")
                .build());
    billing
        .credits()
        .voidGrant(
            VoidGrantRequest.builder(ACME, a, promo.grant().id())
                .idempotencyKey(IdempotencyKey.of("void"))
                .actor(ADMIN)
                .reason("abuse")
                .build());

    Statement s = statements().statement(ACME, a, OCTOBER, FINANCE);
    assertThat(s.lines())
        .extracting(StatementLine::section, StatementLine::key, StatementLine::amount)
        .containsExactly(
            tuple(Section.CREDIT, "PROMOTIONAL", credits("20.00")),
            tuple(Section.CREDIT, "PURCHASED", credits("100.00")),
            tuple(Section.ADD_ON, "backup", credits("10.00")),
            tuple(Section.REVERSAL, "backup", credits("4.00")),
            tuple(Section.VOID, "PROMOTIONAL", credits("20.00")));
    assertThat(s.closing()).isEqualTo(credits("94.00"));
    assertThat(s.reversals()).isEqualTo(credits("4.00"));
    assertThat(s.lateLines()).isEmpty();
    assertThat(s.costByMeter()).isEmpty();
  }
}
