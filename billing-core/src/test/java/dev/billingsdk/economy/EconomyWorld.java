package dev.billingsdk.economy;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.AccountBalance;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.memory.InMemoryEconomyStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.EconomyStore;
import dev.billingsdk.testing.TestClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A small platform on the in-memory stores and a story clock, for the economy stories. */
class EconomyWorld {
  static final TenantId ACME = TenantId.of("acme");
  static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 0);
  static final CurrencyUnit USD = CurrencyUnit.of("USD");
  static final Actor FINANCE = Actor.of("fiona", Role.FINANCE);
  static final Actor ADMIN = Actor.of("ada", Role.ADMIN);
  static final Actor SIGNUPS = Actor.system("sign-up-flow");
  static final Actor USER = Actor.of("uma", Role.USER);

  final TestClock clock;
  final BillingStore store;
  final EconomyStore economyStore;
  final Billing billing;
  private final AtomicInteger charges = new AtomicInteger();

  EconomyWorld(Instant start) {
    this(start, InMemoryBillingStore.create(), InMemoryEconomyStore.create());
  }

  EconomyWorld(Instant start, BillingStore store, EconomyStore economyStore) {
    this.clock = new TestClock(start);
    this.store = store;
    this.economyStore = economyStore;
    this.billing = Billing.builder().store(store).economy(economyStore).clock(clock).build();
  }

  CreditEconomy economy() {
    return billing.economy();
  }

  static Amount credits(long n) {
    return Amount.of(CREDIT, n);
  }

  static CreditPrice hundredForADollar() {
    return CreditPrice.of(credits(100), Amount.of(USD, 1));
  }

  SettingsVersion save(int basedOn, EconomySettings settings, String reason) {
    return economy().saveSettings(SettingsUpdate.of(ACME, basedOn, settings, FINANCE, reason));
  }

  Account open(String id) {
    return billing
        .credits()
        .openAccount(
            OpenAccountRequest.builder(ACME, AccountId.of(id), CREDIT).actor(ADMIN).build());
  }

  AccountBalance balance(String id) {
    return billing.credits().balance(ACME, AccountId.of(id));
  }

  long available(String id) {
    return balance(id).available().minor();
  }

  long availableIn(String id, GrantCategory category) {
    return balance(id).available(category).minor();
  }

  ChargeResult use(String id, long n) {
    return billing
        .credits()
        .charge(
            ChargeRequest.builder(
                    ACME,
                    AccountId.of(id),
                    Charge.of(ChargeKind.USAGE, "deployment-hours", credits(n)))
                .idempotencyKey(IdempotencyKey.of("use-" + charges.incrementAndGet()))
                .actor(Actor.system("meter"))
                .reason("usage")
                .build());
  }

  List<LedgerTransaction> ledger(String... ids) {
    List<LedgerTransaction> out = new ArrayList<>();
    for (String id : ids) {
      out.addAll(billing.ledger().transactions(ACME, AccountId.of(id)));
    }
    return out;
  }
}
