package dev.billingsdk.statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.billingsdk.AccessDeniedException;
import dev.billingsdk.AccountId;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.statement.StatementLine.Section;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Seed 002's statement: a licence held by Uma rents machines by the hour in pools, machine types
 * and regions; October is closed on November 1st, and a machine's last half hour of October is
 * reported only after the close.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MachineRentalStatementStoryTest extends StatementWorld {
  static final YearMonth OCTOBER = YearMonth.of(2026, 10);
  static final YearMonth NOVEMBER = YearMonth.of(2026, 11);

  final AccountId licence;

  MachineRentalStatementStoryTest() {
    super(at("2026-10-01T00:00:00Z"));
    licence = open("licence-1", "uma");
  }

  /** October: 600 credits in, a 30 licence fee, 30 of machines, 40 promotional credits expire. */
  void october() {
    clock.set(at("2026-10-01T09:00:00Z"));
    purchased(licence, "500.00");
    promotional(licence, "100.00", at("2026-10-20T00:00:00Z"));
    clock.set(at("2026-10-02T00:00:00Z"));
    licenceFee(licence, "standard", "30.00");
    machine(licence, "m1", "gpu", "a100", "eu-west", 1, at("2026-10-03T10:00:00Z"));
    machine(licence, "m2", "cpu", "c5", "us-east", 1, at("2026-10-03T10:30:00Z"));
    machine(licence, "m2", "cpu", "c5", "us-east", 0, at("2026-10-03T11:00:00Z"));
    machine(licence, "m1", "gpu", "a100", "eu-west", 0, at("2026-10-03T12:00:00Z"));
    // [10:00, 11:00): m1 3600 s = 12.00 and m2 1800 s = 6.00; [11:00, 12:00): m1 12.00.
    assertThat(deductAt(at("2026-10-03T11:05:00Z")).failures()).isEmpty();
    assertThat(deductAt(at("2026-10-03T12:05:00Z")).failures()).isEmpty();
    // Promotional credits go first (sooner expiry): 100 - 30 - 30 leaves 40, expired on the 20th
    // by a sweep that runs on the 21st.
    clock.set(at("2026-10-21T03:00:00Z"));
    billing.sweeps().expireGrants(ACME, JOBS, false);
  }

  @Test
  void the_open_month_shows_credits_charges_expiries_and_the_usage_behind_them() {
    october();

    Statement s = statements().statement(ACME, licence, OCTOBER, UMA);

    assertThat(s.status()).isEqualTo(Statement.Status.OPEN);
    assertThat(s.opening()).isEqualTo(credits("0.00"));
    assertThat(s.lines())
        .extracting(StatementLine::section, StatementLine::key, StatementLine::amount)
        .containsExactly(
            tuple(Section.CREDIT, "PROMOTIONAL", credits("100.00")),
            tuple(Section.CREDIT, "PURCHASED", credits("500.00")),
            tuple(Section.USAGE, MACHINES, credits("30.00")),
            tuple(Section.LICENCE, "standard", credits("30.00")),
            tuple(Section.EXPIRY, "PROMOTIONAL", credits("40.00")));
    assertThat(s.credits()).isEqualTo(credits("600.00"));
    assertThat(s.charges()).isEqualTo(credits("60.00"));
    assertThat(s.expiriesAndVoids()).isEqualTo(credits("40.00"));
    assertThat(s.closing()).isEqualTo(credits("500.00"));
    assertThat(s.closing()).isEqualTo(billing.credits().balance(ACME, licence).available());

    // The pie charts of seed 002: monthly cost by pool, machine type, region.
    assertThat(s.costBy("pool"))
        .containsExactly(
            java.util.Map.entry("gpu", credits("24.00")),
            java.util.Map.entry("cpu", credits("6.00")));
    assertThat(s.costBy("type")).containsOnlyKeys("a100", "c5");
    assertThat(s.costBy("region").get("us-east")).isEqualTo(credits("6.00"));

    // Hourly cost and machines running per hour.
    assertThat(s.hourly(Optional.empty()))
        .extracting(HourlyPoint::hour, HourlyPoint::credits, HourlyPoint::instances)
        .containsExactly(
            tuple(at("2026-10-03T10:00:00Z"), credits("18.00"), 2),
            tuple(at("2026-10-03T11:00:00Z"), credits("12.00"), 1));
    assertThat(s.hourly(Optional.of("pool")))
        .extracting(HourlyPoint::hour, HourlyPoint::group, HourlyPoint::credits)
        .containsExactly(
            tuple(at("2026-10-03T10:00:00Z"), "cpu", credits("6.00")),
            tuple(at("2026-10-03T10:00:00Z"), "gpu", credits("12.00")),
            tuple(at("2026-10-03T11:00:00Z"), "gpu", credits("12.00")));

    // Machine usage detail: one row per machine, how long it ran and what it cost.
    assertThat(s.runningUsage())
        .extracting(
            r -> r.instance().orElseThrow(),
            UsageRow::duration,
            UsageRow::credits,
            UsageRow::period)
        .containsExactly(
            tuple("m1", java.time.Duration.ofHours(2), credits("24.00"), OCTOBER),
            tuple("m2", java.time.Duration.ofMinutes(30), credits("6.00"), OCTOBER));
  }

  @Test
  void closing_october_stores_it_once_and_late_usage_lands_in_november_naming_october() {
    october();
    clock.set(at("2026-11-01T00:10:00Z"));
    StatementCloseRequest close = StatementCloseRequest.of(ACME, OCTOBER, JOBS);

    StatementClose dry = statements().close(close.asDryRun());
    assertThat(dry.entries())
        .extracting(e -> e.statement().month(), StatementClose.Entry::outcome)
        .containsExactly(tuple(OCTOBER, StatementClose.Outcome.WOULD_CLOSE));
    assertThat(statementStore.findClosed(ACME, licence, OCTOBER))
        .as("a dry run writes nothing")
        .isEmpty();

    StatementClose first = statements().close(close);
    assertThat(first.count(StatementClose.Outcome.CLOSED)).isEqualTo(1);
    Statement october = first.entries().get(0).statement();
    assertThat(october.status()).isEqualTo(Statement.Status.CLOSED);
    assertThat(october.closedAt()).contains(at("2026-11-01T00:10:00Z"));
    assertThat(october.closing()).isEqualTo(credits("500.00"));
    assertThat(october).as("the dry run showed it").isEqualTo(dry.entries().get(0).statement());

    StatementClose again = statements().close(close);
    assertThat(again.entries())
        .extracting(StatementClose.Entry::outcome)
        .containsExactly(StatementClose.Outcome.ALREADY_CLOSED);
    assertThat(again.entries().get(0).statement()).isEqualTo(october);

    // m1's last half hour of October is reported at 00:20, after the close; it stops at 00:30.
    clock.set(at("2026-11-01T00:20:00Z"));
    machine(licence, "m1", "gpu", "a100", "eu-west", 1, at("2026-10-31T23:30:00Z"));
    machine(licence, "m1", "gpu", "a100", "eu-west", 0, at("2026-11-01T00:30:00Z"));
    assertThat(deductAt(at("2026-11-01T01:05:00Z")).failures()).isEmpty();

    assertThat(statements().statement(ACME, licence, OCTOBER, FINANCE))
        .as("a closed statement never changes")
        .isEqualTo(october);
    Statement november = statements().statement(ACME, licence, NOVEMBER, UMA);
    assertThat(november.opening()).isEqualTo(october.closing());
    // The window [23:30, 00:00) of October 31st is posted at 01:05 after October closed: a late
    // line of November naming October; [00:00, 00:30) is November's own.
    assertThat(november.lines(Section.USAGE))
        .extracting(StatementLine::lateFor, StatementLine::amount)
        .containsExactly(
            tuple(Optional.empty(), credits("6.00")), tuple(Optional.of(OCTOBER), credits("6.00")));
    assertThat(november.usageRows())
        .extracting(UsageRow::period, UsageRow::quantity, UsageRow::credits)
        .containsExactly(
            tuple(OCTOBER, new BigDecimal("1800"), credits("6.00")),
            tuple(NOVEMBER, new BigDecimal("1800"), credits("6.00")));
    assertThat(november.lateUsage())
        .extracting(UsageRow::period, UsageRow::credits)
        .containsExactly(tuple(OCTOBER, credits("6.00")));
    assertThat(november.closing()).isEqualTo(credits("488.00"));
  }

  @Test
  void an_expiry_swept_after_the_close_is_a_late_line_of_the_next_month() {
    clock.set(at("2026-10-01T09:00:00Z"));
    promotional(licence, "100.00", at("2026-10-31T12:00:00Z"));
    clock.set(at("2026-11-01T00:10:00Z"));
    statements().close(StatementCloseRequest.of(ACME, OCTOBER, JOBS));
    clock.set(at("2026-11-01T02:00:00Z"));
    billing.sweeps().expireGrants(ACME, JOBS, false);

    Statement october = statements().statement(ACME, licence, OCTOBER, FINANCE);
    Statement november = statements().statement(ACME, licence, NOVEMBER, FINANCE);
    assertThat(october.closing()).isEqualTo(credits("100.00"));
    assertThat(november.opening()).isEqualTo(credits("100.00"));
    assertThat(november.lateLines())
        .extracting(StatementLine::section, StatementLine::lateFor, StatementLine::amount)
        .containsExactly(tuple(Section.EXPIRY, Optional.of(OCTOBER), credits("100.00")));
    assertThat(november.closing()).isEqualTo(credits("0.00"));
  }

  @Test
  void closing_a_later_month_closes_the_months_before_it_in_order() {
    october();
    clock.set(at("2026-12-01T00:10:00Z"));
    StatementClose run = statements().close(StatementCloseRequest.of(ACME, NOVEMBER, JOBS));
    assertThat(run.entries())
        .extracting(e -> e.statement().month(), StatementClose.Entry::outcome)
        .containsExactly(
            tuple(OCTOBER, StatementClose.Outcome.CLOSED),
            tuple(NOVEMBER, StatementClose.Outcome.CLOSED));
    assertThat(run.entries().get(1).statement().opening())
        .isEqualTo(run.entries().get(0).statement().closing());
  }

  @Test
  void a_month_that_has_not_ended_cannot_be_closed() {
    clock.set(at("2026-10-31T23:59:59Z"));
    assertThatThrownBy(() -> statements().close(StatementCloseRequest.of(ACME, OCTOBER, JOBS)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("month");
    assertThat(statementStore.findClosed(ACME, licence, OCTOBER)).isEmpty();
  }

  @Test
  void users_read_the_licences_they_hold_and_no_other() {
    october();
    AccountId bobs = open("licence-2", "bob");

    assertThat(statements().statement(ACME, licence, OCTOBER, UMA).account()).isEqualTo(licence);
    assertThat(statements().statement(ACME, bobs, OCTOBER, BOB).account()).isEqualTo(bobs);
    assertThat(statements().statement(ACME, licence, OCTOBER, FINANCE).account())
        .isEqualTo(licence);
    assertThatThrownBy(() -> statements().statement(ACME, licence, OCTOBER, BOB))
        .isInstanceOf(AccessDeniedException.class);
    assertThatThrownBy(() -> statements().statement(ACME, licence, OCTOBER, PARTNER))
        .isInstanceOf(AccessDeniedException.class);
    assertThatThrownBy(() -> statements().close(StatementCloseRequest.of(ACME, OCTOBER, UMA)))
        .isInstanceOf(AccessDeniedException.class);
  }

  @Test
  void every_line_is_the_sum_of_its_ledger_transactions() {
    october();
    Statement s = statements().statement(ACME, licence, OCTOBER, FINANCE);
    List<dev.billingsdk.ledger.LedgerTransaction> ledger = ledger(licence);
    assertThat(s.transactions()).isEqualTo(ledger.size());
    long consumed =
        ledger.stream()
            .mapToLong(
                t ->
                    t.minorOn(
                        dev.billingsdk.ledger.LedgerAccount.counter(
                            dev.billingsdk.ledger.LedgerAccount.Kind.CONSUMED)))
            .sum();
    assertThat(s.charges().minor()).isEqualTo(consumed);
    assertThat(
            s.usageRows().stream().map(UsageRow::credits).reduce(credits("0"), (a, b) -> a.plus(b)))
        .isEqualTo(s.total(Section.USAGE));
  }
}
