package dev.billingsdk.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.AccessDeniedException;
import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.CostBasis;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.export.CsvExport;
import dev.billingsdk.export.HtmlStatement;
import dev.billingsdk.export.JsonExport;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.TransactionPage;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.memory.InMemoryStatementStore;
import dev.billingsdk.metering.Aggregation;
import dev.billingsdk.metering.Meter;
import dev.billingsdk.metering.MeterPrice;
import dev.billingsdk.metering.MeteringSettings;
import dev.billingsdk.metering.PriceBook;
import dev.billingsdk.metering.PriceModel;
import dev.billingsdk.metering.UsageEvent;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.money.Price;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.statement.BalancePage;
import dev.billingsdk.statement.BalanceQuery;
import dev.billingsdk.statement.BalanceRow;
import dev.billingsdk.statement.HourlyPoint;
import dev.billingsdk.statement.Statement;
import dev.billingsdk.statement.StatementClose;
import dev.billingsdk.statement.StatementCloseRequest;
import dev.billingsdk.statement.StatementLine;
import dev.billingsdk.statement.Statements;
import dev.billingsdk.statement.TransactionQuery;
import dev.billingsdk.statement.UsageRow;
import dev.billingsdk.testkit.TestClock;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The code of docs/statements.md, run: seed 002's machine-rental month. */
class StatementSnippetsTest {

  final TestClock clock = new TestClock(Instant.parse("2026-10-01T09:00:00Z"));
  final TenantId tenant = TenantId.of("rentals");
  final CreditUnit credit = CreditUnit.of("CREDIT", 2);
  final Actor ada = Actor.of("ada", Role.ADMIN);
  final Actor jobs = Actor.system("billing-jobs");
  int keys;

  Amount credits(String value) {
    return Amount.of(credit, value);
  }

  void grant(Billing billing, AccountId account, String amount, GrantCategory category) {
    GrantRequest.Builder b =
        GrantRequest.builder(tenant, account, credits(amount)).category(category);
    if (category == GrantCategory.PROMOTIONAL) {
      b.expiresAt(Instant.parse("2026-10-20T00:00:00Z"));
    } else {
      b.costBasis(
          CostBasis.paid(Price.of(Amount.of(CurrencyUnit.of("USD"), "0.01"), credits("1"))));
    }
    billing
        .credits()
        .grant(b.idempotencyKey(IdempotencyKey.of("g" + ++keys)).actor(ada).reason("x").build());
  }

  void machine(Billing billing, AccountId account, String id, String pool, int level, String at) {
    Instant when = Instant.parse(at);
    if (when.isAfter(clock.instant())) {
      clock.set(when);
    }
    billing
        .metering()
        .ingest(
            UsageEvent.builder(tenant, account, "machines")
                .id(id + "@" + at)
                .quantity(BigDecimal.valueOf(level))
                .occurredAt(when)
                .dimensions(
                    Map.of(
                        "instance",
                        id,
                        "pool",
                        pool,
                        "type",
                        pool.equals("gpu") ? "a100" : "c5",
                        "region",
                        "eu-west"))
                .build(),
            jobs);
  }

  void deductAt(Billing billing, String at) {
    clock.set(Instant.parse(at));
    assertThat(billing.deductions().run().failures()).isEmpty();
  }

