package dev.billingsdk.lifecycle;

import static dev.billingsdk.lifecycle.LifecycleStory.ACME;
import static dev.billingsdk.lifecycle.LifecycleStory.LAB;
import static dev.billingsdk.lifecycle.LifecycleStory.LLM;
import static dev.billingsdk.lifecycle.LifecycleStory.SWEEPER;
import static dev.billingsdk.lifecycle.LifecycleStory.T0;
import static dev.billingsdk.lifecycle.LifecycleStory.credits;
import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.GrantId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.credit.AccountBalance;
import dev.billingsdk.credit.Allocation;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeQuote;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.credit.DeductRequest;
import dev.billingsdk.credit.DeductResult;
import dev.billingsdk.credit.Grant;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.GrantResult;
import dev.billingsdk.credit.InsufficientCreditException;
import dev.billingsdk.credit.LowBalanceAlert;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.credit.Reservation;
import dev.billingsdk.credit.ReservationId;
import dev.billingsdk.credit.ReservationNotActiveException;
import dev.billingsdk.credit.ReservationResult;
import dev.billingsdk.credit.ReservationState;
import dev.billingsdk.credit.Restoration;
import dev.billingsdk.credit.ReversalLimitExceededException;
import dev.billingsdk.credit.ReversalResult;
import dev.billingsdk.credit.Scope;
import dev.billingsdk.credit.SettlementResult;
import dev.billingsdk.credit.SweepItem;
import dev.billingsdk.credit.SweepResult;
import dev.billingsdk.credit.VoidResult;
import dev.billingsdk.event.BalanceBelowThreshold;
import dev.billingsdk.event.BalanceRecovered;
import dev.billingsdk.event.BillingEvent;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.money.Amount;
import dev.billingsdk.spi.AccountSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * The lifecycle's rules under random sequences of grants, charges, reservations (settled for a
 * random actual amount, released, or left to expire), clock moves, reversals, voids, deductions by
 * category, sweeps and reads, on one account under a random overdraft policy. After every step: the
 * ledger replays to the library's balances, conservation holds, no grant is negative or above its
 * amount, a void grant holds nothing, the overdraft stays within its policy, no debit is reversed
 * beyond what it charged, and no reservation is resolved twice. A dry-run sweep always previews
 * exactly what the real one then posts.
 */
class LifecyclePropertiesTest {
  static final String OTHER_METER = "embeddings";
  static final LedgerAccount CONSUMED = LedgerAccount.counter(LedgerAccount.Kind.CONSUMED);
  static final String EXPIRY_ACTOR = "billing-reservation-expiry";

  // ------------------------------------------------------------------ the steps

  sealed interface Step {}

  /**
   * A grant; {@code expiresInMinutes} 0 means no expiry; {@code llmOnly} scopes it to LLM; {@code
   * purchased} makes it a PURCHASED grant instead of a PROMOTIONAL one.
   */
  record GrantStep(
      long amount, int priority, int expiresInMinutes, boolean llmOnly, boolean purchased)
      implements Step {}

  /** Deducts {@code amount} from the PURCHASED or the PROMOTIONAL grants. */
  record DeductStep(boolean purchased, long amount) implements Step {}

  record ChargeStep(boolean llm, long amount) implements Step {}

  /** Quotes a charge, then makes it: the quote must have said exactly what the charge did. */
  record QuoteThenChargeStep(boolean llm, long amount) implements Step {}

  record ReserveStep(long amount, int ttlSeconds) implements Step {}

  /** Settles the {@code pick}th reservation; {@code retry} sends the same request again. */
  record SettleStep(int pick, long actual, boolean retry) implements Step {}

  record ReleaseStep(int pick) implements Step {}

  record AdvanceStep(int seconds) implements Step {}

  /** Reverses the {@code pick}th debit; {@code amount} 0 reverses all that is left. */
  record ReverseStep(int pick, long amount) implements Step {}

  record VoidStep(int pick) implements Step {}

  record SweepGrantsStep() implements Step {}

  record SweepReservationsStep() implements Step {}

  record ReadStep() implements Step {}

