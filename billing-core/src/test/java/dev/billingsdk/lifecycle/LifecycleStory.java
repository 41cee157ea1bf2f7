package dev.billingsdk.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.GrantId;
import dev.billingsdk.IdGenerator;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.AccountBalance;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.credit.CostBasis;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.GrantResult;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.credit.ReleaseRequest;
import dev.billingsdk.credit.Reservation;
import dev.billingsdk.credit.ReservationId;
import dev.billingsdk.credit.ReservationResult;
import dev.billingsdk.credit.ReserveRequest;
import dev.billingsdk.credit.ReversalResult;
import dev.billingsdk.credit.ReverseRequest;
import dev.billingsdk.credit.SettleRequest;
import dev.billingsdk.credit.SettlementResult;
import dev.billingsdk.credit.VoidGrantRequest;
import dev.billingsdk.credit.VoidResult;
import dev.billingsdk.event.BillingEvent;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.money.Price;
import dev.billingsdk.money.Unit;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.spi.AccountSnapshot;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.assertj.core.groups.Tuple;

/**
 * The world the lifecycle stories play in: one AI lab's credit account on an in-memory store, a
 * clock that only the story moves, sequential ids, and a listener that hears every event. The
 * helpers speak the stories' vocabulary; {@link #assertBalances} replays the ledger after every
 * step and checks it against what the library reports.
 */
