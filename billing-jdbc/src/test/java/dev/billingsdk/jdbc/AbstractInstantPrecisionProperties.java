package dev.billingsdk.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.AccessPolicy;
import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.BillingException;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.credit.Grant;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.GrantResult;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.credit.Reservation;
import dev.billingsdk.credit.ReservationResult;
import dev.billingsdk.credit.ReserveRequest;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.testkit.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Instants are kept to the microsecond before the library uses them, so a database store and the
 * in-memory store give the same answers: the same sequence of grants (with effective and expiry
 * instants closer than a microsecond and with nanosecond parts) and charges, read by a clock that
 * ticks in nanoseconds, and reservations whose time-to-live has a nanosecond part, is played on the
 * in-memory store and on the store under test, and every result, the order in which grants pay, and
 * every replay (the same idempotency key again) must be identical. Without the normalisation the
 * in-memory store orders two grants 300 ns apart one way while SQL (at microseconds) sees a tie,
 * and a replay read back from a database loses the nanoseconds the original result carried.
 *
 * <p>A subclass supplies the store under test; sequences (which the stores number differently) are
 * left out of the comparison, everything else is compared whole.
 */
abstract class AbstractInstantPrecisionProperties {
  static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 2);
  static final Actor ADMIN = Actor.of("instants-admin", Role.ADMIN);

  /** A whole second; every instant of a scenario is this plus some nanoseconds. */
  static final Instant BASE = Instant.parse("2026-03-01T10:00:00Z");

  /** Where the expiries cluster: an hour after {@link #BASE}. */
  static final Instant EXPIRY = BASE.plus(Duration.ofHours(1));

  /** The store under test; shared by the tries, each of which uses a fresh tenant. */
  abstract BillingStore store();

  // ------------------------------------------------------------------ the generated world

  sealed interface Op {}

  /** A grant effective at BASE + effectiveNanos, expiring at EXPIRY + expiryNanos if present. */
  record GrantOp(int priority, long minor, long effectiveNanos, Optional<Long> expiryNanos)
      implements Op {}

  record ChargeOp(long minor) implements Op {}

  /** Holds credit for a few microseconds and nanoseconds (a time-to-live of ttlNanos). */
  record ReserveOp(long minor, long ttlNanos) implements Op {}

  /** The clock moves forward by a few nanoseconds. */
  record TickOp(long nanos) implements Op {}

  /** The clock moves to EXPIRY + nanos (if that is later): expiries sub-microseconds apart. */
  record ToExpiryOp(long nanos) implements Op {}

  record Scenario(long clockStartNanos, List<Op> ops) {}

  @Provide
  Arbitrary<Scenario> scenarios() {
    // Few distinct values, so that instants often fall within one microsecond of each other.
    Arbitrary<Long> nearBase = Arbitraries.longs().between(-3_000, 3_000);
    Arbitrary<Long> nearExpiry = Arbitraries.longs().between(0, 3_000);
    Arbitrary<Op> grant =
        Combinators.combine(
                Arbitraries.integers().between(1, 2),
                Arbitraries.longs().between(1, 40),
                nearBase,
                nearExpiry.optional(0.8))
            .as(GrantOp::new);
    Arbitrary<Op> charge = Arbitraries.longs().between(1, 60).map(ChargeOp::new);
    Arbitrary<Op> reserve =
        Combinators.combine(
                Arbitraries.longs().between(1, 30), Arbitraries.longs().between(1_000, 4_000))
            .as(ReserveOp::new);
    Arbitrary<Op> tick = Arbitraries.longs().between(1, 1_500).map(TickOp::new);
    Arbitrary<Op> toExpiry = nearExpiry.map(ToExpiryOp::new);
    Arbitrary<Op> op =
        Arbitraries.frequencyOf(
            Tuple.of(5, grant),
            Tuple.of(5, charge),
            Tuple.of(2, reserve),
            Tuple.of(3, tick),
            Tuple.of(1, toExpiry));
    return Combinators.combine(
            Arbitraries.longs().between(-2_000, 2_000), op.list().ofMinSize(2).ofMaxSize(16))
        .as(Scenario::new);
  }

  // ------------------------------------------------------------------ playing a scenario

  /** What one operation answered, with store-numbered sequences left out. */
  sealed interface Outcome {}

  record Granted(Grant grant, LedgerTransaction transaction) implements Outcome {}

  record Charged(
      LedgerTransaction transaction,
      Amount requested,
      Amount charged,
      List<dev.billingsdk.credit.Allocation> allocations,
      Amount fromOverdraft,
      Amount shortfall)
      implements Outcome {}

  record Reserved(
      Reservation reservation,
      LedgerTransaction transaction,
      List<dev.billingsdk.credit.Allocation> allocations,
      Amount fromOverdraft)
      implements Outcome {}

  /** A refusal: its type and the field it names, if any. */
  record Refused(String type, String field) implements Outcome {}

  /**
   * A played scenario: each operation's outcome, each charge that was paid, and its replay (the
   * same request again once every operation has run).
   */
  record Played(List<Outcome> outcomes, List<Outcome> charged, List<Outcome> replays) {

    /** Which grants paid each paid charge, in the order they paid, and how much. */
    List<List<String>> grantOrder() {
      return charged.stream()
          .map(
              c ->
                  ((Charged) c)
                      .allocations().stream()
                          .map(a -> a.grant().value() + "=" + a.amount().minor())
                          .toList())
          .toList();
    }
  }

  static Played play(BillingStore store, TenantId tenant, Scenario s) {
    TestClock clock = new TestClock(BASE.plusNanos(s.clockStartNanos()));
    AtomicLong ids = new AtomicLong();
    Billing billing =
        Billing.builder()
            .store(store)
            .clock(clock)
            // The same ids on both stores, unique per tenant (tables are shared across tries).
            .ids(prefix -> prefix + tenant.value() + "-" + ids.incrementAndGet())
            .accessPolicy(AccessPolicy.allowAll())
            .build();
    AccountId account = AccountId.of("acct");
    billing
        .credits()
        .openAccount(
            OpenAccountRequest.builder(tenant, account, CREDIT)
                .actor(ADMIN)
                .overdraftPolicy(OverdraftPolicy.reject())
                .build());
    List<Outcome> outcomes = new ArrayList<>();
    List<ChargeRequest> charges = new ArrayList<>();
    List<Outcome> charged = new ArrayList<>();
    int key = 0;
    for (Op op : s.ops()) {
      if (op instanceof TickOp t) {
        clock.advance(Duration.ofNanos(t.nanos()));
      } else if (op instanceof ToExpiryOp e) {
        Instant to = EXPIRY.plusNanos(e.nanos());
        if (to.isAfter(clock.instant())) {
          clock.set(to);
        }
      } else if (op instanceof GrantOp g) {
        GrantRequest.Builder b =
            GrantRequest.builder(tenant, account, Amount.ofMinor(CREDIT, g.minor()))
                .priority(g.priority())
                .effectiveFrom(BASE.plusNanos(g.effectiveNanos()))
                .idempotencyKey(IdempotencyKey.of("k-" + ++key))
                .actor(ADMIN)
                .reason("instants grant");
        g.expiryNanos().ifPresent(n -> b.expiresAt(EXPIRY.plusNanos(n)));
        outcomes.add(granted(billing, b));
      } else if (op instanceof ReserveOp r) {
        ReserveRequest request =
            ReserveRequest.builder(
                    tenant,
                    account,
                    Charge.of(ChargeKind.USAGE, "tokens", Amount.ofMinor(CREDIT, r.minor())))
                .timeToLive(Duration.ofNanos(r.ttlNanos()))
                .idempotencyKey(IdempotencyKey.of("k-" + ++key))
                .actor(ADMIN)
                .reason("instants hold")
                .build();
        outcomes.add(reserved(billing, request));
      } else if (op instanceof ChargeOp c) {
        ChargeRequest request =
            ChargeRequest.builder(
                    tenant,
                    account,
                    Charge.of(ChargeKind.USAGE, "tokens", Amount.ofMinor(CREDIT, c.minor())))
                .idempotencyKey(IdempotencyKey.of("k-" + ++key))
                .actor(ADMIN)
                .reason("instants charge")
                .build();
        Outcome outcome = charged(billing, request, false);
        outcomes.add(outcome);
        if (outcome instanceof Charged) {
          charges.add(request);
          charged.add(outcome);
        }
      }
    }
    // Replays come last, the clock moved on: each is read back from the store.
    List<Outcome> replays = new ArrayList<>();
    for (ChargeRequest request : charges) {
      replays.add(charged(billing, request, true));
    }
    return new Played(outcomes, charged, replays);
  }

  private static Outcome granted(Billing billing, GrantRequest.Builder b) {
    try {
      GrantResult r = billing.credits().grant(b.build());
      return new Granted(unsequenced(r.grant()), unsequenced(r.transaction()));
    } catch (InvalidRequestException e) {
      return new Refused(e.getClass().getSimpleName(), e.field());
    }
  }

  private static Outcome reserved(Billing billing, ReserveRequest request) {
    try {
      ReservationResult r = billing.reservations().reserve(request);
      Reservation held = r.reservation();
      return new Reserved(
          new Reservation(
              held.id(),
              held.tenant(),
              held.account(),
              held.kind(),
              held.itemCode(),
              held.held(),
              held.hold(),
              held.createdAt(),
              held.expiresAt(),
              held.state(),
              held.resolution(),
              0),
          unsequenced(r.transaction()),
          r.allocations(),
          r.fromOverdraft());
    } catch (BillingException e) {
      return new Refused(e.getClass().getSimpleName(), "");
    }
  }

  private static Outcome charged(Billing billing, ChargeRequest request, boolean replay) {
    try {
      ChargeResult r = billing.credits().charge(request);
      assertThat(r.replayed()).as("replayed").isEqualTo(replay);
      return new Charged(
          unsequenced(r.transaction()),
          r.requested(),
          r.charged(),
          r.allocations(),
          r.fromOverdraft(),
          r.shortfall());
    } catch (BillingException e) {
      return new Refused(e.getClass().getSimpleName(), "");
    }
  }

  static Grant unsequenced(Grant g) {
    return new Grant(
        g.id(),
        g.tenant(),
        g.account(),
        g.name(),
        g.category(),
        g.priority(),
        g.amount(),
        g.effectiveFrom(),
        g.expiresAt(),
        g.scope(),
        g.costBasis(),
        g.metadata(),
        g.createdBy(),
        g.createdAt(),
        0);
  }

  static LedgerTransaction unsequenced(LedgerTransaction t) {
    return new LedgerTransaction(
        t.id(),
        t.tenant(),
        t.account(),
        t.type(),
        t.idempotencyKey(),
        t.fingerprint(),
        t.actor(),
        t.reason(),
        t.recordedAt(),
        t.effectiveAt(),
        t.postings(),
        t.references(),
        0);
  }

  /** Plays {@code s} on a fresh in-memory store and on the store under test. */
  void assertSameOnBothStores(Scenario s) {
    TenantId tenant = TenantId.of("instants-" + UUID.randomUUID());
    Played memory = play(InMemoryBillingStore.create(), tenant, s);
    Played database = play(store(), tenant, s);
    assertThat(database.grantOrder())
        .as("the grants that pay each charge, in order, as in memory")
        .isEqualTo(memory.grantOrder());
    assertThat(database.outcomes())
        .as("every result as the in-memory store has it")
        .isEqualTo(memory.outcomes());
    assertThat(memory.replays())
        .as("each replay equals its original, in memory")
        .isEqualTo(memory.charged());
    assertThat(database.replays())
        .as("each replay, read back from the database, equals its original")
        .isEqualTo(database.charged());
  }

  // ------------------------------------------------------------------ the property

  @Property(tries = 250)
  void sameResultsAndReplaysOnEveryStore(@ForAll("scenarios") Scenario s) {
    assertSameOnBothStores(s);
  }

  // ------------------------------------------------------------------ the cases that bite

  /**
   * Two grants whose expiries are 300 ns apart, the later-created one expiring "first": at the
   * microsecond they tie, so they pay in creation order on every store.
   */
  @Example
  void expiriesWithinOneMicrosecondTieOnEveryStore() {
    Scenario s =
        new Scenario(
            0,
            List.of(
                new GrantOp(1, 10, 0, Optional.of(700L)),
                new GrantOp(1, 10, 0, Optional.of(400L)),
                new ChargeOp(15)));
    assertSameOnBothStores(s);
    Played played = play(store(), TenantId.of("instants-" + UUID.randomUUID()), s);
    Granted first = (Granted) played.outcomes().get(0);
    Granted second = (Granted) played.outcomes().get(1);
    assertThat(first.grant().expiresAt()).contains(EXPIRY);
    assertThat(second.grant().expiresAt()).contains(EXPIRY);
    Charged charge = (Charged) played.outcomes().get(2);
    assertThat(charge.allocations())
        .extracting(a -> a.grant())
        .containsExactly(first.grant().id(), second.grant().id());
  }

  /**
   * A grant effective 400 ns after the clock's microsecond is effective at once: both are that
   * microsecond.
   */
  @Example
  void effectiveWithinTheClocksMicrosecondPaysOnEveryStore() {
    Scenario s =
        new Scenario(100, List.of(new GrantOp(1, 10, 400, Optional.empty()), new ChargeOp(5)));
    assertSameOnBothStores(s);
    Played played = play(store(), TenantId.of("instants-" + UUID.randomUUID()), s);
    assertThat(played.outcomes().get(1)).isInstanceOf(Charged.class);
  }

  /**
   * The clock 300 ns before a grant's expiry, both in one microsecond: the grant has expired (its
   * expiry is exclusive), on every store.
   */
  @Example
  void expiryWithinTheClocksMicrosecondHasPassedOnEveryStore() {
    Scenario s =
        new Scenario(
            0,
            List.of(
                new GrantOp(1, 10, 0, Optional.of(900L)), new ToExpiryOp(600), new ChargeOp(5)));
    assertSameOnBothStores(s);
    Played played = play(store(), TenantId.of("instants-" + UUID.randomUUID()), s);
    assertThat(played.outcomes().get(1)).isEqualTo(new Refused("InsufficientCreditException", ""));
  }

  /** A charge read by a nanosecond clock is recorded at the microsecond, and replays equal. */
  @Example
  void aResultDatedByANanosecondClockReplaysEqual() {
    Scenario s =
        new Scenario(
            1_999,
            List.of(new GrantOp(1, 10, 0, Optional.empty()), new TickOp(777), new ChargeOp(5)));
    assertSameOnBothStores(s);
    Played played = play(store(), TenantId.of("instants-" + UUID.randomUUID()), s);
    Charged charge = (Charged) played.outcomes().get(1);
    assertThat(charge.transaction().recordedAt()).isEqualTo(BASE.plusNanos(2_000));
    assertThat(played.replays()).containsExactly(charge);
  }
}