  @Provide
  Arbitrary<OverdraftPolicy> policies() {
    return Arbitraries.oneOf(
        Arbitraries.just(OverdraftPolicy.reject()),
        Arbitraries.just(OverdraftPolicy.partial()),
        Arbitraries.longs().between(1, 300).map(n -> OverdraftPolicy.allowDownTo(credits(n))));
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<Integer> pick = Arbitraries.integers().between(0, 1000);
    Arbitrary<Step> grant =
        Combinators.combine(
                Arbitraries.longs().between(1, 500),
                Arbitraries.integers().between(1, 100),
                Arbitraries.integers().between(0, 240),
                Arbitraries.of(false, false, true),
                Arbitraries.of(false, true))
            .as(GrantStep::new);
    Arbitrary<Step> deduct =
        Combinators.combine(Arbitraries.of(false, true), Arbitraries.longs().between(1, 400))
            .as(DeductStep::new);
    Arbitrary<Step> charge =
        Combinators.combine(Arbitraries.of(true, true, false), Arbitraries.longs().between(1, 400))
            .as(ChargeStep::new);
    Arbitrary<Step> quoted =
        Combinators.combine(Arbitraries.of(true, false), Arbitraries.longs().between(1, 400))
            .as(QuoteThenChargeStep::new);
    Arbitrary<Step> reserve =
        Combinators.combine(
                Arbitraries.longs().between(1, 400), Arbitraries.integers().between(1, 3600))
            .as(ReserveStep::new);
    Arbitrary<Step> settle =
        Combinators.combine(
                pick, Arbitraries.longs().between(0, 500), Arbitraries.of(false, false, true))
            .as(SettleStep::new);
    Arbitrary<Step> release = pick.map(ReleaseStep::new);
    Arbitrary<Step> advance = Arbitraries.integers().between(1, 7200).map(AdvanceStep::new);
    Arbitrary<Step> reverse =
        Combinators.combine(pick, Arbitraries.longs().between(0, 400)).as(ReverseStep::new);
    Arbitrary<Step> voids = pick.map(VoidStep::new);
    Arbitrary<Step> sweepGrants = Arbitraries.just(new SweepGrantsStep());
    Arbitrary<Step> sweepReservations = Arbitraries.just(new SweepReservationsStep());
    Arbitrary<Step> read = Arbitraries.just(new ReadStep());
    @SuppressWarnings("unchecked")
    Arbitrary<Step> step =
        Arbitraries.frequencyOf(
            Tuple.of(4, grant),
            Tuple.of(4, charge),
            Tuple.of(2, quoted),
            Tuple.of(5, reserve),
            Tuple.of(4, settle),
            Tuple.of(2, release),
            Tuple.of(3, advance),
            Tuple.of(3, reverse),
            Tuple.of(1, voids),
            Tuple.of(2, deduct),
            Tuple.of(1, sweepGrants),
            Tuple.of(1, sweepReservations),
            Tuple.of(2, read));
    return step.list().ofMinSize(1).ofMaxSize(30);
  }

  // ------------------------------------------------------------------ the property

  /** What the property remembers of what it did. */
  static final class Model {
    final OverdraftPolicy policy;
    final List<GrantId> grants = new ArrayList<>();
    final List<ReservationId> reservations = new ArrayList<>();
    final List<TransactionId> debits = new ArrayList<>();
    final Map<TransactionId, Long> reversedOf = new HashMap<>();
    long consumed;

    Model(OverdraftPolicy policy) {
      this.policy = policy;
    }

    <T> T pick(List<T> list, int pick) {
      return list.get(pick % list.size());
    }
  }

  @Property(tries = 1000)
  void every_step_of_a_random_lifecycle_keeps_the_ledger_rules(
      @ForAll("policies") OverdraftPolicy policy, @ForAll("steps") List<Step> steps) {
    LifecycleStory world = new LifecycleStory();
    world.start();
    world.openAccount(policy);
    Model model = new Model(policy);
    check(world, model);
    for (Step step : steps) {
      apply(world, model, step);
      check(world, model);
    }
    // In the end, a read after every time-to-live releases every reservation.
    world.clock.advance(Duration.ofHours(2));
    AccountBalance end = world.balance();
    assertThat(end.reserved()).isEqualTo(credits(0));
    world.assertReplayMatches(end);
    check(world, model);
  }

