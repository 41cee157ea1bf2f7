package dev.billingsdk.export;

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
import dev.billingsdk.statement.Statement;
import dev.billingsdk.statement.StatementCloseRequest;
import dev.billingsdk.testkit.TestClock;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Seed 002's machine-rental platform on the in-memory stores and a test clock (a copy of
 * billing-core's StatementWorld): licences are accounts, machines are a running-time meter with
 * pool, machine type and region, usage is deducted hourly. {@link #october} builds a realistic
 * month.
 */
class ExportWorld {
  static final TenantId ACME = TenantId.of("acme");
  static final CreditUnit CREDITS = CreditUnit.of("CREDIT", 2);
  static final Actor ADMIN = Actor.of("ada", Role.ADMIN);
  static final Actor FINANCE = Actor.of("fiona", Role.FINANCE);
  static final Actor JOBS = Actor.system("billing-jobs");
  static final String MACHINES = "machines";
  static final YearMonth OCTOBER = YearMonth.of(2026, 10);

  final TestClock clock = new TestClock(Instant.parse("2026-10-01T00:00:00Z"));
  final InMemoryBillingStore store = InMemoryBillingStore.create();
  final Billing billing;
  private final AtomicInteger keys = new AtomicInteger();

  ExportWorld() {
    PriceBook prices =
        PriceBook.builder(RoundingMode.HALF_EVEN)
            .meter(MACHINES, MeterPrice.of(CREDITS, PriceModel.perHour("12")))
            .build();
    this.billing =
        Billing.builder()
            .store(store)
            .clock(clock)
            .ids(IdGenerator.sequential())
            .metering(MeteringSettings.of(prices, Duration.ofHours(1)))
            .statements(InMemoryStatementStore.create(store))
            .build();
    billing
        .metering()
        .defineMeter(
            Meter.builder(ACME, MACHINES, Aggregation.RUNNING_TIME)
                .unit("seconds")
                .dimensions("instance", "pool", "type", "region")
                .keyDimension("instance")
                .build(),
            ADMIN);
  }

  static Amount credits(String value) {
    return Amount.of(CREDITS, value);
  }

  static Instant at(String iso) {
    return Instant.parse(iso);
  }

  AccountId open(String id, String holder) {
    AccountId account = AccountId.of(id);
    billing
        .credits()
        .openAccount(
            OpenAccountRequest.builder(ACME, account, CREDITS).actor(ADMIN).holder(holder).build());
    return account;
  }

  void purchased(AccountId account, String amount) {
    grant(
        GrantRequest.builder(ACME, account, credits(amount))
            .category(GrantCategory.PURCHASED)
            .costBasis(
                CostBasis.paid(Price.of(Amount.of(CurrencyUnit.of("USD"), "0.01"), credits("1")))));
  }

  void promotional(AccountId account, String amount, Instant expiresAt) {
    grant(
        GrantRequest.builder(ACME, account, credits(amount))
            .category(GrantCategory.PROMOTIONAL)
            .expiresAt(expiresAt));
  }

  private void grant(GrantRequest.Builder b) {
    billing
        .credits()
        .grant(
            b.idempotencyKey(IdempotencyKey.of("grant-" + keys.incrementAndGet()))
                .actor(ADMIN)
                .reason("credits")
                .build());
  }

  void licenceFee(AccountId account, String licence, String amount) {
    billing
        .credits()
        .charge(
            ChargeRequest.builder(
                    ACME, account, Charge.of(ChargeKind.LICENCE, licence, credits(amount)))
                .idempotencyKey(IdempotencyKey.of("fee-" + keys.incrementAndGet()))
                .actor(JOBS)
                .reason("licence fee")
                .build());
  }

  /** The machine runs from {@code from} to {@code until}; usage is deducted when it stops. */
  void ran(
      AccountId account,
      String instance,
      String pool,
      String type,
      String region,
      String from,
      String until) {
    machine(account, instance, pool, type, region, 1, at(from));
    machine(account, instance, pool, type, region, 0, at(until));
  }

  private void machine(
      AccountId account,
      String instance,
      String pool,
      String type,
      String region,
      int level,
      Instant when) {
    if (when.isAfter(clock.instant())) {
      clock.set(when);
    }
    billing
        .metering()
        .ingest(
            UsageEvent.builder(ACME, account, MACHINES)
                .id(instance + "@" + when)
                .quantity(BigDecimal.valueOf(level))
                .occurredAt(when)
                .dimensions(
                    Map.of("instance", instance, "pool", pool, "type", type, "region", region))
                .build(),
            JOBS);
  }

  void deductAt(String when) {
    clock.set(at(when));
    billing.deductions().run();
  }

  /**
   * A realistic October for one licence: 2000 purchased and 200 promotional credits, a licence fee,
   * six machines in the gpu, cpu and batch pools over four days in two regions, 80 promotional
   * credits expiring unused on the 5th; closed on November 1st.
   */
  Statement october(AccountId licence) {
    clock.set(at("2026-10-01T09:00:00Z"));
    purchased(licence, "2000.00");
    promotional(licence, "200.00", at("2026-10-05T00:00:00Z"));
    clock.set(at("2026-10-02T00:00:00Z"));
    licenceFee(licence, "standard", "30.00");
    ran(licence, "m1", "gpu", "a100", "eu-west", "2026-10-03T08:00:00Z", "2026-10-03T14:00:00Z");
    ran(licence, "m2", "cpu", "c5", "us-east", "2026-10-03T09:30:00Z", "2026-10-03T11:00:00Z");
    deductAt("2026-10-03T15:05:00Z");
    ran(licence, "m3", "gpu", "h100", "us-east", "2026-10-09T10:00:00Z", "2026-10-09T22:00:00Z");
    ran(licence, "m4", "cpu", "m5", "eu-west", "2026-10-09T12:00:00Z", "2026-10-09T16:30:00Z");
    deductAt("2026-10-09T23:05:00Z");
    ran(licence, "m5", "batch", "c5", "eu-west", "2026-10-16T00:00:00Z", "2026-10-16T08:00:00Z");
    deductAt("2026-10-16T09:05:00Z");
    clock.set(at("2026-10-21T03:00:00Z"));
    billing.sweeps().expireGrants(ACME, JOBS, false);
    ran(licence, "m6", "gpu", "a100", "eu-west", "2026-10-27T18:00:00Z", "2026-10-28T02:15:00Z");
    deductAt("2026-10-28T03:05:00Z");
    clock.set(at("2026-11-01T00:10:00Z"));
    billing.statements().close(StatementCloseRequest.of(ACME, OCTOBER, JOBS));
    return billing.statements().statement(ACME, licence, OCTOBER, FINANCE);
  }
}
