package dev.billingsdk.examples;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdGenerator;
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
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A month of a small machine-rental platform (seed 002) on in-memory stores and a stepping clock:
 * licences are accounts held by users; Uma holds two, Bob one. In October credits are purchased and
 * given as a promotion, a licence fee is charged, machines in pools, machine types and regions run
 * and are deducted by the hour, and unspent promotional credit expires. On November 1st the first
 * deduction of the month runs, then the close job (a dry run first); a machine's last half hour of
 * October is reported after the close and lands in November naming October. Then the October
 * statement of Uma's first licence is written as CSV, HTML and JSON files, and the transactions
 * panel and the balances table are shown as Uma and as finance see them.
 */
public final class StatementTour {
  static final TenantId TENANT = TenantId.of("rentals");
  static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 2);
  static final Actor ADMIN = Actor.of("ada", Role.ADMIN);
  static final Actor FINANCE = Actor.of("fiona", Role.FINANCE);
  static final Actor UMA = Actor.of("uma", Role.USER);
  static final Actor JOBS = Actor.system("billing-jobs");
  static final String MACHINES = "machines";
  static final YearMonth OCTOBER = YearMonth.of(2026, 10);
  static final YearMonth NOVEMBER = YearMonth.of(2026, 11);
  static final AccountId UMA_1 = AccountId.of("licence-uma-1");
  static final AccountId UMA_2 = AccountId.of("licence-uma-2");
  static final AccountId BOB = AccountId.of("licence-bob");

  /** What the tour leaves: the two statements of Uma's first licence and the files written. */
  public record Result(Statement october, Statement november, List<Path> files) {
    public Result {
      files = List.copyOf(files);
    }
  }

  private final LifecycleTour.TourClock clock =
      new LifecycleTour.TourClock(Instant.parse("2026-10-01T09:00:00Z"));
  private final Billing billing;
  private int keys;

  private StatementTour() {
    InMemoryBillingStore store = InMemoryBillingStore.create();
    PriceBook prices =
        PriceBook.builder(RoundingMode.HALF_EVEN)
            .meter(MACHINES, MeterPrice.of(CREDIT, PriceModel.perHour("12")))
            .build();
    this.billing =
        Billing.builder()
            .store(store) // or a JdbcBillingStore
            .statements(InMemoryStatementStore.create(store)) // or a JdbcStatementStore
            .metering(MeteringSettings.of(prices, Duration.ofHours(1)))
            .ids(IdGenerator.sequential())
            .clock(clock)
            .build();
  }

  /** Writes into the directory given as the first argument, else target/statement-tour. */
  public static void main(String[] args) {
    Path directory = Path.of(args.length > 0 ? args[0] : "target/statement-tour");
    run(directory, System.out);
  }

  /** Runs the month, writes the October statement's files into {@code directory}. */
  public static Result run(Path directory, PrintStream out) {
    return new StatementTour().month(directory, out);
  }

  private Result month(Path directory, PrintStream out) {
    Statements statements = billing.statements();
    out.println("== October 1: three licences, a machines meter, credits");
    billing
        .metering()
        .defineMeter(
            Meter.builder(TENANT, MACHINES, Aggregation.RUNNING_TIME)
                .unit("seconds")
                .dimensions("instance", "pool", "type", "region")
                .keyDimension("instance")
                .build(),
            ADMIN);
    open(UMA_1, "uma");
    open(UMA_2, "uma");
    open(BOB, "bob");
    purchased(UMA_1, "500.00");
    promotional(UMA_1, "100.00", Instant.parse("2026-10-20T00:00:00Z"));
    purchased(BOB, "200.00");

    out.println("== October 2: licence fees");
    to("2026-10-02T00:00:00Z");
    licenceFee(UMA_1, "standard", "30.00");
    licenceFee(BOB, "standard", "30.00");

    out.println("== October 3: machines run, deducted every hour");
    machine(UMA_1, "m1", "gpu", "a100", "eu-west", 1, "2026-10-03T10:00:00Z");
    machine(UMA_1, "m2", "cpu", "c5", "us-east", 1, "2026-10-03T10:30:00Z");
    machine(BOB, "m3", "cpu", "c5", "eu-west", 1, "2026-10-03T10:30:00Z");
    machine(UMA_1, "m2", "cpu", "c5", "us-east", 0, "2026-10-03T11:00:00Z");
    deduct(out, "2026-10-03T11:05:00Z");
    machine(UMA_1, "m1", "gpu", "a100", "eu-west", 0, "2026-10-03T12:00:00Z");
    machine(BOB, "m3", "cpu", "c5", "eu-west", 0, "2026-10-03T12:00:00Z");
    deduct(out, "2026-10-03T12:05:00Z");

    out.println("== October 15: Uma buys credits for her second licence");
    to("2026-10-15T08:00:00Z");
    purchased(UMA_2, "50.00");

    out.println("== October 21: the expiry sweep (promotional credit ended on the 20th)");
    to("2026-10-21T03:00:00Z");
    billing.sweeps().expireGrants(TENANT, JOBS, false);

    out.println("== October 31: m1 runs from 22:00 to 23:00");
    machine(UMA_1, "m1", "gpu", "a100", "eu-west", 1, "2026-10-31T22:00:00Z");
    machine(UMA_1, "m1", "gpu", "a100", "eu-west", 0, "2026-10-31T23:00:00Z");
    deduct(out, "2026-10-31T23:05:00Z");

    out.println("== November 1, 00:05: the first deduction of the month, then the close");
    deduct(out, "2026-11-01T00:05:00Z");
    to("2026-11-01T00:10:00Z");
    StatementCloseRequest close = StatementCloseRequest.of(TENANT, OCTOBER, JOBS);
    printClose(out, statements.close(close.asDryRun()));
    printClose(out, statements.close(close));
    printClose(out, statements.close(close));

    out.println("== November 1, 00:20: m1's last half hour of October is reported late");
    to("2026-11-01T00:20:00Z");
    machine(UMA_1, "m1", "gpu", "a100", "eu-west", 1, "2026-10-31T23:30:00Z");
    machine(UMA_1, "m1", "gpu", "a100", "eu-west", 0, "2026-11-01T00:30:00Z");
    deduct(out, "2026-11-01T01:05:00Z");

    Statement october = statements.statement(TENANT, UMA_1, OCTOBER, UMA);
    Statement november = statements.statement(TENANT, UMA_1, NOVEMBER, UMA);
    out.println("== Uma's statement of licence-uma-1 for October");
    printStatement(out, october);
    out.println("== Its files");
    List<Path> files = write(directory, october);
    for (Path file : files) {
      out.printf("wrote %s (%d bytes)%n", file.getFileName(), size(file));
    }
    out.println("== November so far: October's late usage lands here, naming October");
    for (UsageRow r : november.lateUsage()) {
      out.printf(
          "late usage %s %s ran %s, %s%n",
          r.period(), r.instance().orElse(""), r.duration(), r.credits());
    }
    out.printf("november: opening %s, closing %s%n", november.opening(), november.closing());

    out.println("== Uma's transactions panel: both her licences, the last 30 days");
    for (LedgerTransaction t :
        statements
            .transactions(TransactionQuery.builder(TENANT, UMA).last30Days().build())
            .transactions()) {
      out.printf("%s %-14s %-11s %s%n", t.recordedAt(), t.account(), t.type(), t.reason());
    }

    out.println("== The balances table as finance sees it, October to November");
    out.println("account        month   status start   credits charges expired ending");
    for (BalanceRow r :
        statements
            .balances(BalanceQuery.builder(TENANT, FINANCE, OCTOBER, NOVEMBER).build())
            .rows()) {
      out.printf(
          Locale.ROOT,
          "%-14s %s %-6s %7s %7s %7s %7s %7s%n",
          r.account(),
          r.month(),
          r.status(),
          r.start().toDecimal().toPlainString(),
          r.credits().toDecimal().toPlainString(),
          r.charges().toDecimal().toPlainString(),
          r.expired().toDecimal().toPlainString(),
          r.ending().toDecimal().toPlainString());
    }
    return new Result(october, november, files);
  }

  private static void printClose(PrintStream out, StatementClose run) {
    for (StatementClose.Entry e : run.entries()) {
      out.printf(
          "close %s%s: %s %s, closing %s%n",
          run.month(),
          run.dryRun() ? " (dry run)" : "",
          e.statement().account(),
          e.outcome(),
          e.statement().closing());
    }
  }

  private static void printStatement(PrintStream out, Statement s) {
    out.printf("status %s, %d transactions%n", s.status(), s.transactions());
    out.printf(
        "opening %s + credits %s - charges %s - expired %s = closing %s%n",
        s.opening(), s.credits(), s.charges(), s.expiriesAndVoids(), s.closing());
    for (StatementLine l : s.lines()) {
      out.printf("  %-8s %-12s %s%n", l.section(), l.key(), l.amount());
    }
    out.println("-- monthly cost by pool, machine type, region");
    for (String dimension : List.of("pool", "type", "region")) {
      out.printf("  %-6s %s%n", dimension, s.costBy(dimension));
    }
    out.println("-- hourly cost and machines running");
    for (HourlyPoint p : s.hourly(Optional.empty())) {
      out.printf("  %s %s, machines running: %d%n", p.hour(), p.credits(), p.instances());
    }
    out.println("-- machine usage");
    for (UsageRow r : s.runningUsage()) {
      out.printf(
          "  %-3s %-4s %-5s %-8s from %s ran %-6s %s%n",
          r.instance().orElse(""),
          r.dimensions().get("pool"),
          r.dimensions().get("type"),
          r.dimensions().get("region"),
          r.start(),
          r.duration(),
          r.credits());
    }
  }

  /** The statement's CSV tables, the HTML page and the JSON document, one file each. */
  private static List<Path> write(Path directory, Statement s) {
    String base = s.account() + "-" + s.month();
    List<Path> files = new ArrayList<>();
    try {
      Files.createDirectories(directory);
      for (CsvExport.StatementTable table : CsvExport.StatementTable.values()) {
        String name = base + "-" + table.name().toLowerCase(Locale.ROOT) + ".csv";
        files.add(writeFile(directory.resolve(name), CsvExport.statement(s, table)));
      }
      files.add(writeFile(directory.resolve(base + ".html"), HtmlStatement.render(s)));
      files.add(writeFile(directory.resolve(base + ".json"), JsonExport.statement(s)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  private static Path writeFile(Path file, String text) throws IOException {
    return Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void to(String iso) {
    Instant when = Instant.parse(iso);
    if (when.isAfter(clock.instant())) {
      clock.advance(Duration.between(clock.instant(), when));
    }
  }

  private void open(AccountId account, String holder) {
    billing
        .credits()
        .openAccount(
            OpenAccountRequest.builder(TENANT, account, CREDIT)
                .actor(ADMIN)
                .holder(holder)
                .build());
  }

  private void purchased(AccountId account, String amount) {
    grant(
        GrantRequest.builder(TENANT, account, Amount.of(CREDIT, amount))
            .category(GrantCategory.PURCHASED)
            .costBasis(
                CostBasis.paid(
                    Price.of(Amount.of(CurrencyUnit.of("USD"), "0.01"), Amount.of(CREDIT, "1")))),
        "credits purchased");
  }

  private void promotional(AccountId account, String amount, Instant expiresAt) {
    grant(
        GrantRequest.builder(TENANT, account, Amount.of(CREDIT, amount))
            .category(GrantCategory.PROMOTIONAL)
            .expiresAt(expiresAt),
        "launch promotion");
  }

  private void grant(GrantRequest.Builder b, String reason) {
    billing
        .credits()
        .grant(
            b.idempotencyKey(IdempotencyKey.of("grant-" + ++keys))
                .actor(ADMIN)
                .reason(reason)
                .build());
  }

  private void licenceFee(AccountId account, String licence, String amount) {
    billing
        .credits()
        .charge(
            ChargeRequest.builder(
                    TENANT,
                    account,
                    Charge.of(ChargeKind.LICENCE, licence, Amount.of(CREDIT, amount)))
                .idempotencyKey(IdempotencyKey.of("fee-" + ++keys))
                .actor(JOBS)
                .reason("licence fee")
                .build());
  }

  /** A machine reports running (1) or stopped (0) at {@code iso}; sent then, or now if later. */
  private void machine(
      AccountId account,
      String instance,
      String pool,
      String type,
      String region,
      int level,
      String iso) {
    Instant when = Instant.parse(iso);
    to(iso);
    billing
        .metering()
        .ingest(
            UsageEvent.builder(TENANT, account, MACHINES)
                .id(instance + "@" + when)
                .quantity(BigDecimal.valueOf(level))
                .occurredAt(when)
                .dimensions(
                    Map.of("instance", instance, "pool", pool, "type", type, "region", region))
                .build(),
            JOBS);
  }

  private void deduct(PrintStream out, String iso) {
    to(iso);
    var report = billing.deductions().run();
    if (!report.failures().isEmpty()) {
      out.println("deduction failures: " + report.failures());
    }
  }
}