  /**
   * An independent model of the low-balance alert: replays the ledger transaction by transaction,
   * computes the spendable balance after each (unexpired, effective, unvoided grants minus what is
   * owed, at the instant it was recorded) and runs the alert's state machine on it.
   */
  static final class AlertModel {
    final LowBalanceAlert alert;
    boolean below;
    int seen;
    final Map<String, Long> byGrant = new HashMap<>();
    final Set<String> voided = new HashSet<>();
    long overdraft;
    final List<List<Object>> expected = new ArrayList<>();

    AlertModel(LowBalanceAlert alert) {
      this.alert = alert;
    }

    void follow(LifecycleStory w) {
      List<LedgerTransaction> ledger = w.ledger();
      Map<String, Grant> grants = new HashMap<>();
      for (GrantBalance g : w.billing.credits().grants(ACME, LAB)) {
        grants.put(g.grant().id().value(), g.grant());
      }
      for (LedgerTransaction t : ledger.subList(seen, ledger.size())) {
        for (var p : t.postings()) {
          if (p.account().isGrant()) {
            byGrant.merge(p.account().grantId(), p.amount().minor(), Long::sum);
          } else if (p.account().kind() == LedgerAccount.Kind.OVERDRAFT) {
            overdraft += p.amount().minor();
          }
        }
        if (t.type() == TransactionType.VOID) {
          voided.add(t.references().get("billing.grant"));
        }
        long spendable = overdraft;
        for (Map.Entry<String, Long> g : byGrant.entrySet()) {
          if (!voided.contains(g.getKey())
              && g.getValue() > 0
              && grants.get(g.getKey()).isActiveAt(t.recordedAt())) {
            spendable += g.getValue();
          }
        }
        if (!below && spendable < alert.threshold().minor()) {
          below = true;
          expected.add(List.of("BalanceBelowThreshold", t.id(), spendable));
        } else if (below && spendable >= alert.rearmAt().minor()) {
          below = false;
          expected.add(List.of("BalanceRecovered", t.id(), spendable));
        }
      }
      seen = ledger.size();
    }

    static List<List<Object>> heard(LifecycleStory w) {
      List<List<Object>> out = new ArrayList<>();
      synchronized (w.heard) {
        for (BillingEvent e : w.heard) {
          if (e instanceof BalanceBelowThreshold b) {
            out.add(List.of("BalanceBelowThreshold", b.transaction(), b.balance().minor()));
          } else if (e instanceof BalanceRecovered r) {
            out.add(List.of("BalanceRecovered", r.transaction(), r.balance().minor()));
          }
        }
      }
      return out;
    }
  }

  @Property(tries = 1000)
  void the_low_balance_alert_fires_exactly_at_the_crossings_a_ledger_replay_finds(
      @ForAll("policies") OverdraftPolicy policy,
      @ForAll("steps") List<Step> steps,
      @ForAll @LongRange(min = 0, max = 600) long threshold,
      @ForAll @LongRange(min = 0, max = 300) long hysteresis) {
    LifecycleStory world = new LifecycleStory();
    world.start();
    world.openAccount(policy);
    LowBalanceAlert alert =
        new LowBalanceAlert(credits(threshold), credits(threshold + hysteresis));
    world
        .billing
        .credits()
        .configureLowBalanceAlert(ACME, LAB, Optional.of(alert), LifecycleStory.FINANCE);
    AlertModel model = new AlertModel(alert);
    Model m = new Model(policy);
    for (Step step : steps) {
      apply(world, m, step);
      model.follow(world);
      assertThat(AlertModel.heard(world)).as("after %s", step).isEqualTo(model.expected);
    }
    synchronized (world.heard) {
      assertThat(world.heard).extracting(BillingEvent::id).doesNotHaveDuplicates();
      List<BillingEvent> relayed = new ArrayList<>();
      world.billing.outbox().deliver(relayed::add, 100_000);
      assertThat(relayed).containsExactlyElementsOf(world.heard);
    }
  }

