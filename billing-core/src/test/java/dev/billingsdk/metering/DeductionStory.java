package dev.billingsdk.metering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.GrantId;
import dev.billingsdk.IdGenerator;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.GrantResult;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.event.BillingEvent;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.testing.TestClock;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The world the deduction stories play in: one tenant on an in-memory store, a clock only the story
 * moves, credits of scale 2, and helpers that read the ledger the way finance reads it: which usage
 * postings were made, for which window, for how much.
 */
abstract class DeductionStory {
  static final CreditUnit CREDITS = CreditUnit.of("CREDIT", 2);
  static final TenantId ACME = TenantId.of("acme");
  static final Actor ADMIN = Actor.of("alice", Role.ADMIN);

  /** The host's usage collector, which sends the usage events. */
  static final Actor COLLECTOR = Actor.system("usage-collector");

  /** The references the deduction puts on its postings. */
  static final String REF_METER = "usage.meter";

  static final String REF_WINDOW_START = "usage.window.start";
  static final String REF_WINDOW_END = "usage.window.end";

  TestClock clock;
  InMemoryBillingStore store;
  MeteringSettings settings;
  Billing billing;

  /** Every event the listener heard, in order. */
  final List<BillingEvent> heard = Collections.synchronizedList(new ArrayList<>());

  private final AtomicInteger keys = new AtomicInteger();

  /** One id generator for every {@link Billing} of the story: they share a store. */
  private IdGenerator ids;

  /** A billing on a fresh in-memory store, at {@code start}. */
  void start(Instant start, MeteringSettings settings) {
    this.clock = new TestClock(start);
    this.store = InMemoryBillingStore.create();
    this.settings = settings;
    this.ids = IdGenerator.sequential();
    this.billing = billingOn(store);
  }

  /** Another {@link Billing} on {@code store}, with the story's clock and metering settings. */
  Billing billingOn(BillingStore on) {
    return Billing.builder()
        .store(on)
        .clock(clock)
        .ids(ids)
        .listener(heard::add)
        .metering(settings)
        .build();
  }

  /** Hourly deduction of one meter priced at {@code perUnit} credits a unit. */
  static MeteringSettings hourly(String meter, String perUnit) {
    return MeteringSettings.of(
        PriceBook.builder(RoundingMode.HALF_EVEN)
            .meter(meter, MeterPrice.of(CREDITS, PriceModel.perUnit(perUnit)))
            .build(),
        Duration.ofHours(1));
  }

  static Amount credits(String value) {
    return Amount.of(CREDITS, value);
  }

  static Amount minor(long minor) {
    return Amount.ofMinor(CREDITS, minor);
  }

  static Instant at(String iso) {
    return Instant.parse(iso);
  }

  AccountId open(String name) {
    return open(name, OverdraftPolicy.reject());
  }

  AccountId open(String name, OverdraftPolicy policy) {
    AccountId id = AccountId.of(name);
    billing
        .credits()
        .openAccount(
            OpenAccountRequest.builder(ACME, id, CREDITS)
                .actor(ADMIN)
                .overdraftPolicy(policy)
                .build());
    return id;
  }

  GrantResult grant(AccountId account, String amount) {
    return billing
        .credits()
        .grant(
            GrantRequest.builder(ACME, account, credits(amount))
                .idempotencyKey(IdempotencyKey.of("grant-" + keys.incrementAndGet()))
                .actor(ADMIN)
                .reason("prepaid credits")
                .build());
  }

  Meter define(Meter meter) {
    return billing.metering().defineMeter(meter, ADMIN);
  }

  static UsageEvent usage(
      String id,
      AccountId account,
      String meter,
      String quantity,
      Instant occurredAt,
      Map<String, String> dimensions) {
    return UsageEvent.builder(ACME, account, meter)
        .id(id)
        .quantity(new BigDecimal(quantity))
        .occurredAt(occurredAt)
        .dimensions(dimensions)
        .build();
  }

  /** Sends one event at the clock's time; the event's own time may be earlier (it was queued). */
  IngestResult send(UsageEvent event) {
    return billing.metering().ingest(event, COLLECTOR);
  }

  /** Moves the clock to {@code when} and runs the deduction. */
  DeductionReport runAt(Instant when) {
    clock.set(when);
    return billing.deductions().run();
  }

  Amount available(AccountId account) {
    return billing.credits().balance(ACME, account).available();
  }

  /** The deduction's transactions of the account (debits and credits back), oldest first. */
  List<LedgerTransaction> usagePostings(AccountId account) {
    return billing.ledger().transactions(ACME, account).stream()
        .filter(t -> usageReferences(t).containsKey(REF_METER))
        .toList();
  }

  /**
   * The deduction's references of a transaction: a usage debit carries them itself; a credit back
   * is a grant whose metadata carries them (the grant transaction names the grant).
   */
  Map<String, String> usageReferences(LedgerTransaction t) {
    if (t.type() == TransactionType.GRANT) {
      String grant = t.references().get("billing.grant");
      return store
          .findGrant(t.tenant(), GrantId.of(grant))
          .map(g -> g.grant().metadata())
          .orElse(Map.of());
    }
    return t.references();
  }

  /**
   * What a deduction transaction moved, signed as the deduction reports it: a usage debit is what
   * it consumed, a credit back is minus what it granted.
   */
  static long signed(LedgerTransaction t) {
    if (t.type() == TransactionType.USAGE_DEBIT) {
      return t.minorOn(LedgerAccount.counter(LedgerAccount.Kind.CONSUMED));
    }
    assertThat(t.type()).as("a credit back is a grant").isEqualTo(TransactionType.GRANT);
    return t.minorOn(LedgerAccount.counter(LedgerAccount.Kind.ISSUED));
  }

  /** The signed minor amounts of the account's deduction transactions, oldest first. */
  List<Long> postedAmounts(AccountId account) {
    return usagePostings(account).stream().map(DeductionStory::signed).toList();
  }

  /** The postings a report says this run wrote, as signed minor amounts. */
  static List<Long> amounts(DeductionReport report) {
    return report.postings().stream()
        .filter(DeductionPosting::posted)
        .map(p -> p.amount().minor())
        .toList();
  }

  List<UsageSummaryRow> summaries(AccountId account, String meter) {
    return billing
        .metering()
        .monthlySummaries(UsageSummaryQuery.of(ACME).account(account).meter(meter));
  }

  /** The sum of a set of summary rows' credits, in minor units. */
  static long creditsOf(List<UsageSummaryRow> rows) {
    return rows.stream().mapToLong(r -> r.credits().minor()).sum();
  }
}
