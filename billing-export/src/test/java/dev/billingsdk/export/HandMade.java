package dev.billingsdk.export;

import dev.billingsdk.AccountId;
import dev.billingsdk.TenantId;
import dev.billingsdk.metering.UsageSummaryRow;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.statement.Statement;
import dev.billingsdk.statement.StatementLine;
import dev.billingsdk.statement.StatementWindow;
import dev.billingsdk.statement.UsageCell;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Statements and summary rows built by hand, for values no platform would send on purpose: ids,
 * keys and dimension values that try to inject formulas or markup.
 */
final class HandMade {
  static final CreditUnit CREDITS = CreditUnit.of("CREDIT", 2);
  static final YearMonth OCTOBER = YearMonth.of(2026, 10);

  private HandMade() {}

  static Amount credits(String value) {
    return Amount.of(CREDITS, value);
  }

  /**
   * A closed October: 100 credits in, a machine running one hour in {@code pool} for 12.00, then a
   * second hour for another 12.00; the account, the credit category key and the pool are the
   * caller's text.
   */
  static Statement statement(String account, String creditKey, String pool) {
    Instant h10 = Instant.parse("2026-10-03T10:00:00Z");
    Instant h11 = Instant.parse("2026-10-03T11:00:00Z");
    Map<String, String> dims = Map.of("instance", "m1", "pool", pool, "region", "eu-west");
    List<UsageCell> usage =
        List.of(
            new UsageCell(
                "machines", dims, OCTOBER, h10, new BigDecimal("3600"), credits("12.00"), h10),
            new UsageCell(
                "machines", dims, OCTOBER, h11, new BigDecimal("3600"), credits("12.00"), h11));
    List<StatementLine> lines =
        List.of(
            new StatementLine(
                StatementLine.Section.CREDIT, creditKey, Optional.empty(), credits("100.00"), 1),
            new StatementLine(
                StatementLine.Section.USAGE, "machines", Optional.empty(), credits("24.00"), 2));
    return new Statement(
        TenantId.of("acme"),
        AccountId.of(account),
        OCTOBER,
        Statement.Status.CLOSED,
        CREDITS,
        credits("0.00"),
        credits("76.00"),
        lines,
        usage,
        Map.of("machines", "instance"),
        StatementWindow.open(OCTOBER, StatementWindow.NONE).closedAt(7),
        3,
        Optional.of(Instant.parse("2026-11-01T00:10:00Z")));
  }

  /**
   * An open October with a line of every section (one of them late, for September) and usage of a
   * meter that is not a running-time one (tokens by model).
   */
  static Statement everySection() {
    Instant h = Instant.parse("2026-10-05T14:00:00Z");
    List<StatementLine> lines = new java.util.ArrayList<>();
    for (StatementLine.Section section : StatementLine.Section.values()) {
      lines.add(
          new StatementLine(
              section,
              section == StatementLine.Section.USAGE ? "tokens" : "item",
              section == StatementLine.Section.VOID
                  ? Optional.of(YearMonth.of(2026, 9))
                  : Optional.empty(),
              credits(section == StatementLine.Section.USAGE ? "3.50" : "1.00"),
              1));
    }
    Amount closing = credits("50.00");
    for (StatementLine l : lines) {
      closing = closing.plus(l.effect());
    }
    return new Statement(
        TenantId.of("acme"),
        AccountId.of("acct"),
        OCTOBER,
        Statement.Status.OPEN,
        CREDITS,
        credits("50.00"),
        closing,
        lines,
        List.of(
            new UsageCell(
                "tokens",
                Map.of("model", "large"),
                OCTOBER,
                h,
                new BigDecimal("1500.5"),
                credits("3.50"),
                h)),
        Map.of(),
        StatementWindow.open(OCTOBER, StatementWindow.NONE),
        9,
        Optional.empty());
  }

  static UsageSummaryRow summary(String account, String meter, Map<String, String> dims, String c) {
    return new UsageSummaryRow(
        TenantId.of("acme"),
        AccountId.of(account),
        2026,
        10,
        meter,
        dims,
        new BigDecimal("1800"),
        credits(c),
        Optional.empty());
  }

  static UsageSummaryRow converted(UsageSummaryRow row, String usd) {
    return row.withCurrency(Amount.of(CurrencyUnit.of("USD"), usd));
  }
}