class LifecycleStory {
  static final TenantId ACME = TenantId.of("acme");
  static final AccountId LAB = AccountId.of("ai-lab");
  static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 0);
  static final Price DOLLAR_PER_100_CREDITS =
      Price.of(Amount.of(CurrencyUnit.of("USD"), "1.00"), Amount.ofMinor(CREDIT, 100));

  static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  static final Actor FINANCE = Actor.of("finance-fran", Role.FINANCE);

  /** The AI platform's gateway, which reserves before an LLM call and settles after it. */
  static final Actor GATEWAY = Actor.system("llm-gateway");

  static final Actor SWEEPER = Actor.system("nightly-sweeper");
  static final String LLM = "llm.gpt-4o";

  TestClock clock;
  InMemoryBillingStore memory;
  BillingStore store;
  Billing billing;

  /** Every event the listener heard, in order. */
  final List<BillingEvent> heard = Collections.synchronizedList(new ArrayList<>());

  private final AtomicInteger keys = new AtomicInteger();

  /** A billing on a fresh in-memory store, at {@link #T0}. */
  void start() {
    start(builder -> {}, UnaryOperator.identity());
  }

  /**
   * @param more extra builder settings (listeners, a failure handler)
   * @param wrap wraps the in-memory store (a crashing store)
   */
  void start(Consumer<Billing.Builder> more, UnaryOperator<BillingStore> wrap) {
    clock = new TestClock(T0);
    memory = InMemoryBillingStore.create();
    store = wrap.apply(memory);
    heard.clear();
    Billing.Builder builder =
        Billing.builder()
            .store(store)
            .clock(clock)
            .ids(IdGenerator.sequential())
            .listener(heard::add);
    more.accept(builder);
    billing = builder.build();
  }

  // ------------------------------------------------------------------ accounts and grants

  static Amount credits(long n) {
    return Amount.ofMinor(CREDIT, n);
  }

  String key(String what) {
    return what + "-" + keys.incrementAndGet();
  }

  Account openAccount(OverdraftPolicy policy) {
    return billing
        .credits()
        .openAccount(
            OpenAccountRequest.builder(ACME, LAB, CREDIT)
                .actor(FINANCE)
                .overdraftPolicy(policy)
                .build());
  }

  GrantRequest.Builder promo(long n) {
    return GrantRequest.builder(ACME, LAB, credits(n))
        .category(GrantCategory.PROMOTIONAL)
        .name("launch promotion");
  }

  GrantRequest.Builder purchased(long n) {
    return GrantRequest.builder(ACME, LAB, credits(n))
        .category(GrantCategory.PURCHASED)
        .name("credit pack")
        .costBasis(CostBasis.paid(DOLLAR_PER_100_CREDITS));
  }

  GrantRequest.Builder partner(long n) {
    return GrantRequest.builder(ACME, LAB, credits(n))
        .category(GrantCategory.PARTNER_ALLOWANCE)
        .name("partner allowance");
  }

  GrantResult grant(GrantRequest.Builder request) {
    GrantResult result =
        billing
            .credits()
            .grant(
                request
                    .idempotencyKey(IdempotencyKey.of(key("grant")))
                    .actor(FINANCE)
                    .reason("finance adds credits")
                    .build());
    assertThat(result.replayed()).isFalse();
    return result;
  }

  VoidResult voidGrant(GrantResult grant) {
    return voidGrant(key("void"), grant.grant().id());
  }

  VoidResult voidGrant(String key, GrantId grant) {
    return billing
        .credits()
        .voidGrant(
            VoidGrantRequest.builder(ACME, LAB, grant)
                .idempotencyKey(IdempotencyKey.of(key))
                .actor(FINANCE)
                .reason("refunded outside billing")
                .build());
  }

  // ------------------------------------------------------------------ charges and reservations

  ChargeResult use(long n) {
    return use(LLM, n);
  }

  ChargeResult use(String meter, long n) {
    return charge(key("charge"), Charge.usage(meter, credits(n)));
  }

  ChargeResult charge(String key, Charge charge) {
    return billing
        .credits()
        .charge(
            ChargeRequest.builder(ACME, LAB, charge)
                .idempotencyKey(IdempotencyKey.of(key))
                .actor(GATEWAY)
                .reason("LLM usage")
                .build());
  }

  ReservationResult reserve(long n, Duration ttl) {
    return reserve(key("reserve"), n, ttl);
  }

  ReservationResult reserve(String key, long n, Duration ttl) {
    return billing
        .reservations()
        .reserve(
            ReserveRequest.builder(ACME, LAB, Charge.usage(LLM, credits(n)))
                .timeToLive(ttl)
                .idempotencyKey(IdempotencyKey.of(key))
                .actor(GATEWAY)
                .reason("before the LLM call")
                .build());
  }

  SettlementResult settle(ReservationResult reservation, long actual) {
    return settle(key("settle"), reservation.reservation().id(), actual);
  }

  SettlementResult settle(String key, ReservationId reservation, long actual) {
    return billing
        .reservations()
        .settle(
            SettleRequest.builder(ACME, reservation, credits(actual))
                .idempotencyKey(IdempotencyKey.of(key))
                .actor(GATEWAY)
                .reason("the LLM call finished")
                .build());
  }

  ReservationResult release(ReservationResult reservation) {
    return release(key("release"), reservation.reservation().id());
  }

  ReservationResult release(String key, ReservationId reservation) {
    return billing
        .reservations()
        .release(
            ReleaseRequest.builder(ACME, reservation)
                .idempotencyKey(IdempotencyKey.of(key))
                .actor(GATEWAY)
                .reason("the LLM call failed")
                .build());
  }

  /** The reservation as the store holds it, without the lazy expiry a read through the API does. */
  Reservation stored(ReservationId id) {
    return memory.findReservation(ACME, id).orElseThrow();
  }

  ReversalResult reverse(TransactionId original, long amount) {
    return reverse(key("reverse"), original, amount);
  }

  ReversalResult reverse(String key, TransactionId original, long amount) {
    return billing
        .credits()
        .reverse(
            ReverseRequest.builder(ACME, LAB, original)
                .amount(credits(amount))
                .idempotencyKey(IdempotencyKey.of(key))
                .actor(FINANCE)
                .reason("customer complaint: bad completion")
                .build());
  }

  ReversalResult reverseAll(TransactionId original) {
    return billing
        .credits()
        .reverse(
            ReverseRequest.builder(ACME, LAB, original)
                .idempotencyKey(IdempotencyKey.of(key("reverse")))
                .actor(FINANCE)
                .reason("customer complaint: bad completion")
                .build());
  }

  // ------------------------------------------------------------------ reading

  AccountBalance balance() {
    return billing.credits().balance(ACME, LAB);
  }

  List<LedgerTransaction> ledger() {
    return billing.ledger().transactions(ACME, LAB);
  }

  List<TransactionType> ledgerTypes() {
    return ledger().stream().map(LedgerTransaction::type).toList();
  }

  void assertLedger(TransactionType... types) {
    assertThat(ledgerTypes()).containsExactly(types);
  }

  GrantBalance grantBalance(GrantId id) {
    return billing.credits().grants(ACME, LAB).stream()
        .filter(g -> g.grant().id().equals(id))
        .findFirst()
        .orElseThrow();
  }

  long remainingOf(GrantResult grant) {
    return grantBalance(grant.grant().id()).remaining().minor();
  }

  /** The ledger account a grant's postings land on, as {@code postingsOf} names it. */
  static String on(GrantResult grant) {
    return on(grant.grant().id());
  }

  static String on(GrantId grant) {
    return "GRANT:" + grant.value();
  }

  static List<Tuple> postingsOf(LedgerTransaction t) {
    return t.postings().stream()
        .map(p -> tuple(p.account().toString(), p.amount().minor()))
        .toList();
  }

  /**
   * Runs {@code call}, expects it to throw {@code type}, and checks that nothing was written: the
   * ledger and every balance are as they were.
   */
  <T extends Throwable> T refused(Class<T> type, ThrowingCallable call) {
    List<LedgerTransaction> before = ledger();
    List<GrantBalance> grantsBefore = billing.credits().grants(ACME, LAB);
    T thrown = catchThrowableOfType(type, call);
    assertThat(thrown).as("expected %s", type.getSimpleName()).isNotNull();
    assertThat(ledger()).as("nothing written").isEqualTo(before);
    assertThat(billing.credits().grants(ACME, LAB)).as("no grant moved").isEqualTo(grantsBefore);
    return thrown;
  }

  // ------------------------------------------------------------------ the ledger replay

  /** What the ledger says, replayed posting by posting. */
  record Replay(Map<LedgerAccount.Kind, Long> byKind, Map<String, Long> byGrant) {
    long of(LedgerAccount.Kind kind) {
      return byKind.getOrDefault(kind, 0L);
    }

    long grants() {
      return of(LedgerAccount.Kind.GRANT);
    }

    long issued() {
      return -of(LedgerAccount.Kind.ISSUED);
    }

    long consumed() {
      return of(LedgerAccount.Kind.CONSUMED);
    }

    long voided() {
      return of(LedgerAccount.Kind.VOIDED);
    }

    long expired() {
      return of(LedgerAccount.Kind.EXPIRED);
    }

    long reserved() {
      return of(LedgerAccount.Kind.RESERVED);
    }

    long owed() {
      return -of(LedgerAccount.Kind.OVERDRAFT);
    }
  }

  Replay replay() {
    Map<LedgerAccount.Kind, Long> byKind = new EnumMap<>(LedgerAccount.Kind.class);
    Map<String, Long> byGrant = new HashMap<>();
    for (LedgerTransaction t : ledger()) {
      Map<Unit, Long> perUnit = new HashMap<>();
      for (Posting p : t.postings()) {
        perUnit.merge(p.amount().unit(), p.amount().minor(), Math::addExact);
        byKind.merge(p.account().kind(), p.amount().minor(), Math::addExact);
        if (p.account().isGrant()) {
          byGrant.merge(p.account().grantId(), p.amount().minor(), Math::addExact);
        }
      }
      assertThat(perUnit.values()).as("postings of %s sum to zero", t.id()).allMatch(s -> s == 0);
    }
    return new Replay(byKind, byGrant);
  }

  /**
   * Reads the balance (which expires reservations past their time-to-live), checks it, and checks
   * that a replay of the ledger gives the same numbers: each grant's remainder, what is reserved,
   * what is owed, the total, and conservation (rule 1).
   */
  AccountBalance assertBalances(long total, long available, long reserved, long owed) {
    AccountBalance b = balance();
    assertThat(b.at()).isEqualTo(clock.instant());
    assertThat(b.total()).as("total").isEqualTo(credits(total));
    assertThat(b.available()).as("available").isEqualTo(credits(available));
    assertThat(b.reserved()).as("reserved").isEqualTo(credits(reserved));
    assertThat(b.owed()).as("owed").isEqualTo(credits(owed));
    assertReplayMatches(b);
    return b;
  }

  /** Checks the ledger replay against the library's own view of the account. */
  void assertReplayMatches(AccountBalance b) {
    Replay replay = replay();
    long availableNow = 0;
    for (GrantBalance g : billing.credits().grants(ACME, LAB)) {
      long remaining = g.remaining().minor();
      assertThat(replay.byGrant().getOrDefault(g.grant().id().value(), 0L))
          .as("ledger replay of %s", g.grant().id())
          .isEqualTo(remaining);
      assertThat(remaining)
          .as("%s stays within 0..its amount", g.grant().id())
          .isBetween(0L, g.grant().amount().minor());
      if (!g.voided() && g.grant().isActiveAt(b.at())) {
        availableNow += remaining;
      }
    }
    AccountSnapshot snapshot = memory.loadAccount(ACME, LAB).orElseThrow();
    assertThat(replay.reserved()).as("RESERVED replayed").isEqualTo(b.reserved().minor());
    assertThat(snapshot.reserved()).as("what active reservations hold").isEqualTo(b.reserved());
    assertThat(replay.owed()).as("OVERDRAFT replayed").isEqualTo(b.owed().minor());
    assertThat(replay.grants() + replay.reserved() - replay.owed())
        .as("ledger replay of the total")
        .isEqualTo(b.total().minor());
    assertThat(availableNow)
        .as("available recomputed from the grants")
        .isEqualTo(b.available().minor());
    assertThat(replay.grants() + replay.reserved() - replay.owed())
        .as("conservation: remaining + reserved - owed = issued - consumed - voided - expired")
        .isEqualTo(replay.issued() - replay.consumed() - replay.voided() - replay.expired());
  }
}