  void apply(LifecycleStory w, Model m, Step step) {
    List<LedgerTransaction> before = w.ledger();
    try {
      if (step instanceof GrantStep g) {
        grant(w, m, g);
      } else if (step instanceof ChargeStep c) {
        charge(w, m, c);
      } else if (step instanceof QuoteThenChargeStep q) {
        quoteThenCharge(w, m, q);
      } else if (step instanceof ReserveStep r) {
        reserve(w, m, r);
      } else if (step instanceof SettleStep s) {
        settle(w, m, s);
      } else if (step instanceof ReleaseStep r) {
        release(w, m, r);
      } else if (step instanceof AdvanceStep a) {
        w.clock.advance(Duration.ofSeconds(a.seconds()));
      } else if (step instanceof ReverseStep r) {
        reverse(w, m, r);
      } else if (step instanceof VoidStep v) {
        voidGrant(w, m, v);
      } else if (step instanceof DeductStep d) {
        deduct(w, d);
      } else if (step instanceof SweepGrantsStep) {
        sweepGrants(w);
      } else if (step instanceof SweepReservationsStep) {
        sweepReservations(w);
      } else {
        read(w);
      }
    } catch (InsufficientCreditException
        | ReservationNotActiveException
        | ReversalLimitExceededException e) {
      assertNothingWrittenBut(w, before, "after " + step + ": " + e);
    } catch (InvalidRequestException e) {
      // Only "nothing left to reverse" is an expected refusal of a well-formed request.
      assertThat(step).isInstanceOf(ReverseStep.class);
      assertThat(e.field()).isEqualTo("original");
      assertNothingWrittenBut(w, before, "after " + step + ": " + e);
    }
  }

  /**
   * A refused request writes nothing of its own; the only thing it may have written is the lazy
   * expiry of reservations past their time-to-live, which every write does first.
   */
  static void assertNothingWrittenBut(
      LifecycleStory w, List<LedgerTransaction> before, String why) {
    List<LedgerTransaction> after = w.ledger();
    assertThat(after.subList(0, before.size())).as(why).isEqualTo(before);
    assertThat(after.subList(before.size(), after.size()))
        .as(why)
        .allSatisfy(
            t -> {
              assertThat(t.type()).isEqualTo(TransactionType.RELEASE);
              assertThat(t.actor().id()).isEqualTo(EXPIRY_ACTOR);
            });
  }

  void grant(LifecycleStory w, Model m, GrantStep g) {
    GrantRequest.Builder request =
        (g.purchased() ? w.purchased(g.amount()) : w.promo(g.amount())).priority(g.priority());
    if (g.expiresInMinutes() > 0) {
      request.expiresAt(w.clock.instant().plus(Duration.ofMinutes(g.expiresInMinutes())));
    }
    if (g.llmOnly()) {
      request.scope(Scope.meters(LLM));
    }
    GrantResult result = w.grant(request);
    m.grants.add(result.grant().id());
  }

  void charge(LifecycleStory w, Model m, ChargeStep c) {
    Charge charge = Charge.usage(c.llm() ? LLM : OTHER_METER, credits(c.amount()));
    ChargeResult r = w.charge(w.key("charge"), charge);
    assertThat(r.charged().plus(r.shortfall())).isEqualTo(charge.amount());
    long allocated = r.allocations().stream().mapToLong(a -> a.amount().minor()).sum();
    assertThat(allocated + r.fromOverdraft().minor()).isEqualTo(r.charged().minor());
    if (!(m.policy instanceof OverdraftPolicy.Partial)) {
      assertThat(r.shortfall()).isEqualTo(credits(0));
    }
    m.consumed += r.charged().minor();
    if (r.charged().isPositive()) {
      m.debits.add(r.transaction().id());
    }
  }

  void quoteThenCharge(LifecycleStory w, Model m, QuoteThenChargeStep q) {
    Charge charge = Charge.usage(q.llm() ? LLM : OTHER_METER, credits(q.amount()));
    List<LedgerTransaction> before = w.ledger();
    ChargeQuote quote = w.billing.credits().quote(ACME, LAB, charge);
    assertNothingWrittenBut(w, before, "a quote charges nothing");
    if (quote.wouldBeRejected()) {
      List<LedgerTransaction> quoted = w.ledger();
      try {
        w.charge(w.key("charge"), charge);
      } catch (InsufficientCreditException refused) {
        assertThat(w.ledger()).isEqualTo(quoted);
        return;
      }
      throw new AssertionError("the quote said " + charge + " would be refused, but it was paid");
    }
    ChargeResult r = w.charge(w.key("charge"), charge);
    assertThat(r.allocations()).as("as quoted").isEqualTo(quote.allocations());
    assertThat(r.fromOverdraft()).isEqualTo(quote.fromOverdraft());
    assertThat(r.shortfall()).isEqualTo(quote.shortfall());
    m.consumed += r.charged().minor();
    if (r.charged().isPositive()) {
      m.debits.add(r.transaction().id());
    }
  }

