package dev.billingsdk.tck;

import static dev.billingsdk.tck.TckFixture.CREDIT;
import static dev.billingsdk.tck.TckFixture.credits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.AccountId;
import dev.billingsdk.BillingException;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.credit.Allocation;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.GrantResult;
import dev.billingsdk.credit.InsufficientCreditException;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.credit.Reservation;
import dev.billingsdk.credit.ReservationId;
import dev.billingsdk.credit.ReservationNotActiveException;
import dev.billingsdk.credit.ReservationResult;
import dev.billingsdk.credit.ReservationState;
import dev.billingsdk.credit.ReserveRequest;
import dev.billingsdk.credit.SettleRequest;
import dev.billingsdk.credit.SettlementResult;
import dev.billingsdk.credit.VoidGrantRequest;
import dev.billingsdk.ledger.IdempotencyConflictException;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.AmountOverflowException;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.money.UnitMismatchException;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.CommitResult;
import dev.billingsdk.spi.LedgerWrite;
import dev.billingsdk.testkit.BillingArbitraries;
import dev.billingsdk.testkit.GrantTerms;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jspecify.annotations.Nullable;

/**
 * The ledger's rules as jqwik properties over generated accounts, grants (many priorities, validity
 * windows, scopes, cost bases) and operation sequences (charges of every kind, time travel, voids,
 * repeated and reused idempotency keys), and the credit lifecycle raced from several threads
 * (reserve, settle, release, expiry, charges). An adapter extends it with a factory for its store;
 * each property runs {@value #TRIES} tries, the raced one {@value #CONCURRENT_TRIES}.
 */
public abstract class BillingStoreProperties {
  /** For an adapter's subclass, which supplies the store under test. */
  protected BillingStoreProperties() {}

  protected static final int TRIES = 1000;

  /** The store under test. May be shared: every try uses a fresh tenant. */
  protected abstract BillingStore store();

  // ------------------------------------------------------------------ the generated world

  static final CurrencyUnit USD = CurrencyUnit.of("USD");

  // Grants, charges and overdraft policies come from the test kit's generators
  // (BillingArbitraries), which hosts use for their own tests too.

  sealed interface Op {}

  record GrantOp(GrantTerms terms) implements Op {}

  record ChargeOp(Charge charge) implements Op {}

  record AdvanceOp(int hours) implements Op {}

  record VoidOp(int index) implements Op {}

  /** Sends an earlier charge again, unchanged. */
  record RepeatOp(int index) implements Op {}

  /** Sends an earlier charge's key with a different amount. */
  record ReuseOp(int index) implements Op {}

  record Scenario(OverdraftPolicy policy, List<GrantTerms> grants, List<Op> ops) {}

