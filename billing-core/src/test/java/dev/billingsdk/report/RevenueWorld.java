package dev.billingsdk.report;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.credit.CostBasis;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.credit.ReversalResult;
import dev.billingsdk.credit.ReverseRequest;
import dev.billingsdk.economy.CreditPrice;
import dev.billingsdk.economy.EconomySettings;
import dev.billingsdk.economy.ReferralRequest;
import dev.billingsdk.economy.SettingsUpdate;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.memory.InMemoryEconomyStore;
import dev.billingsdk.memory.InMemoryRevenueStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.money.Percentage;
import dev.billingsdk.money.Price;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.testing.TestClock;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

/** A platform on the in-memory stores and a story clock, for the revenue stories. */
class RevenueWorld {
  static final TenantId ACME = TenantId.of("acme");
  static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 0);
  static final CurrencyUnit USD = CurrencyUnit.of("USD");
  static final Actor FINANCE = Actor.of("fiona", Role.FINANCE);
  static final Actor ADMIN = Actor.of("ada", Role.ADMIN);
  static final Actor METER = Actor.system("meter");
  static final ZoneId UTC = ZoneOffset.UTC;

  final TestClock clock;
  final InMemoryBillingStore store = InMemoryBillingStore.create();
  final InMemoryEconomyStore economyStore = InMemoryEconomyStore.create();
  final InMemoryRevenueStore revenueStore = InMemoryRevenueStore.of(store);
  final Billing billing;
  private final AtomicInteger keys = new AtomicInteger();

  RevenueWorld(Instant start) {
    this.clock = new TestClock(start);
    this.billing =
        Billing.builder()
            .store(store)
            .economy(economyStore)
            .revenue(revenueStore)
            .clock(clock)
            .build();
  }

  RevenueReports reports() {
    return billing.revenue();
  }

  static Amount credits(long n) {
    return Amount.of(CREDIT, n);
  }

  static Amount usd(String value) {
    return Amount.of(USD, value);
  }

  /** 100 credits = $1, the given partner and agent shares, months in UTC. */
  void settings(String partnerShare, String agentShare) {
    int latest = billing.economy().settings(ACME).map(v -> v.version()).orElse(0);
    EconomySettings s =
        EconomySettings.builder(CreditPrice.of(credits(100), Amount.of(USD, 1)))
            .partnerRevenueShare(Percentage.of(partnerShare))
            .agentRevenueShare(Percentage.of(agentShare))
            .build();
    billing.economy().saveSettings(SettingsUpdate.of(ACME, latest, s, FINANCE, "shares"));
  }

  void open(String id) {
    billing
        .credits()
        .openAccount(
            OpenAccountRequest.builder(ACME, AccountId.of(id), CREDIT).actor(ADMIN).build());
  }

  /** Credits bought at {@code cost} for {@code per} credits. */
  void buy(String account, long credits, String cost, long per) {
    grant(
        account,
        credits,
        GrantCategory.PURCHASED,
        CostBasis.paid(Price.of(usd(cost), credits(per))));
  }

  void grant(String account, long credits, GrantCategory category, CostBasis basis) {
    billing
        .credits()
        .grant(
            GrantRequest.builder(ACME, AccountId.of(account), credits(credits))
                .category(category)
                .costBasis(basis)
                .idempotencyKey(IdempotencyKey.of("grant-" + keys.incrementAndGet()))
                .actor(FINANCE)
                .reason("story")
                .build());
  }

  ChargeResult use(String account, String item, long credits) {
    return billing
        .credits()
        .charge(
            ChargeRequest.builder(
                    ACME,
                    AccountId.of(account),
                    Charge.of(ChargeKind.USAGE, item, credits(credits)))
                .idempotencyKey(IdempotencyKey.of("use-" + keys.incrementAndGet()))
                .actor(METER)
                .reason("usage")
                .build());
  }

  ReversalResult reverse(String account, TransactionId original, long credits) {
    return billing
        .credits()
        .reverse(
            ReverseRequest.builder(ACME, AccountId.of(account), original)
                .amount(credits(credits))
                .idempotencyKey(IdempotencyKey.of("rev-" + keys.incrementAndGet()))
                .actor(FINANCE)
                .reason("refund of usage")
                .build());
  }

  void refer(String agent, String referred) {
    billing
        .economy()
        .recordReferral(
            ReferralRequest.of(
                ACME, AccountId.of(agent), AccountId.of(referred), clock.instant(), FINANCE));
  }

  static RevenueQuery query(YearMonth month, Actor actor) {
    return RevenueQuery.month(ACME, month, UTC, RoundingMode.HALF_EVEN, actor);
  }
}