  void reserve(LifecycleStory w, Model m, ReserveStep r) {
    ReservationResult result = w.reserve(r.amount(), Duration.ofSeconds(r.ttlSeconds()));
    Reservation res = result.reservation();
    assertThat(res.state()).isEqualTo(ReservationState.ACTIVE);
    long allocated = result.allocations().stream().mapToLong(a -> a.amount().minor()).sum();
    assertThat(allocated + result.fromOverdraft().minor()).isEqualTo(res.held().minor());
    if (m.policy instanceof OverdraftPolicy.Partial) {
      assertThat(res.held().minor()).isBetween(0L, r.amount());
    } else {
      assertThat(res.held()).isEqualTo(credits(r.amount()));
    }
    assertThat(result.allocations()).extracting(Allocation::grant).doesNotHaveDuplicates();
    m.reservations.add(res.id());
  }

  void settle(LifecycleStory w, Model m, SettleStep s) {
    if (m.reservations.isEmpty()) {
      return;
    }
    ReservationId id = m.pick(m.reservations, s.pick());
    boolean wasSettled = w.stored(id).state() == ReservationState.SETTLED;
    String key = w.key("settle");
    SettlementResult r = w.settle(key, id, s.actual());
    assertThat(r.actual()).isEqualTo(credits(s.actual()));
    assertThat(r.charged().plus(r.shortfall())).isEqualTo(r.actual());
    assertThat(r.released())
        .isEqualTo(credits(r.held().minor() - Math.min(s.actual(), r.held().minor())));
    assertThat(r.reservation().state()).isEqualTo(ReservationState.SETTLED);
    assertThat(r.replayed()).isEqualTo(wasSettled);
    if (!r.replayed()) {
      m.consumed += r.charged().minor();
      if (r.charged().isPositive()) {
        m.debits.add(r.transaction().id());
      }
    }
    if (s.retry()) {
      SettlementResult again = w.settle(key, id, s.actual());
      assertThat(again.replayed()).isTrue();
      assertThat(again.transaction()).isEqualTo(r.transaction());
      assertThat(again.charged()).isEqualTo(r.charged());
    }
  }

  void release(LifecycleStory w, Model m, ReleaseStep s) {
    if (m.reservations.isEmpty()) {
      return;
    }
    ReservationId id = m.pick(m.reservations, s.pick());
    boolean wasFinal = w.stored(id).state() != ReservationState.ACTIVE;
    ReservationResult r = w.release(w.key("release"), id);
    assertThat(r.replayed())
        .isEqualTo(wasFinal || r.reservation().state() == ReservationState.EXPIRED);
    assertThat(r.reservation().state()).isIn(ReservationState.RELEASED, ReservationState.EXPIRED);
  }

  void reverse(LifecycleStory w, Model m, ReverseStep s) {
    if (m.debits.isEmpty()) {
      return;
    }
    TransactionId debit = m.pick(m.debits, s.pick());
    ReversalResult r = s.amount() == 0 ? w.reverseAll(debit) : w.reverse(debit, s.amount());
    assertThat(r.replayed()).isFalse();
    assertThat(r.transaction().corrects()).contains(debit);
    long restored = r.restorations().stream().mapToLong(x -> x.restored().minor()).sum();
    assertThat(restored).as("every reversed credit lands somewhere").isEqualTo(r.amount().minor());
    for (Restoration x : r.restorations()) {
      assertThat(x.expiredAtOnce().plus(x.voidedAtOnce())).isLessThanOrEqualTo(x.restored());
    }
    m.consumed -= r.amount().minor();
    long reversed = m.reversedOf.merge(debit, r.amount().minor(), Long::sum);
    long charged = w.billing.ledger().find(ACME, debit).orElseThrow().minorOn(CONSUMED);
    assertThat(r.remaining()).isEqualTo(credits(charged - reversed));
  }