  @Provide
  Arbitrary<Scenario> scenarios() {
    Arbitrary<Op> ops =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(6, BillingArbitraries.charges(CREDIT).map(ChargeOp::new)),
            net.jqwik.api.Tuple.of(2, grantTerms().map(GrantOp::new)),
            net.jqwik.api.Tuple.of(
                2, Arbitraries.integers().between(1, 24 * 20).map(AdvanceOp::new)),
            net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 20).map(VoidOp::new)),
            net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 20).map(RepeatOp::new)),
            net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 20).map(ReuseOp::new)));
    return Combinators.combine(
            BillingArbitraries.overdraftPolicies(CREDIT),
            grantTerms().list().ofMaxSize(10),
            ops.list().ofMinSize(1).ofMaxSize(20))
        .as(Scenario::new);
  }

  private static Arbitrary<GrantTerms> grantTerms() {
    return BillingArbitraries.grantTerms(CREDIT);
  }

  // ------------------------------------------------------------------ playing a scenario

  enum Check {
    CONSERVATION,
    REPLAY,
    POLICY,
    ORDER_AND_SCOPE,
    EXACTLY_ONCE
  }

  private static final class Played {
    final List<GrantResult> grants = new ArrayList<>();
    final List<ChargeRequest> charges = new ArrayList<>();
    final List<ChargeResult> results = new ArrayList<>();
  }

  GrantResult grant(TckFixture f, AccountId a, GrantTerms terms) {
    return f.credits()
        .grant(
            terms
                .builder(f.tenant, a, f.clock.instant())
                .idempotencyKey(f.nextKey())
                .actor(TckFixture.ADMIN)
                .reason("property grant")
                .build());
  }

  void play(Scenario s, Check check) {
    TckFixture f = new TckFixture(store());
    AccountId a = f.open("acct", s.policy());
    Played p = new Played();
    for (GrantTerms g : s.grants()) {
      p.grants.add(grant(f, a, g));
    }
    verify(f, a, check);
    for (Op op : s.ops()) {
      if (op instanceof GrantOp g) {
        p.grants.add(grant(f, a, g.terms()));
      } else if (op instanceof AdvanceOp adv) {
        f.clock.advance(Duration.ofHours(adv.hours()));
      } else if (op instanceof VoidOp v && !p.grants.isEmpty()) {
        GrantResult g = p.grants.get(v.index() % p.grants.size());
        f.credits()
            .voidGrant(
                VoidGrantRequest.builder(f.tenant, a, g.grant().id())
                    .idempotencyKey(f.nextKey())
                    .actor(TckFixture.ADMIN)
                    .reason("property void")
                    .build());
      } else if (op instanceof ChargeOp c) {
        Charge charge = c.charge();
        playCharge(
            f,
            a,
            p,
            f.chargeRequest(a, charge.kind(), charge.itemCode(), charge.amount().minor()),
            check);
      } else if (op instanceof RepeatOp r && !p.results.isEmpty()) {
        int i = r.index() % p.results.size();
        StoreState before = f.state(a);
        ChargeResult again = f.credits().charge(p.charges.get(i));
        if (check == Check.EXACTLY_ONCE) {
          assertThat(again.replayed()).as("a repeated request is a replay").isTrue();
          assertThat(again.transaction()).isEqualTo(p.results.get(i).transaction());
          assertThat(again.charged()).isEqualTo(p.results.get(i).charged());
          assertThat(f.state(a)).as("a replay writes nothing").isEqualTo(before);
          // The store itself must refuse the key, not only the service's look-up before writing.
          LedgerTransaction original = p.results.get(i).transaction();
          assertThat(f.store.commit(LedgerWrite.of(original, f.version(a))))
              .as("the store answers a re-sent transaction with the original")
              .isEqualTo(new CommitResult.Duplicate(original));
          assertThat(f.state(a)).as("a re-sent transaction writes nothing").isEqualTo(before);
        }
      } else if (op instanceof ReuseOp r && !p.results.isEmpty()) {
        int i = r.index() % p.results.size();
        ChargeRequest original = p.charges.get(i);
        ChargeRequest changed =
            ChargeRequest.builder(
                    f.tenant,
                    a,
                    Charge.of(
                        original.charge().kind(),
                        original.charge().itemCode(),
                        original.charge().amount().plus(credits(1))))
                .idempotencyKey(original.idempotencyKey())
                .actor(TckFixture.ADMIN)
                .reason(original.reason())
                .build();
        StoreState before = f.state(a);
        assertThatThrownBy(() -> f.credits().charge(changed))
            .isInstanceOf(IdempotencyConflictException.class);
        if (check == Check.EXACTLY_ONCE) {
          assertThat(f.state(a)).as("a conflicting reuse writes nothing").isEqualTo(before);
        }
      }
      verify(f, a, check);
    }
    if (check == Check.EXACTLY_ONCE) {
      long distinctKeys =
          f.store.transactions(f.tenant, a).stream()
              .map(t -> t.idempotencyKey())
              .distinct()
              .count();
      assertThat(f.store.transactions(f.tenant, a)).hasSize((int) distinctKeys);
      assertThat(f.store.transactions(f.tenant, a))
          .hasSize(p.grants.size() + p.results.size() + voidsIn(f, a));
    }
  }

  private static int voidsIn(TckFixture f, AccountId a) {
    return (int)
        f.store.transactions(f.tenant, a).stream()
            .filter(t -> t.type() == dev.billingsdk.ledger.TransactionType.VOID)
            .count();
  }

  private void playCharge(TckFixture f, AccountId a, Played p, ChargeRequest req, Check check) {
    Instant now = f.clock.instant();
    List<GrantBalance> before = f.store.grants(f.tenant, a);
    long owed = -f.store.loadAccount(f.tenant, a).orElseThrow().overdraft().minor();
    StoreState state = f.state(a);
    ReferenceModel.Outcome expected =
        ReferenceModel.charge(
            before,
            f.account(a).overdraftPolicy(),
            owed,
            req.charge().kind(),
            req.charge().itemCode(),
            req.charge().amount().minor(),
            now);
    ChargeResult result;
    try {
      result = f.credits().charge(req);
    } catch (InsufficientCreditException e) {
      if (check == Check.ORDER_AND_SCOPE || check == Check.POLICY) {
        assertThat(expected.rejected()).as("the library refused a charge the model pays").isTrue();
        assertThat(f.state(a)).as("a refused charge writes nothing").isEqualTo(state);
      }
      return;
    }
    p.charges.add(req);
    p.results.add(result);
    if (check == Check.ORDER_AND_SCOPE || check == Check.POLICY) {
      assertThat(expected.rejected()).as("the library paid a charge the model refuses").isFalse();
      assertThat(result.fromOverdraft().minor()).isEqualTo(expected.fromOverdraft());
      assertThat(result.shortfall().minor()).isEqualTo(expected.shortfall());
    }
    if (check == Check.ORDER_AND_SCOPE) {
      List<ReferenceModel.Take> actual =
          result.allocations().stream()
              .map(x -> new ReferenceModel.Take(x.grant().value(), x.amount().minor()))
              .toList();
      assertThat(actual).as("grants pay in rule-2 order").isEqualTo(expected.takes());
      for (Allocation x : result.allocations()) {
        GrantBalance g =
            before.stream().filter(b -> b.grant().id().equals(x.grant())).findFirst().orElseThrow();
        assertThat(ReferenceModel.eligible(g, req.charge().kind(), req.charge().itemCode(), now))
            .as("grant %s may pay this charge (rule 3)", x.grant())
            .isTrue();
      }
    }
  }

  private static void verify(TckFixture f, AccountId a, Check check) {
    switch (check) {
      case CONSERVATION -> StoreLedgerChecks.assertConservation(f.store, f.tenant, a);
      case REPLAY -> StoreLedgerChecks.assertBalancesEqualReplay(f.store, f.tenant, a);
      case POLICY -> StoreLedgerChecks.assertWithinPolicy(f.store, f.tenant, a);
      default -> {}
    }
  }

  // ------------------------------------------------------------------ the properties

  @Property(tries = TRIES)
  void required_conservation(@ForAll("scenarios") Scenario s) {
    play(s, Check.CONSERVATION);
  }

  @Property(tries = TRIES)
  void required_balancesEqualLedgerReplay(@ForAll("scenarios") Scenario s) {
    play(s, Check.REPLAY);
  }

  @Property(tries = TRIES)
  void required_grantsPayInOrderAndOnlyInScope(@ForAll("scenarios") Scenario s) {
    play(s, Check.ORDER_AND_SCOPE);
  }

  @Property(tries = TRIES)
  void required_noOverdraftBeyondPolicy(@ForAll("scenarios") Scenario s) {
    play(s, Check.POLICY);
  }

  @Property(tries = TRIES)
  void required_exactlyOnceByIdempotencyKey(@ForAll("scenarios") Scenario s) {
    play(s, Check.EXACTLY_ONCE);
  }

  /** A bad request of one of many kinds, against an account with some history. */
  enum Bad {
    NEGATIVE_GRANT,
    ZERO_CHARGE,
    PRIORITY_TOO_LOW,
    PRIORITY_TOO_HIGH,
    EXPIRY_BEFORE_EFFECTIVE,
    EXPIRY_IN_THE_PAST,
    WRONG_UNIT_GRANT,
    WRONG_UNIT_CHARGE,
    OVERFLOWING_GRANT,
    PURCHASED_WITHOUT_COST,
    INSUFFICIENT_UNDER_REJECT
  }

  @Property(tries = TRIES)
  void required_badInputIsATypedErrorAndChangesNothing(
      @ForAll("scenarios") Scenario s, @ForAll Bad bad) {
    TckFixture f = new TckFixture(store());
    AccountId a = f.open("acct", OverdraftPolicy.reject());
    for (GrantTerms g : s.grants()) {
      grant(f, a, g);
    }
    if (bad == Bad.OVERFLOWING_GRANT) {
      // Fill the account to the last minor unit a long can count; one more must overflow.
      f.grant(a, Long.MAX_VALUE - f.credits().balance(f.tenant, a).total().minor());
    }
    StoreState before = f.state(a);
    Instant now = f.clock.instant();
    Class<? extends BillingException> expected =
        switch (bad) {
          case WRONG_UNIT_GRANT, WRONG_UNIT_CHARGE -> UnitMismatchException.class;
          case OVERFLOWING_GRANT -> AmountOverflowException.class;
          case INSUFFICIENT_UNDER_REJECT -> InsufficientCreditException.class;
          default -> InvalidRequestException.class;
        };
    assertThatThrownBy(
            () -> {
              switch (bad) {
                case NEGATIVE_GRANT -> f.grant(a, -5);
                case ZERO_CHARGE -> f.usage(a, 0);
                case PRIORITY_TOO_LOW -> f.grant(a, 5, b -> b.priority(0));
                case PRIORITY_TOO_HIGH -> f.grant(a, 5, b -> b.priority(101));
                case EXPIRY_BEFORE_EFFECTIVE ->
                    f.grant(
                        a,
                        5,
                        b ->
                            b.effectiveFrom(now.plus(Duration.ofDays(2)))
                                .expiresAt(now.plus(Duration.ofDays(1))));
                case EXPIRY_IN_THE_PAST -> f.grant(a, 5, b -> b.expiresAt(now.minusSeconds(1)));
                case WRONG_UNIT_GRANT ->
                    f.credits()
                        .grant(
                            GrantRequest.builder(f.tenant, a, Amount.ofMinor(USD, 5))
                                .idempotencyKey(f.nextKey())
                                .actor(TckFixture.ADMIN)
                                .reason("wrong unit")
                                .build());
                case WRONG_UNIT_CHARGE ->
                    f.credits()
                        .charge(
                            ChargeRequest.builder(
                                    f.tenant, a, Charge.usage("m1", Amount.ofMinor(USD, 5)))
                                .idempotencyKey(f.nextKey())
                                .actor(TckFixture.ADMIN)
                                .reason("wrong unit")
                                .build());
                case OVERFLOWING_GRANT -> f.grant(a, 1);
                case PURCHASED_WITHOUT_COST ->
                    f.grant(a, 5, b -> b.category(GrantCategory.PURCHASED));
                case INSUFFICIENT_UNDER_REJECT ->
                    f.usage(a, f.credits().balance(f.tenant, a).total().minor() + 1);
              }
            })
        .isInstanceOf(expected);
    assertThat(f.state(a)).as("%s changed nothing", bad).isEqualTo(before);
  }

  // ------------------------------------------------------------------ the credit lifecycle, raced

  /**
   * Tries of {@link #required_reservationLifecycleUnderConcurrencySpendsEveryCreditOnce}: each try
   * runs several threads, so fewer than {@link #TRIES}.
   */
  protected static final int CONCURRENT_TRIES = 300;

  /** One step of one thread in the lifecycle property. */
  sealed interface LifeOp {}

  /** Reserves {@code amount} of meter m1 for {@code ttlMinutes}. */
  record ReserveOp(long amount, int ttlMinutes) implements LifeOp {}

  /** Settles a reservation made so far with {@code percent} of what it holds. */
  record SettleOp(int index, int percent) implements LifeOp {}

  /** Releases a reservation made so far. */
  record ReleaseOp(int index) implements LifeOp {}

  /** Sends a settlement that went through again, unchanged. */
  record ResettleOp(int index) implements LifeOp {}

  /** Moves the shared clock on. */
  record TickOp(int minutes) implements LifeOp {}

  /** Runs the reservation sweep, or the grant sweep. */
  record SweepOp(boolean grants) implements LifeOp {}

  /** Charges meter m1 directly. */
  record SpendOp(long amount) implements LifeOp {}

  record Lifecycle(OverdraftPolicy policy, List<GrantTerms> grants, List<List<LifeOp>> threads) {}

  @Provide
  Arbitrary<Lifecycle> lifecycles() {
    Arbitrary<Long> amounts = BillingArbitraries.amounts(CREDIT, 3_000).map(Amount::minor);
    Arbitrary<Integer> index = Arbitraries.integers().between(0, 30);
    Arbitrary<LifeOp> ops =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(
                5,
                Combinators.combine(amounts, Arbitraries.integers().between(1, 120))
                    .as(ReserveOp::new)),
            net.jqwik.api.Tuple.of(
                4,
                Combinators.combine(
                        index,
                        Arbitraries.oneOf(
                            Arbitraries.of(0, 50, 100, 150),
                            Arbitraries.integers().between(0, 200)))
                    .as(SettleOp::new)),
            net.jqwik.api.Tuple.of(2, index.map(ReleaseOp::new)),
            net.jqwik.api.Tuple.of(1, index.map(ResettleOp::new)),
            net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(1, 180).map(TickOp::new)),
            net.jqwik.api.Tuple.of(2, Arbitraries.of(true, false).map(SweepOp::new)),
            net.jqwik.api.Tuple.of(2, amounts.map(SpendOp::new)));
    return Combinators.combine(
            BillingArbitraries.overdraftPolicies(CREDIT, 2_000),
            grantTerms().list().ofMinSize(1).ofMaxSize(6),
            ops.list().ofMinSize(1).ofMaxSize(12).list().ofMinSize(2).ofMaxSize(4))
        .as(Lifecycle::new);
  }

  /** What the threads of one try saw, shared between them. */
  private static final class Raced {
    final List<ReservationId> reservations = new CopyOnWriteArrayList<>();
    final List<SettleRequest> settled = new CopyOnWriteArrayList<>();
    final Map<ReservationId, Set<TransactionId>> settledBy = new ConcurrentHashMap<>();
    final Map<IdempotencyKey, TransactionId> byKey = new ConcurrentHashMap<>();
    final AtomicLong consumed = new AtomicLong();
  }

  private static <T> @Nullable T pick(List<T> list, int index) {
    return list.isEmpty() ? null : list.get(index % list.size());
  }

  private static void step(TckFixture f, AccountId a, Raced r, LifeOp op) {
    try {
      if (op instanceof ReserveOp o) {
        ReservationResult res =
            f.reservations()
                .reserve(
                    ReserveRequest.builder(f.tenant, a, Charge.usage("m1", credits(o.amount())))
                        .timeToLive(Duration.ofMinutes(o.ttlMinutes()))
                        .idempotencyKey(f.nextKey())
                        .actor(TckFixture.ADMIN)
                        .reason("property reserve")
                        .build());
        r.reservations.add(res.reservation().id());
      } else if (op instanceof SettleOp o) {
        ReservationId id = pick(r.reservations, o.index());
        if (id != null) {
          long held = f.reservation(id).held().minor();
          SettleRequest req = f.settleRequest(id, held * o.percent() / 100);
          settled(r, req, f.reservations().settle(req));
          r.settled.add(req);
        }
      } else if (op instanceof ResettleOp o) {
        SettleRequest req = pick(r.settled, o.index());
        if (req != null) {
          SettlementResult again = f.reservations().settle(req);
          assertThat(again.replayed()).as("a settlement sent again is a replay").isTrue();
          assertThat(again.transaction().id()).isEqualTo(r.byKey.get(req.idempotencyKey()));
        }
      } else if (op instanceof ReleaseOp o) {
        ReservationId id = pick(r.reservations, o.index());
        if (id != null) {
          f.release(id);
        }
      } else if (op instanceof TickOp o) {
        f.clock.advance(Duration.ofMinutes(o.minutes()));
      } else if (op instanceof SweepOp o) {
        if (o.grants()) {
          f.billing.sweeps().expireGrants(f.tenant, TckFixture.ADMIN, false);
        } else {
          f.billing.sweeps().expireReservations(f.tenant, TckFixture.ADMIN, false);
        }
      } else if (op instanceof SpendOp o) {
        ChargeResult c = f.charge(a, ChargeKind.USAGE, "m1", o.amount());
        r.consumed.addAndGet(c.charged().minor());
      }
    } catch (InsufficientCreditException | ReservationNotActiveException expected) {
      // refused as the rules say: nothing was written
    }
  }

  private static void settled(Raced r, SettleRequest req, SettlementResult s) {
    r.settledBy
        .computeIfAbsent(req.reservation(), k -> ConcurrentHashMap.newKeySet())
        .add(s.transaction().id());
    r.byKey.put(req.idempotencyKey(), s.transaction().id());
    if (!s.replayed()) {
      r.consumed.addAndGet(s.charged().minor());
    }
  }

  /** Runs each list of steps on its own thread, all released together. */
  private static void runTogether(List<Runnable> threads) {
    ExecutorService pool = Executors.newFixedThreadPool(threads.size());
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> running = new ArrayList<>();
      for (Runnable t : threads) {
        running.add(
            pool.submit(
                () -> {
                  start.await();
                  t.run();
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> fu : running) {
        try {
          fu.get(2, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException re) {
            throw re;
          }
          if (e.getCause() instanceof Error err) {
            throw err;
          }
          throw new IllegalStateException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
          throw new IllegalStateException(e);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Random interleavings of reserve, settle (less, equal, more than held), release, settle again,
   * time passing, both sweeps and plain charges, from several threads on one account: the ledger
   * stays conserved with RESERVED equal to what the active reservations hold, no grant goes below
   * zero, every reservation is held once and resolved at most once (exactly once after its
   * time-to-live), every settlement sent twice is one, and what the API reported consumed is what
   * the ledger consumed: nothing spent twice, nothing lost.
   */
  @Property(tries = CONCURRENT_TRIES)
  void required_reservationLifecycleUnderConcurrencySpendsEveryCreditOnce(
      @ForAll("lifecycles") Lifecycle s) {
    TckFixture f = new TckFixture(store());
    AccountId a = f.open("acct", s.policy());
    for (GrantTerms g : s.grants()) {
      grant(f, a, g);
    }
    Raced r = new Raced();
    List<Runnable> threads = new ArrayList<>();
    for (List<LifeOp> ops : s.threads()) {
      threads.add(
          () -> {
            for (LifeOp op : ops) {
              step(f, a, r, op);
            }
          });
    }
    runTogether(threads);
    checkLifecycle(f, a, r);
    // Once every time-to-live has passed, every reservation has ended and nothing is held.
    f.clock.advance(Duration.ofDays(1));
    f.billing.sweeps().expireReservations(f.tenant, TckFixture.ADMIN, false);
    checkLifecycle(f, a, r);
    for (ReservationId id : r.reservations) {
      assertThat(f.reservation(id).state()).isNotEqualTo(ReservationState.ACTIVE);
    }
    assertThat(f.reserved(a)).isZero();
  }

  private static void checkLifecycle(TckFixture f, AccountId a, Raced r) {
    StoreLedgerChecks.assertConsistent(f.store, f.tenant, a);
    LedgerAccount reserved = LedgerAccount.counter(LedgerAccount.Kind.RESERVED);
    List<LedgerTransaction> ledger = f.store.transactions(f.tenant, a);
    long heldOnce = 0;
    long resolvedHeld = 0;
    long endedHolding = 0;
    Set<TransactionId> resolutions = new HashSet<>();
    for (ReservationId id : r.reservations) {
      Reservation res = f.reservation(id);
      heldOnce += res.held().minor();
      Set<TransactionId> settledBy = r.settledBy.get(id);
      if (res.state() == ReservationState.ACTIVE) {
        assertThat(settledBy).as("an active reservation was never settled").isNull();
        continue;
      }
      TransactionId end = res.resolution().orElseThrow();
      assertThat(resolutions.add(end)).as("one transaction resolves one reservation").isTrue();
      LedgerTransaction t = f.store.findTransaction(f.tenant, end).orElseThrow();
      assertThat(ledger).contains(t);
      assertThat(t.minorOn(reserved)).isEqualTo(-res.held().minor());
      resolvedHeld += res.held().minor();
      endedHolding += res.held().isPositive() ? 1 : 0;
      if (settledBy != null) {
        assertThat(res.state()).isEqualTo(ReservationState.SETTLED);
        assertThat(settledBy).as("every settlement of %s is the one", id).containsExactly(end);
      }
    }
    assertThat(
            ledger.stream()
                .filter(t -> t.minorOn(reserved) > 0)
                .mapToLong(t -> t.minorOn(reserved))
                .sum())
        .as("every reservation held once")
        .isEqualTo(heldOnce);
    assertThat(
            ledger.stream()
                .filter(t -> t.minorOn(reserved) < 0)
                .mapToLong(t -> -t.minorOn(reserved))
                .sum())
        .as("every ended reservation released its hold once")
        .isEqualTo(resolvedHeld);
    assertThat(ledger.stream().filter(t -> t.minorOn(reserved) < 0).count())
        .as("no resolution beyond one per ended reservation that held credit")
        .isEqualTo(endedHolding);
    long consumed =
        ledger.stream()
            .mapToLong(t -> t.minorOn(LedgerAccount.counter(LedgerAccount.Kind.CONSUMED)))
            .sum();
    assertThat(consumed)
        .as("what the API reported consumed is what the ledger consumed")
        .isEqualTo(r.consumed.get());
  }
}
