package dev.billingsdk.topup;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.catalogue.CreditPackageDraft;
import dev.billingsdk.catalogue.PackageId;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.event.BillingEvent;
import dev.billingsdk.event.TopUpUpdated;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.memory.InMemoryCatalogueStore;
import dev.billingsdk.memory.InMemoryPurchaseStore;
import dev.billingsdk.memory.InMemoryTopUpStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.TopUpStore;
import dev.billingsdk.subscription.RecurringProvider;
import dev.billingsdk.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** An account with an auto-top-up rule, on the in-memory stores and a story clock. */
class TopUpWorld {
  static final TenantId ACME = TenantId.of("acme");
  static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 0);
  static final CurrencyUnit USD = CurrencyUnit.of("USD");
  static final Actor ADMIN = Actor.of("ada", Role.ADMIN, Role.FINANCE);
  static final Actor WORKER = Actor.system("top-up-worker");
  static final AccountId LAB = AccountId.of("lab");
  static final PackageId BOOST = PackageId.of("boost");

  final TestClock clock;
  final RecurringProvider provider = new RecurringProvider();
  final List<BillingEvent> events = new CopyOnWriteArrayList<>();
  final BillingStore store;
  final TopUpStore topUpStore;
  final InMemoryPurchaseStore purchases = InMemoryPurchaseStore.create();
  final InMemoryCatalogueStore catalogue = InMemoryCatalogueStore.create();
  final Billing billing;
  private final AtomicInteger uses = new AtomicInteger();

  TopUpWorld(Instant start) {
    this(start, InMemoryBillingStore.create(), InMemoryTopUpStore.create());
  }

  TopUpWorld(Instant start, BillingStore store, TopUpStore topUpStore) {
    this.clock = new TestClock(start);
    this.store = store;
    this.topUpStore = topUpStore;
    this.billing = instance();
    billing
        .catalogue()
        .createPackage(
            ACME,
            CreditPackageDraft.builder(BOOST, "Boost")
                .credits(credits(1_000))
                .price(Amount.of(USD, "10.00"))
                .build(),
            ADMIN);
    billing
        .credits()
        .openAccount(
            OpenAccountRequest.builder(ACME, LAB, CREDIT)
                .overdraftPolicy(OverdraftPolicy.reject())
                .actor(ADMIN)
                .build());
    billing
        .credits()
        .grant(
            GrantRequest.builder(ACME, LAB, credits(1_000))
                .idempotencyKey(IdempotencyKey.of("opening"))
                .actor(ADMIN)
                .reason("opening balance")
                .build());
  }

  /** Another instance of the library on the same stores. */
  Billing instance() {
    return Billing.builder()
        .store(store)
        .catalogue(catalogue)
        .purchases(purchases, purchases)
        .paymentProvider(provider)
        .autoTopUps(topUpStore)
        .clock(clock)
        .listener(events::add)
        .build();
  }

  static Amount credits(long n) {
    return Amount.of(CREDIT, n);
  }

  TopUpRuleRequest.Builder rule() {
    return rule(Duration.ofMinutes(10));
  }

  TopUpRuleRequest.Builder rule(Duration cooldown) {
    return TopUpRuleRequest.builder(ACME, LAB, credits(200))
        .creditPackage(BOOST)
        .provider("recurring")
        .savedMethod("cus_1", "pm_card")
        .monthlyCap(Amount.of(USD, "30.00"))
        .cooldown(cooldown)
        .actor(ADMIN);
  }

  void use(long n) {
    billing
        .credits()
        .charge(
            ChargeRequest.builder(ACME, LAB, Charge.of(ChargeKind.USAGE, "gpu-hours", credits(n)))
                .idempotencyKey(IdempotencyKey.of("use-" + uses.incrementAndGet()))
                .actor(WORKER)
                .reason("usage")
                .build());
  }

  long available() {
    return billing.credits().balance(ACME, LAB).available().minor();
  }

  List<TopUpOutcome> run() {
    return billing.autoTopUps().run(ACME, WORKER);
  }

  List<TopUpOutcome.Result> topUpEvents() {
    return events.stream()
        .filter(e -> e instanceof TopUpUpdated)
        .map(e -> ((TopUpUpdated) e).result())
        .toList();
  }
}
