package dev.billingsdk.statement;

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
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.memory.InMemoryStatementStore;
import dev.billingsdk.metering.Aggregation;
import dev.billingsdk.metering.DeductionReport;
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
import dev.billingsdk.testing.TestClock;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A machine-rental platform (seed 002) on the in-memory stores and a story clock: licences are
 * accounts held by users, machines are a running-time meter with pool, machine type and region, and
 * usage is deducted every hour.
 */
class StatementWorld {
  static final TenantId ACME = TenantId.of("acme");
  static final CreditUnit CREDITS = CreditUnit.of("CREDIT", 2);
  static final Actor ADMIN = Actor.of("ada", Role.ADMIN);
  static final Actor FINANCE = Actor.of("fiona", Role.FINANCE);
  static final Actor UMA = Actor.of("uma", Role.USER);
  static final Actor BOB = Actor.of("bob", Role.USER);
  static final Actor PARTNER = Actor.of("pat", Role.PARTNER);
  static final Actor JOBS = Actor.system("billing-jobs");
  static final String MACHINES = "machines";

  final TestClock clock;
  final InMemoryBillingStore store = InMemoryBillingStore.create();
  final InMemoryStatementStore statementStore = InMemoryStatementStore.create(store);
  final Billing billing;
  private final AtomicInteger keys = new AtomicInteger();

  StatementWorld(Instant start) {
    this.clock = new TestClock(start);
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
            .statements(statementStore)
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

  Statements statements() {
    return billing.statements();
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

  LedgerTransaction licenceFee(AccountId account, String licence, String amount) {
    return billing
        .credits()
        .charge(
            ChargeRequest.builder(
                    ACME, account, Charge.of(ChargeKind.LICENCE, licence, credits(amount)))
                .idempotencyKey(IdempotencyKey.of("fee-" + keys.incrementAndGet()))
                .actor(JOBS)
                .reason("licence fee")
                .build())
        .transaction();
  }

  /**
   * A machine reports running (level 1) or stopped (0) at {@code when}; sent then, or now if later.
   */
  void machine(
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

  DeductionReport deductAt(Instant when) {
    clock.set(when);
    return billing.deductions().run();
  }

  List<LedgerTransaction> ledger(AccountId account) {
    return billing.ledger().transactions(ACME, account);
  }
}