  void voidGrant(LifecycleStory w, Model m, VoidStep v) {
    if (m.grants.isEmpty()) {
      return;
    }
    GrantId id = m.pick(m.grants, v.pick());
    boolean wasVoid = w.grantBalance(id).voided();
    VoidResult r = w.voidGrant(w.key("void"), id);
    assertThat(r.replayed()).isEqualTo(wasVoid);
    assertThat(w.grantBalance(id).voided()).isTrue();
  }

  /**
   * A deduction takes exactly its amount from its category's available credit and from nothing
   * else, or, when the category holds less, is refused (and {@link #apply} checks that nothing was
   * written).
   */
  void deduct(LifecycleStory w, DeductStep d) {
    GrantCategory category = d.purchased() ? GrantCategory.PURCHASED : GrantCategory.PROMOTIONAL;
    GrantCategory other = d.purchased() ? GrantCategory.PROMOTIONAL : GrantCategory.PURCHASED;
    AccountBalance before = w.balance();
    Amount had = before.availableByCategory().getOrDefault(category, credits(0));
    DeductResult r;
    try {
      r =
          w.billing
              .credits()
              .deduct(
                  DeductRequest.builder(ACME, LAB, category, credits(d.amount()))
                      .idempotencyKey(IdempotencyKey.of(w.key("deduct")))
                      .actor(LifecycleStory.FINANCE)
                      .reason("taken back")
                      .build());
    } catch (InsufficientCreditException e) {
      assertThat(had.minor())
          .as("refused only when the category holds less")
          .isLessThan(d.amount());
      assertThat(e.available()).isEqualTo(had);
      throw e;
    }
    assertThat(had.minor()).isGreaterThanOrEqualTo(d.amount());
    AccountBalance after = w.balance();
    assertThat(after.availableByCategory().get(category)).isEqualTo(had.minus(credits(d.amount())));
    assertThat(after.availableByCategory().getOrDefault(other, credits(0)))
        .isEqualTo(before.availableByCategory().getOrDefault(other, credits(0)));
    assertThat(after.total()).isEqualTo(before.total().minus(credits(d.amount())));
    assertThat(after.owed()).isEqualTo(before.owed());
    assertThat(r.taken()).allSatisfy(a -> assertThat(a.category()).isEqualTo(category));
    assertThat(r.taken().stream().mapToLong(a -> a.amount().minor()).sum()).isEqualTo(d.amount());
  }

  static List<List<Object>> itemsOf(SweepResult r) {
    return r.items().stream()
        .map(i -> List.<Object>of(i.account(), i.subject(), i.amount(), i.effectiveAt()))
        .toList();
  }

  void sweepGrants(LifecycleStory w) {
    List<LedgerTransaction> before = w.ledger();
    List<GrantBalance> grantsBefore = w.billing.credits().grants(ACME, LAB);
    SweepResult dry = w.billing.sweeps().expireGrants(ACME, SWEEPER, true);
    assertThat(w.ledger()).isEqualTo(before);
    assertThat(w.billing.credits().grants(ACME, LAB)).isEqualTo(grantsBefore);
    SweepResult real = w.billing.sweeps().expireGrants(ACME, SWEEPER, false);
    assertThat(itemsOf(real)).as("the dry run previews the real sweep").isEqualTo(itemsOf(dry));
    for (SweepItem item : real.items()) {
      assertThat(item.transaction().type()).isEqualTo(TransactionType.EXPIRY);
      assertThat(item.effectiveAt()).isBeforeOrEqualTo(real.at());
    }
    Instant now = w.clock.instant();
    for (GrantBalance g : w.billing.credits().grants(ACME, LAB)) {
      if (g.grant().expiresAt().map(e -> !e.isAfter(now)).orElse(false)) {
        assertThat(g.remaining()).as("%s expired and swept", g.grant().id()).isEqualTo(credits(0));
      }
    }
    assertThat(w.billing.sweeps().expireGrants(ACME, SWEEPER, false).items()).isEmpty();
  }

  void sweepReservations(LifecycleStory w) {
    List<LedgerTransaction> before = w.ledger();
    SweepResult dry = w.billing.sweeps().expireReservations(ACME, SWEEPER, true);
    assertThat(w.ledger()).isEqualTo(before);
    SweepResult real = w.billing.sweeps().expireReservations(ACME, SWEEPER, false);
    assertThat(itemsOf(real)).as("the dry run previews the real sweep").isEqualTo(itemsOf(dry));
    Instant now = w.clock.instant();
    assertThat(w.memory.loadAccount(ACME, LAB).orElseThrow().reservations())
        .allSatisfy(r -> assertThat(r.expiresAt()).isAfter(now));
    assertThat(w.billing.sweeps().expireReservations(ACME, SWEEPER, false).items()).isEmpty();
  }