  @Test
  void aMonthOfMachineRentalReadClosedListedAndExported() {
    // tag::setup[]
    InMemoryBillingStore store = InMemoryBillingStore.create(); // or a JdbcBillingStore
    PriceBook prices =
        PriceBook.builder(RoundingMode.HALF_EVEN)
            .meter("machines", MeterPrice.of(credit, PriceModel.perHour("12")))
            .build();
    Billing billing =
        Billing.builder()
            .store(store)
            .metering(MeteringSettings.of(prices, Duration.ofHours(1)))
            // or JdbcStatementStore.create(dataSource, tablePrefix) beside a JdbcBillingStore
            .statements(InMemoryStatementStore.create(store))
            .clock(clock)
            .build();
    Statements statements = billing.statements();

    // A licence is an account held by a user: the user reads its statements.
    AccountId licence = AccountId.of("licence-1");
    billing
        .credits()
        .openAccount(
            OpenAccountRequest.builder(tenant, licence, credit).actor(ada).holder("uma").build());
    // end::setup[]
    billing
        .metering()
        .defineMeter(
            Meter.builder(tenant, "machines", Aggregation.RUNNING_TIME)
                .unit("seconds")
                .dimensions("instance", "pool", "type", "region")
                .keyDimension("instance")
                .build(),
            ada);
    AccountId second = AccountId.of("licence-2");
    billing
        .credits()
        .openAccount(
            OpenAccountRequest.builder(tenant, second, credit).actor(ada).holder("uma").build());
    AccountId bobs = AccountId.of("licence-3");
    billing
        .credits()
        .openAccount(
            OpenAccountRequest.builder(tenant, bobs, credit).actor(ada).holder("bob").build());

    grant(billing, licence, "500.00", GrantCategory.PURCHASED);
    grant(billing, licence, "100.00", GrantCategory.PROMOTIONAL);
    grant(billing, second, "50.00", GrantCategory.PURCHASED);
    clock.set(Instant.parse("2026-10-02T00:00:00Z"));
    billing
        .credits()
        .charge(
            ChargeRequest.builder(
                    tenant, licence, Charge.of(ChargeKind.LICENCE, "standard", credits("30.00")))
                .idempotencyKey(IdempotencyKey.of("fee-1"))
                .actor(jobs)
                .reason("licence fee")
                .build());
    machine(billing, licence, "m1", "gpu", 1, "2026-10-03T10:00:00Z");
    machine(billing, licence, "m2", "cpu", 1, "2026-10-03T10:30:00Z");
    machine(billing, licence, "m2", "cpu", 0, "2026-10-03T11:00:00Z");
    machine(billing, licence, "m1", "gpu", 0, "2026-10-03T12:00:00Z");
    deductAt(billing, "2026-10-03T11:05:00Z");
    deductAt(billing, "2026-10-03T12:05:00Z");
    clock.set(Instant.parse("2026-10-21T03:00:00Z"));
    billing.sweeps().expireGrants(tenant, jobs, false);

    Actor uma = Actor.of("uma", Role.USER);
    // tag::statement[]
    Statement october = statements.statement(tenant, licence, YearMonth.of(2026, 10), uma);
    // OPEN until the close job stores it; computed from the ledger on every read until then.
    Statement.Status status = october.status();
    // closing = opening + credits - charges + reversals - expiries - voids - refunds
    Amount opening = october.opening(); // CREDIT 0.00
    Amount received = october.credits(); // CREDIT 600.00 (PURCHASED 500, PROMOTIONAL 100)
    Amount charged = october.charges(); // CREDIT 60.00 (machines 30, licence "standard" 30)
    Amount expired = october.expiriesAndVoids(); // CREDIT 40.00 (PROMOTIONAL)
    Amount closing = october.closing(); // CREDIT 500.00
    for (StatementLine line : october.lines()) {
      // CREDIT PROMOTIONAL 100.00, CREDIT PURCHASED 500.00, USAGE machines 30.00,
      // LICENCE standard 30.00, EXPIRY PROMOTIONAL 40.00; lateFor() empty: October's own
      print(line.section(), line.key(), line.lateFor(), line.amount(), line.transactions());
    }
    // end::statement[]
    assertThat(status).isEqualTo(Statement.Status.OPEN);
    assertThat(opening).isEqualTo(credits("0.00"));
    assertThat(received).isEqualTo(credits("600.00"));
    assertThat(charged).isEqualTo(credits("60.00"));
    assertThat(expired).isEqualTo(credits("40.00"));
    assertThat(closing).isEqualTo(credits("500.00"));
    assertThat(printed)
        .containsExactly(
            "CREDIT PROMOTIONAL Optional.empty CREDIT 100.00 1",
            "CREDIT PURCHASED Optional.empty CREDIT 500.00 1",
            "USAGE machines Optional.empty CREDIT 30.00 2",
            "LICENCE standard Optional.empty CREDIT 30.00 1",
            "EXPIRY PROMOTIONAL Optional.empty CREDIT 40.00 1");

    // tag::usage[]
    Map<String, Amount> byPool = october.costBy("pool"); // {gpu=CREDIT 24.00, cpu=CREDIT 6.00}
    Map<String, Amount> byRegion = october.costBy("region"); // also "type", any dimension
    List<HourlyPoint> hourly = october.hourly(Optional.empty());
    // 2026-10-03T10:00Z CREDIT 18.00, 2 machines; 2026-10-03T11:00Z CREDIT 12.00, 1 machine
    List<HourlyPoint> hourlyByPool = october.hourly(Optional.of("pool")); // a point per hour, pool
    List<UsageRow> machines = october.runningUsage();
    // m1 gpu a100 eu-west, from 10:00, ran PT2H, CREDIT 24.00; m2 cpu c5, ran PT30M, CREDIT 6.00
    List<UsageRow> late = october.lateUsage(); // usage of earlier months posted in this one
    // end::usage[]
    assertThat(byPool)
        .containsExactly(Map.entry("gpu", credits("24.00")), Map.entry("cpu", credits("6.00")));
    assertThat(byRegion).containsExactly(Map.entry("eu-west", credits("30.00")));
    assertThat(hourly)
        .extracting(HourlyPoint::credits, HourlyPoint::instances)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(credits("18.00"), 2),
            org.assertj.core.groups.Tuple.tuple(credits("12.00"), 1));
    assertThat(hourlyByPool).hasSize(3);
    assertThat(machines)
        .extracting(r -> r.instance().orElseThrow(), UsageRow::duration, UsageRow::credits)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("m1", Duration.ofHours(2), credits("24.00")),
            org.assertj.core.groups.Tuple.tuple("m2", Duration.ofMinutes(30), credits("6.00")));
    assertThat(late).isEmpty();

    // m1 runs from 22:00 to 23:00 on October 31st; the first deduction of November runs, then
    // the close.
    machine(billing, licence, "m1", "gpu", 1, "2026-10-31T22:00:00Z");
    machine(billing, licence, "m1", "gpu", 0, "2026-10-31T23:00:00Z");
    deductAt(billing, "2026-10-31T23:05:00Z");
    deductAt(billing, "2026-11-01T00:05:00Z");
    clock.set(Instant.parse("2026-11-01T00:10:00Z"));
    // tag::close[]
    // After the first deduction of November: that run posts October's last rating window.
    StatementCloseRequest close = StatementCloseRequest.of(tenant, YearMonth.of(2026, 10), jobs);
    StatementClose preview = statements.close(close.asDryRun()); // WOULD_CLOSE each, stores none
    StatementClose run = statements.close(close); // CLOSED: each account's October, stored once
    StatementClose again = statements.close(close); // ALREADY_CLOSED: the same statements
    long closedNow = run.count(StatementClose.Outcome.CLOSED); // 3 accounts
    for (StatementClose.Entry e : run.entries()) { // account then month order
      print(e.statement().account(), e.statement().month(), e.outcome(), e.statement().closing());
    }
    // end::close[]
    assertThat(preview.count(StatementClose.Outcome.WOULD_CLOSE)).isEqualTo(3);
    assertThat(again.count(StatementClose.Outcome.ALREADY_CLOSED)).isEqualTo(3);
    assertThat(closedNow).isEqualTo(3);
    assertThat(printed).contains("licence-1 2026-10 CLOSED CREDIT 488.00");
    assertThat(run.entries().get(0).statement()).isEqualTo(preview.entries().get(0).statement());

    // m1's run from 23:30 to 00:30 is reported only now: its October half hour is late.
    clock.set(Instant.parse("2026-11-01T00:20:00Z"));
    machine(billing, licence, "m1", "gpu", 1, "2026-10-31T23:30:00Z");
    machine(billing, licence, "m1", "gpu", 0, "2026-11-01T00:30:00Z");
    deductAt(billing, "2026-11-01T01:05:00Z");
    Statement closed = statements.statement(tenant, licence, YearMonth.of(2026, 10), uma);
    assertThat(closed.closing()).isEqualTo(credits("488.00"));
    assertThat(closed).isEqualTo(run.entries().get(0).statement());

    clock.set(Instant.parse("2026-11-10T12:00:00Z"));
    // tag::transactions[]
    // Uma's panel: every licence she holds, the last 30 days, newest first, 50 a page.
    List<LedgerTransaction> panel = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      TransactionQuery.Builder query = TransactionQuery.builder(tenant, uma).last30Days();
      cursor.ifPresent(query::cursor);
      TransactionPage page = statements.transactions(query.build());
      panel.addAll(page.transactions());
      cursor = page.next();
    } while (cursor.isPresent());
    // One licence only; or a range: .between(from, until), recorded in [from, until).
    TransactionQuery oneLicence = TransactionQuery.builder(tenant, uma).account(second).build();
    // end::transactions[]
    assertThat(panel)
        .extracting(LedgerTransaction::account)
        .contains(licence)
        .doesNotContain(second, bobs); // licence-2's only transaction is from October 1st
    assertThat(panel.get(0).recordedAt()).isEqualTo(Instant.parse("2026-11-01T01:05:00Z"));
    assertThat(statements.transactions(oneLicence).transactions()).hasSize(1);
    assertThatThrownBy(
            () ->
                statements.transactions(
                    TransactionQuery.builder(tenant, uma).account(bobs).build()))
        .isInstanceOf(AccessDeniedException.class);

    // tag::balances[]
    Actor fiona = Actor.of("fiona", Role.FINANCE);
    BalancePage balances =
        statements.balances(
            BalanceQuery.builder(tenant, fiona, YearMonth.of(2026, 10), YearMonth.of(2026, 11))
                .limit(50) // accounts a page, each with every month of the range
                .build());
    for (BalanceRow row : balances.rows()) {
      // licence-1 2026-10 CLOSED 0.00 600.00 72.00 40.00 488.00, then 2026-11 OPEN 488.00 ...
      print(row.account(), row.month(), row.status(), row.start(), row.ending());
      // The row's links: its statement, and its transactions in [transactionsFrom, until).
      TransactionQuery ofTheMonth =
          TransactionQuery.builder(tenant, fiona)
              .account(row.account())
              .between(row.transactionsFrom(), row.transactionsUntil())
              .build();
    }
    // balances.next(): the after(..) of the next page of accounts, empty on the last
    // end::balances[]
    assertThat(balances.rows()).hasSize(6);
    assertThat(balances.next()).isEmpty();
    assertThat(printed)
        .contains(
            "licence-1 2026-10 CLOSED CREDIT 0.00 CREDIT 488.00",
            "licence-1 2026-11 OPEN CREDIT 488.00 CREDIT 476.00");

    Statement november = statements.statement(tenant, licence, YearMonth.of(2026, 11), uma);
    assertThat(november.lateUsage())
        .extracting(UsageRow::period, UsageRow::credits)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(YearMonth.of(2026, 10), credits("6.00")));

    // tag::exports[]
    Statement closedOctober = statements.statement(tenant, licence, YearMonth.of(2026, 10), fiona);
    String summary = CsvExport.statement(closedOctober, CsvExport.StatementTable.SUMMARY);
    String lines = CsvExport.statement(closedOctober, CsvExport.StatementTable.LINES);
    String machineUsage = CsvExport.statement(closedOctober, CsvExport.StatementTable.MACHINES);
    String byPoolPerHour = CsvExport.hourlyBy(closedOctober, "pool");
    String json = JsonExport.statement(closedOctober); // "schema": "billingsdk.statement/1"
    String schema = JsonExport.jsonSchema(JsonExport.STATEMENT_SCHEMA); // JSON Schema 2020-12
    String page = HtmlStatement.render(closedOctober); // the cost pie by pool
    String byType = HtmlStatement.render(closedOctober, "type"); // or by machine type, region...
    // end::exports[]
    assertThat(summary).startsWith("tenant,account,month,status");
    assertThat(lines).contains("USAGE,machines,,42.00,CREDIT,3");
    assertThat(machineUsage).contains("m1");
    assertThat(byPoolPerHour).contains("gpu");
    assertThat(json).contains(JsonExport.STATEMENT_SCHEMA);
    assertThat(schema).contains("2020-12");
    assertThat(page).contains("<svg");
    assertThat(byType).contains("a100");
  }

  final List<String> printed = new ArrayList<>();

  void print(Object... values) {
    StringBuilder line = new StringBuilder();
    for (Object v : values) {
      line.append(line.length() == 0 ? "" : " ").append(v);
    }
    printed.add(line.toString());
  }
}