  void read(LifecycleStory w) {
    AccountBalance b = w.balance();
    w.assertReplayMatches(b);
    Instant now = w.clock.instant();
    assertThat(w.memory.loadAccount(ACME, LAB).orElseThrow().reservations())
        .allSatisfy(r -> assertThat(r.isHoldingAt(now)).isTrue());
  }

  // ------------------------------------------------------------------ the rules

  /** Checks the rules on the store as it is, without the lazy expiry that a balance read does. */
  static void check(LifecycleStory w, Model m) {
    LifecycleStory.Replay replay = w.replay();
    AccountSnapshot snapshot = w.memory.loadAccount(ACME, LAB).orElseThrow();
    Set<String> voided = new HashSet<>();
    long grantSum = 0;
    for (GrantBalance g : w.billing.credits().grants(ACME, LAB)) {
      long remaining = g.remaining().minor();
      assertThat(replay.byGrant().getOrDefault(g.grant().id().value(), 0L))
          .as("replay of %s", g.grant().id())
          .isEqualTo(remaining);
      assertThat(remaining)
          .as("%s within 0..amount", g.grant().id())
          .isBetween(0L, g.grant().amount().minor());
      if (g.voided()) {
        voided.add(g.grant().id().value());
        assertThat(remaining).as("a void grant holds nothing").isZero();
      }
      grantSum += remaining;
    }
    assertThat(replay.grants()).isEqualTo(grantSum);

    // What is reserved is what the active reservations hold; what is owed, the policy allows.
    assertThat(replay.reserved()).isEqualTo(snapshot.reserved().minor());
    assertThat(replay.owed()).isEqualTo(-snapshot.overdraft().minor());
    long limit = m.policy instanceof OverdraftPolicy.Limit l ? l.limit().minor() : 0;
    assertThat(replay.owed()).as("owed within the policy").isBetween(0L, limit);

    // Conservation (rule 1).
    assertThat(grantSum + replay.reserved() - replay.owed())
        .as("remaining + reserved - owed = issued - consumed - voided - expired")
        .isEqualTo(replay.issued() - replay.consumed() - replay.voided() - replay.expired());
    assertThat(replay.consumed()).as("consumed, as the results said").isEqualTo(m.consumed);

    // No reservation resolved twice; resolved exactly when final.
    Map<String, Integer> resolutions = new HashMap<>();
    Map<TransactionId, Long> reversed = new HashMap<>();
    for (LedgerTransaction t : w.ledger()) {
      String r = t.references().get("billing.reservation");
      if (r != null && t.type() != TransactionType.HOLD) {
        resolutions.merge(r, 1, Integer::sum);
      }
      if (t.type() == TransactionType.REVERSAL) {
        reversed.merge(t.corrects().orElseThrow(), -t.minorOn(CONSUMED), Long::sum);
      }
    }
    for (ReservationId id : m.reservations) {
      Reservation r = w.stored(id);
      int count = resolutions.getOrDefault(id.value(), 0);
      assertThat(count).as("%s resolved at most once", id).isLessThanOrEqualTo(1);
      assertThat(count == 1)
          .as("%s is final iff resolved", id)
          .isEqualTo(r.state() != ReservationState.ACTIVE);
    }
    long activeHeld =
        m.reservations.stream()
            .map(w::stored)
            .filter(r -> r.state() == ReservationState.ACTIVE)
            .mapToLong(r -> r.held().minor())
            .sum();
    assertThat(activeHeld).isEqualTo(replay.reserved());

    // Credit given back to a grant that has expired or was voided leaves it in the same
    // transaction: it expires or is voided at once.
    Map<String, Grant> grantsById = new HashMap<>();
    for (GrantBalance g : w.billing.credits().grants(ACME, LAB)) {
      grantsById.put(g.grant().id().value(), g.grant());
    }
    Set<String> voidedSoFar = new HashSet<>();
    for (LedgerTransaction t : w.ledger()) {
      if (t.type() == TransactionType.VOID) {
        voidedSoFar.add(t.references().get("billing.grant"));
        continue;
      }
      if (t.type() == TransactionType.GRANT) {
        continue;
      }
      Map<String, Long> given = new HashMap<>();
      Map<String, Long> net = new HashMap<>();
      for (var p : t.postings()) {
        if (p.account().isGrant()) {
          net.merge(p.account().grantId(), p.amount().minor(), Long::sum);
          if (p.amount().isPositive()) {
            given.merge(p.account().grantId(), p.amount().minor(), Long::sum);
          }
        }
      }
      for (String g : given.keySet()) {
        Grant grant = grantsById.get(g);
        boolean ended =
            voidedSoFar.contains(g)
                || grant.expiresAt().map(e -> !t.recordedAt().isBefore(e)).orElse(false);
        if (ended) {
          assertThat(net.get(g))
              .as("%s gives back to ended grant %s and keeps it", t.id(), g)
              .isZero();
        }
      }
    }

    // No debit reversed beyond what it charged.
    for (Map.Entry<TransactionId, Long> e : reversed.entrySet()) {
      long charged = w.billing.ledger().find(ACME, e.getKey()).orElseThrow().minorOn(CONSUMED);
      assertThat(e.getValue()).as("reversed of %s", e.getKey()).isBetween(1L, charged);
      assertThat(e.getValue()).isEqualTo(m.reversedOf.get(e.getKey()));
    }
  }

  // ------------------------------------------------------------------ with threads

  ExecutorService pool;

  @AfterProperty
  void stopThreads() throws InterruptedException {
    if (pool != null) {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
      pool = null;
    }
  }

  @Property(tries = 40)
  void concurrent_reservations_settlements_charges_and_sweeps_keep_the_rules(
      @ForAll("policies") OverdraftPolicy policy, @ForAll("concurrentWork") List<List<Long>> work)
      throws Exception {
    LifecycleStory w = new LifecycleStory();
    w.start();
    w.openAccount(policy);
    w.grant(w.promo(2000).priority(10));
    w.grant(w.purchased(2000).priority(20).expiresAt(T0.plusSeconds(5)));
    pool = Executors.newFixedThreadPool(work.size() + 1);
    CyclicBarrier start = new CyclicBarrier(work.size() + 1);
    List<Future<List<ReservationId>>> workers = new ArrayList<>();
    for (int i = 0; i < work.size(); i++) {
      List<Long> amounts = work.get(i);
      workers.add(
          pool.submit(
              () -> {
                start.await();
                List<ReservationId> mine = new ArrayList<>();
                for (long n : amounts) {
                  try {
                    if (n % 3 == 0) {
                      w.use(n);
                    } else {
                      ReservationResult r = w.reserve(n, Duration.ofSeconds(1 + n % 4));
                      mine.add(r.reservation().id());
                      if (n % 3 == 1) {
                        w.settle(r, n + (n % 7) * 10 - 30);
                      }
                    }
                  } catch (InsufficientCreditException | ReservationNotActiveException e) {
                    // refused under contention or after expiry: fine, nothing of its own written
                  }
                }
                return mine;
              }));
    }
    Future<?> sweeper =
        pool.submit(
            () -> {
              start.await();
              for (int s = 0; s < 6; s++) {
                w.clock.advance(Duration.ofSeconds(1));
                w.billing.sweeps().expireReservations(ACME, SWEEPER, false);
                w.billing.sweeps().expireGrants(ACME, SWEEPER, false);
              }
              return null;
            });
    Model m = new Model(policy);
    for (Future<List<ReservationId>> f : workers) {
      m.reservations.addAll(f.get(60, TimeUnit.SECONDS));
    }
    sweeper.get(60, TimeUnit.SECONDS);
    m.consumed = w.replay().consumed();
    check(w, m);
    w.clock.advance(Duration.ofMinutes(1));
    AccountBalance end = w.balance();
    assertThat(end.reserved()).isEqualTo(credits(0));
    w.assertReplayMatches(end);
    check(w, m);
  }

  @Provide
  Arbitrary<List<List<Long>>> concurrentWork() {
    return Arbitraries.longs()
        .between(31, 400)
        .list()
        .ofMinSize(1)
        .ofMaxSize(12)
        .list()
        .ofMinSize(2)
        .ofMaxSize(6);
  }
}
