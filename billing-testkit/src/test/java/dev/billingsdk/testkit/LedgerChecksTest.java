package dev.billingsdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.AccountId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.AccountBalance;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.GrantResult;
import dev.billingsdk.credit.InsufficientCreditException;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.credit.ReleaseRequest;
import dev.billingsdk.credit.ReservationId;
import dev.billingsdk.credit.ReservationNotActiveException;
import dev.billingsdk.credit.ReserveRequest;
import dev.billingsdk.credit.ReverseRequest;
import dev.billingsdk.credit.SettleRequest;
import dev.billingsdk.credit.VoidGrantRequest;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.money.Unit;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.spi.BillingStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The checks pass on the library's own ledgers after random scenarios, and each rule fails, by name
 * and with its values, on a ledger broken in that rule's way.
 */
class LedgerChecksTest {
  static final TenantId TENANT = TenantId.of("host");
  static final AccountId ACCOUNT = AccountId.of("acct");
  static final Unit CREDIT = BillingArbitraries.CREDIT;

  // ------------------------------------------------------------------ correct ledgers pass

  sealed interface Step {}

  record Grant(GrantTerms terms) implements Step {}

  record Spend(ChargeRequest request) implements Step {}

  record Wait(int hours) implements Step {}

  record Void(int index) implements Step {}

  /** Reverses {@code percent} of an earlier charge (0 means: all that is left). */
  record Reverse(int index, int percent) implements Step {}

  record Reserve(long minor, int ttlMinutes) implements Step {}

  /** Settles an earlier reservation with {@code percent} of what it holds. */
  record Settle(int index, int percent) implements Step {}

  record Release(int index) implements Step {}

  record Sweep() implements Step {}

  record Scenario(OverdraftPolicy policy, List<Step> steps) {}

  @Provide
  Arbitrary<Scenario> scenarios() {
    Arbitrary<Integer> index = Arbitraries.integers().between(0, 20);
    Arbitrary<Step> steps =
        Arbitraries.frequencyOf(
            Tuple.of(3, BillingArbitraries.grantTerms(CREDIT).map(Grant::new)),
            Tuple.of(4, BillingArbitraries.charges(TENANT, ACCOUNT, CREDIT).map(Spend::new)),
            Tuple.of(1, Arbitraries.integers().between(1, 24 * 10).map(Wait::new)),
            Tuple.of(1, index.map(Void::new)),
            Tuple.of(
                2,
                Combinators.combine(index, Arbitraries.integers().between(0, 100))
                    .as(Reverse::new)),
            Tuple.of(
                2,
                Combinators.combine(
                        Arbitraries.longs().between(1, 2_000),
                        Arbitraries.integers().between(1, 600))
                    .as(Reserve::new)),
            Tuple.of(
                2,
                Combinators.combine(index, Arbitraries.integers().between(0, 150)).as(Settle::new)),
            Tuple.of(1, index.map(Release::new)),
            Tuple.of(1, Arbitraries.just(new Sweep())));
    return Combinators.combine(
            BillingArbitraries.overdraftPolicies(CREDIT), steps.list().ofMaxSize(25))
        .as(Scenario::new);
  }

  @Property(tries = 300)
  void theChecksPassOnTheLibrarysLedgerAfterEveryStep(@ForAll("scenarios") Scenario s) {
    TestClock clock = new TestClock();
    Billing billing = billing(InMemoryBillingStore.create(), clock, s.policy());
    List<GrantResult> grants = new ArrayList<>();
    List<ChargeResult> charges = new ArrayList<>();
    List<ReservationId> reservations = new ArrayList<>();
    for (Step step : s.steps()) {
      try {
        play(billing, clock, step, grants, charges, reservations);
      } catch (InsufficientCreditException | ReservationNotActiveException refused) {
        // the library refused as its rules say; nothing was written
      }
      LedgerChecks.assertConsistent(billing, TENANT, ACCOUNT);
    }
  }

  private static void play(
      Billing billing,
      TestClock clock,
      Step step,
      List<GrantResult> grants,
      List<ChargeResult> charges,
      List<ReservationId> reservations) {
    if (step instanceof Grant g) {
      grants.add(
          billing
              .credits()
              .grant(
                  g.terms()
                      .builder(TENANT, ACCOUNT, clock.instant())
                      .idempotencyKey(key())
                      .actor(BillingArbitraries.ACTOR)
                      .reason("scenario grant")
                      .build()));
    } else if (step instanceof Spend c) {
      charges.add(billing.credits().charge(c.request()));
    } else if (step instanceof Wait w) {
      clock.advance(Duration.ofHours(w.hours()));
    } else if (step instanceof Void v && !grants.isEmpty()) {
      GrantResult g = grants.get(v.index() % grants.size());
      billing
          .credits()
          .voidGrant(
              VoidGrantRequest.builder(TENANT, ACCOUNT, g.grant().id())
                  .idempotencyKey(key())
                  .actor(BillingArbitraries.ACTOR)
                  .reason("scenario void")
                  .build());
    } else if (step instanceof Reverse r && !charges.isEmpty()) {
      ChargeResult c = charges.get(r.index() % charges.size());
      long amount = c.charged().minor() * r.percent() / 100;
      ReverseRequest.Builder b =
          ReverseRequest.builder(TENANT, ACCOUNT, c.transaction().id())
              .idempotencyKey(key())
              .actor(BillingArbitraries.ACTOR)
              .reason("scenario reversal");
      if (amount > 0) {
        b.amount(Amount.ofMinor(CREDIT, amount));
      }
      try {
        billing.credits().reverse(b.build());
      } catch (dev.billingsdk.InvalidRequestException nothingLeftOrTooMuch) {
        // the library refuses to give back more than the charge took: the rule under test
      }
    } else if (step instanceof Reserve r) {
      reservations.add(
          billing
              .reservations()
              .reserve(
                  ReserveRequest.builder(
                          TENANT, ACCOUNT, Charge.usage("m1", Amount.ofMinor(CREDIT, r.minor())))
                      .timeToLive(Duration.ofMinutes(r.ttlMinutes()))
                      .idempotencyKey(key())
                      .actor(BillingArbitraries.ACTOR)
                      .reason("scenario reserve")
                      .build())
              .reservation()
              .id());
    } else if (step instanceof Settle st && !reservations.isEmpty()) {
      ReservationId id = reservations.get(st.index() % reservations.size());
      long held = billing.reservations().find(TENANT, id).held().minor();
      billing
          .reservations()
          .settle(
              SettleRequest.builder(TENANT, id, Amount.ofMinor(CREDIT, held * st.percent() / 100))
                  .idempotencyKey(key())
                  .actor(BillingArbitraries.ACTOR)
                  .reason("scenario settle")
                  .build());
    } else if (step instanceof Release rl && !reservations.isEmpty()) {
      billing
          .reservations()
          .release(
              ReleaseRequest.builder(TENANT, reservations.get(rl.index() % reservations.size()))
                  .idempotencyKey(key())
                  .actor(BillingArbitraries.ACTOR)
                  .reason("scenario release")
                  .build());
    } else if (step instanceof Sweep) {
      billing.sweeps().expireGrants(TENANT, BillingArbitraries.ACTOR, false);
      billing.sweeps().expireReservations(TENANT, BillingArbitraries.ACTOR, false);
    }
  }

  // ------------------------------------------------------------------ broken reads fail

  @ParameterizedTest
  @EnumSource(BrokenReads.Break.class)
  void aStoreWithABrokenReadFailsTheChecks(BrokenReads.Break broken) {
    Billing billing = billing(BrokenReads.with(broken), new TestClock(), OverdraftPolicy.reject());
    grant(billing, 100);
    charge(billing, 30);
    switch (broken) {
      case NONE ->
          assertThatCode(() -> LedgerChecks.assertConsistent(billing, TENANT, ACCOUNT))
              .doesNotThrowAnyException();
      case GRANT_OFF_BY_ONE ->
          assertThatThrownBy(() -> LedgerChecks.assertConsistent(billing, TENANT, ACCOUNT))
              .isInstanceOfSatisfying(
                  LedgerCheckFailure.class, f -> assertThat(f.rule()).isEqualTo(LedgerRule.REPLAY))
              .hasMessageContaining("ledger rule REPLAY")
              .hasMessageContaining("account acct of tenant host")
              .hasMessageContaining(
                  "has CREDIT 0.71 remaining, but its postings sum to CREDIT 0.70");
      case LOSES_NEWEST_TRANSACTION ->
          assertThatThrownBy(() -> LedgerChecks.assertConsistent(billing, TENANT, ACCOUNT))
              .isInstanceOfSatisfying(
                  LedgerCheckFailure.class, f -> assertThat(f.rule()).isEqualTo(LedgerRule.REPLAY))
              .hasMessageContaining(
                  "has CREDIT 0.70 remaining, but its postings sum to CREDIT 1.00");
      case REPEATS_NEWEST_TRANSACTION ->
          assertThatThrownBy(() -> LedgerChecks.assertConsistent(billing, TENANT, ACCOUNT))
              .isInstanceOfSatisfying(
                  LedgerCheckFailure.class,
                  f -> assertThat(f.rule()).isEqualTo(LedgerRule.WELL_FORMED))
              .hasMessageContaining("appears twice");
    }
  }

  @Test
  void aBrokenReadBreaksConservationWhenReplayIsNotChecked() {
    Billing billing =
        billing(
            BrokenReads.with(BrokenReads.Break.GRANT_OFF_BY_ONE),
            new TestClock(),
            OverdraftPolicy.reject());
    grant(billing, 100);
    LedgerView view = LedgerView.of(billing, TENANT, ACCOUNT);
    assertFails(
        view,
        EnumSet.of(LedgerRule.CONSERVATION),
        LedgerRule.CONSERVATION,
        "grants CREDIT 1.01 + reserved CREDIT 0.00 - owed CREDIT 0.00 = CREDIT 1.01, but issued"
            + " CREDIT 1.00");
    assertFails(
        view,
        EnumSet.of(LedgerRule.BALANCE),
        LedgerRule.BALANCE,
        "total is CREDIT 1.00, but the grants' remaining + reserved - owed is CREDIT 1.01");
  }

  @Test
  void anAccountThatDoesNotExistIsAFailedCheck() {
    Billing billing = billing(InMemoryBillingStore.create(), new TestClock(), null);
    assertThatThrownBy(() -> LedgerChecks.assertConsistent(billing, TENANT, AccountId.of("nobody")))
        .isInstanceOf(AssertionError.class)
        .hasMessage("tenant host has no account nobody");
  }

  // ------------------------------------------------------------------ hand-made ledgers fail

  /**
   * A real account after: grant A (100, pays first), grant B (100), charge 10 and charge 95, so A
   * holds 0 and B 95. Each test adds transactions to its ledger by hand and keeps grant balances,
   * reserved and owed equal to the replay, so that only the rule under test breaks.
   */
  static final class Ledger {
    final Billing billing = billing(InMemoryBillingStore.create(), new TestClock(), null);
    final GrantResult a = grant(billing, 100, 1);
    final GrantResult b = grant(billing, 100, 2);
    final ChargeResult first = charge(billing, 10);
    final ChargeResult second = charge(billing, 95);
    final LedgerView real = LedgerView.of(billing, TENANT, ACCOUNT);
    final List<LedgerTransaction> added = new ArrayList<>();
    long sequence = 1_000_000;

    LedgerTransaction add(TransactionType type, Map<String, String> refs, Posting... postings) {
      return add(TENANT, ACCOUNT, "hand-" + added.size(), key(), sequence++, type, refs, postings);
    }

    LedgerTransaction add(
        TenantId tenant,
        AccountId account,
        String id,
        IdempotencyKey key,
        long seq,
        TransactionType type,
        Map<String, String> refs,
        Posting... postings) {
      LedgerTransaction t =
          new LedgerTransaction(
              TransactionId.of(id),
              tenant,
              account,
              type,
              key,
              "sha256:hand",
              BillingArbitraries.ACTOR,
              "by hand",
              TestClock.DEFAULT_START,
              List.of(postings),
              refs,
              seq);
      added.add(t);
      return t;
    }

    /** The real view plus the added transactions, balances replayed, without a balance read. */
    LedgerView view() {
      return view(real.account());
    }

    LedgerView view(Account account) {
      List<LedgerTransaction> all = new ArrayList<>(real.transactions());
      all.addAll(added);
      Map<LedgerAccount, Long> replay = new HashMap<>();
      for (LedgerTransaction t : all) {
        for (Posting p : t.postings()) {
          replay.merge(p.account(), p.amount().minor(), Long::sum);
        }
      }
      List<GrantBalance> grants = new ArrayList<>();
      for (GrantBalance g : real.grants()) {
        long minor = replay.getOrDefault(LedgerAccount.grant(g.grant().id()), 0L);
        grants.add(new GrantBalance(g.grant(), Amount.ofMinor(CREDIT, minor), g.voided()));
      }
      return new LedgerView(
          account,
          all,
          grants,
          credits(replay.getOrDefault(counter(LedgerAccount.Kind.RESERVED), 0L)),
          credits(-replay.getOrDefault(counter(LedgerAccount.Kind.OVERDRAFT), 0L)),
          Optional.empty());
    }

    Posting onA(long minor) {
      return Posting.of(LedgerAccount.grant(a.grant().id()), credits(minor));
    }
  }

  static LedgerAccount counter(LedgerAccount.Kind kind) {
    return LedgerAccount.counter(kind);
  }

  static Posting on(LedgerAccount.Kind kind, long minor) {
    return Posting.of(counter(kind), credits(minor));
  }

  static Amount credits(long minor) {
    return Amount.ofMinor(CREDIT, minor);
  }

  @Test
  void theRealLedgerAndItsReplayedCopyPass() {
    Ledger l = new Ledger();
    LedgerChecks.assertConsistent(l.real);
    LedgerChecks.assertConsistent(l.view());
    assertThat(l.real.balance()).isPresent();
    assertThat(l.real.grants()).hasSize(2);
    assertThat(l.real.transactions()).hasSize(4);
  }

  @Test
  void wellFormed_aTransactionOfAnotherAccountFails() {
    Ledger l = new Ledger();
    l.add(
        TENANT,
        AccountId.of("other"),
        "foreign",
        key(),
        l.sequence++,
        TransactionType.CHARGE,
        Map.of(),
        on(LedgerAccount.Kind.ISSUED, -1),
        on(LedgerAccount.Kind.EXPIRED, 1));
    assertFails(l.view(), LedgerRule.WELL_FORMED, "transaction foreign belongs to host/other");
  }

  @Test
  void wellFormed_aTransactionOfAnotherTenantFails() {
    Ledger l = new Ledger();
    l.add(
        TenantId.of("elsewhere"),
        ACCOUNT,
        "foreign",
        key(),
        l.sequence++,
        TransactionType.CHARGE,
        Map.of(),
        on(LedgerAccount.Kind.ISSUED, -1),
        on(LedgerAccount.Kind.EXPIRED, 1));
    assertFails(l.view(), LedgerRule.WELL_FORMED, "transaction foreign belongs to elsewhere/acct");
  }

  @Test
  void wellFormed_aRepeatedIdempotencyKeyFails() {
    Ledger l = new Ledger();
    IdempotencyKey used = l.real.transactions().get(2).idempotencyKey();
    l.add(
        TENANT,
        ACCOUNT,
        "again",
        used,
        l.sequence++,
        TransactionType.CHARGE,
        Map.of(),
        on(LedgerAccount.Kind.ISSUED, -1),
        on(LedgerAccount.Kind.EXPIRED, 1));
    assertFails(l.view(), LedgerRule.WELL_FORMED, "idempotency key " + used + " posted twice");
  }

  @Test
  void wellFormed_aSequenceOutOfOrderFails() {
    Ledger l = new Ledger();
    l.add(
        TENANT,
        ACCOUNT,
        "early",
        key(),
        0,
        TransactionType.CHARGE,
        Map.of(),
        on(LedgerAccount.Kind.ISSUED, -1),
        on(LedgerAccount.Kind.EXPIRED, 1));
    assertFails(l.view(), LedgerRule.WELL_FORMED, "transaction early has sequence 0, not after");
  }

  @Test
  void balanced_aPostingInAnotherUnitFails() {
    Ledger l = new Ledger();
    CurrencyUnit usd = CurrencyUnit.of("USD");
    l.add(
        TransactionType.MANUAL_ADJUSTMENT,
        Map.of(),
        Posting.of(counter(LedgerAccount.Kind.ISSUED), Amount.ofMinor(usd, -5)),
        Posting.of(counter(LedgerAccount.Kind.EXPIRED), Amount.ofMinor(usd, 5)));
    assertFails(
        l.view(),
        LedgerRule.BALANCED,
        "transaction hand-0 posts USD -0.05 on ISSUED in an account kept in CREDIT");
    // Unchecked, the same ledger passes what it does not break.
    LedgerChecks.assertRules(l.view(), EnumSet.of(LedgerRule.WELL_FORMED));
  }

  @Test
  void replay_aGrantBalanceOffItsPostingsFails() {
    Ledger l = new Ledger();
    LedgerView v = l.view();
    List<GrantBalance> grants = new ArrayList<>(v.grants());
    GrantBalance b = grants.get(1);
    grants.set(1, new GrantBalance(b.grant(), credits(96), false));
    assertFails(
        new LedgerView(v.account(), v.transactions(), grants, v.reserved(), v.owed(), v.balance()),
        LedgerRule.REPLAY,
        "grant "
            + l.b.grant().id()
            + " has CREDIT 0.96 remaining, but its postings sum to CREDIT"
            + " 0.95");
  }

  @Test
  void replay_reservedOrOwedOffThePostingsFails() {
    LedgerView v = new Ledger().view();
    assertFails(
        new LedgerView(
            v.account(), v.transactions(), v.grants(), credits(3), v.owed(), v.balance()),
        LedgerRule.REPLAY,
        "reserved is CREDIT 0.03, but RESERVED postings sum to CREDIT 0.00");
    assertFails(
        new LedgerView(
            v.account(), v.transactions(), v.grants(), v.reserved(), credits(4), v.balance()),
        LedgerRule.REPLAY,
        "owed is CREDIT 0.04, but OVERDRAFT postings sum to CREDIT 0.00");
  }

  @Test
  void replay_reservedGoingNegativeOnTheWayFails() {
    Ledger l = new Ledger();
    // A release of what was never held, then a hold that makes up for it.
    l.add(TransactionType.RELEASE, Map.of(), on(LedgerAccount.Kind.RESERVED, -5), l.onA(5));
    l.add(TransactionType.HOLD, Map.of(), l.onA(-5), on(LedgerAccount.Kind.RESERVED, 5));
    assertFails(l.view(), LedgerRule.REPLAY, "RESERVED is CREDIT -0.05 after transaction hand-0");
  }

  @Test
  void withinPolicy_aGrantAboveItsAmountFails() {
    Ledger l = new Ledger();
    l.add(
        TransactionType.MANUAL_ADJUSTMENT,
        Map.of(),
        on(LedgerAccount.Kind.ISSUED, -150),
        l.onA(150));
    assertFails(
        l.view(),
        LedgerRule.WITHIN_POLICY,
        "grant "
            + l.a.grant().id()
            + " has CREDIT 1.50 remaining, outside 0 to its amount CREDIT"
            + " 1.00");
  }

  @Test
  void withinPolicy_aGrantBelowZeroFails() {
    Ledger l = new Ledger();
    l.add(TransactionType.CHARGE, Map.of(), l.onA(-1), on(LedgerAccount.Kind.CONSUMED, 1));
    assertFails(
        l.view(),
        LedgerRule.WITHIN_POLICY,
        "has CREDIT -0.01 remaining, outside 0 to its amount CREDIT 1.00");
  }

  @Test
  void withinPolicy_owingUnderARejectPolicyFails() {
    Ledger l = new Ledger();
    l.add(
        TransactionType.CHARGE,
        Map.of(),
        on(LedgerAccount.Kind.OVERDRAFT, -7),
        on(LedgerAccount.Kind.CONSUMED, 7));
    assertFails(
        l.view(),
        LedgerRule.WITHIN_POLICY,
        "owed is CREDIT 0.07, but the overdraft policy (reject) allows 0 to CREDIT 0.00");
  }

  @Test
  void withinPolicy_owingBeyondTheLimitFailsAndWithinItPasses() {
    Ledger l = new Ledger();
    l.add(
        TransactionType.CHARGE,
        Map.of(),
        on(LedgerAccount.Kind.OVERDRAFT, -7),
        on(LedgerAccount.Kind.CONSUMED, 7));
    Account real = l.real.account();
    LedgerChecks.assertConsistent(
        l.view(withPolicy(real, OverdraftPolicy.allowDownTo(credits(7)))));
    assertFails(
        l.view(withPolicy(real, OverdraftPolicy.allowDownTo(credits(6)))),
        LedgerRule.WITHIN_POLICY,
        "owed is CREDIT 0.07, but the overdraft policy (down to -CREDIT 0.06) allows 0 to CREDIT"
            + " 0.06");
  }

  @Test
  void withinPolicy_negativeOwedOrReservedFailWhenReplayIsNotChecked() {
    LedgerView v = new Ledger().view();
    Set<LedgerRule> policy = EnumSet.of(LedgerRule.WITHIN_POLICY);
    assertFails(
        new LedgerView(
            v.account(), v.transactions(), v.grants(), v.reserved(), credits(-1), v.balance()),
        policy,
        LedgerRule.WITHIN_POLICY,
        "owed is CREDIT -0.01");
    assertFails(
        new LedgerView(
            v.account(), v.transactions(), v.grants(), credits(-2), v.owed(), v.balance()),
        policy,
        LedgerRule.WITHIN_POLICY,
        "reserved is CREDIT -0.02");
  }

  @Test
  void balance_aBalanceThatDisagreesWithTheGrantsFails() {
    Ledger l = new Ledger();
    AccountBalance b = l.real.balance().orElseThrow();
    Map<GrantCategory, Amount> categories = b.availableByCategory();
    GrantCategory promo = GrantCategory.PROMOTIONAL;
    assertThat(categories).containsOnlyKeys(promo);
    assertBalanceFails(
        l,
        withBalance(b, credits(96), b.available(), categories, b.grants()),
        "total is CREDIT 0.96, but the grants' remaining + reserved - owed is CREDIT 0.95");
    assertBalanceFails(
        l,
        withBalance(b, b.total(), credits(94), Map.of(promo, credits(94)), b.grants()),
        "available is CREDIT 0.94, but the grants available at " + b.at() + " hold CREDIT 0.95");
    assertBalanceFails(
        l,
        withBalance(b, b.total(), b.available(), Map.of(promo, credits(90)), b.grants()),
        "available by category adds up to CREDIT 0.90, not CREDIT 0.95");
    Map<GrantCategory, Amount> negative = new LinkedHashMap<>();
    negative.put(promo, credits(96));
    negative.put(GrantCategory.REFERRAL, credits(-1));
    assertBalanceFails(
        l,
        withBalance(b, b.total(), b.available(), negative, b.grants()),
        "available in REFERRAL is CREDIT -0.01");
    assertBalanceFails(
        l,
        withBalance(b, b.total(), b.available(), categories, List.of()),
        "the balance lists grants {}, but the grants holding credit are {"
            + l.b.grant().id()
            + "=CREDIT 0.95}");
  }

  @Test
  void reversals_givingBackMoreThanWasTakenFails() {
    Ledger l = new Ledger();
    // The first charge took 10 from A: a reversal of all 10 keeps the rules ...
    Map<String, String> ofFirst =
        Map.of(LedgerTransaction.REF_CORRECTS, l.first.transaction().id().value());
    l.add(TransactionType.REVERSAL, ofFirst, on(LedgerAccount.Kind.CONSUMED, -10), l.onA(10));
    LedgerChecks.assertConsistent(l.view());
    // ... and 5 more break the reversal rule, though every balance still agrees with the ledger.
    l.add(TransactionType.REVERSAL, ofFirst, on(LedgerAccount.Kind.CONSUMED, -5), l.onA(5));
    assertFails(
        l.view(),
        LedgerRule.REVERSALS,
        "reversals of "
            + l.first.transaction().id()
            + " give back CREDIT 0.15 by hand-1, but it consumed CREDIT 0.10");
  }

  @Test
  void reversals_ofNothingKnownOfAGrantOrGivingNothingFail() {
    Ledger unknown = new Ledger();
    unknown.add(
        TransactionType.REVERSAL,
        Map.of(LedgerTransaction.REF_CORRECTS, "no-such-transaction"),
        on(LedgerAccount.Kind.CONSUMED, -5),
        unknown.onA(5));
    assertFails(
        unknown.view(),
        LedgerRule.REVERSALS,
        "reversal hand-0 corrects no-such-transaction, which is no earlier transaction of the"
            + " account");

    Ledger unnamed = new Ledger();
    unnamed.add(
        TransactionType.REVERSAL, Map.of(), on(LedgerAccount.Kind.CONSUMED, -5), unnamed.onA(5));
    assertFails(unnamed.view(), LedgerRule.REVERSALS, "reversal hand-0 corrects nothing");

    Ledger ofAGrant = new Ledger();
    TransactionId grant = ofAGrant.a.transaction().id();
    ofAGrant.add(
        TransactionType.REVERSAL,
        Map.of(LedgerTransaction.REF_CORRECTS, grant.value()),
        on(LedgerAccount.Kind.CONSUMED, -5),
        ofAGrant.onA(5));
    assertFails(
        ofAGrant.view(), LedgerRule.REVERSALS, "reversal hand-0 corrects GRANT " + grant.value());

    Ledger givesNothing = new Ledger();
    givesNothing.add(
        TransactionType.REVERSAL,
        Map.of(LedgerTransaction.REF_CORRECTS, givesNothing.first.transaction().id().value()),
        on(LedgerAccount.Kind.ISSUED, -5),
        givesNothing.onA(5));
    assertFails(
        givesNothing.view(),
        LedgerRule.REVERSALS,
        "reversal hand-0 gives back CREDIT 0.00 of consumed credit");
  }

  @Test
  void assertRulesChecksOnlyTheRulesGiven() {
    Ledger l = new Ledger();
    l.add(TransactionType.CHARGE, Map.of(), l.onA(-1), on(LedgerAccount.Kind.CONSUMED, 1));
    LedgerView v = l.view();
    Set<LedgerRule> allButPolicy = EnumSet.allOf(LedgerRule.class);
    allButPolicy.remove(LedgerRule.WITHIN_POLICY);
    assertThatCode(() -> LedgerChecks.assertRules(v, allButPolicy)).doesNotThrowAnyException();
    assertThatCode(() -> LedgerChecks.assertRules(v, Set.of())).doesNotThrowAnyException();
    assertThatThrownBy(() -> LedgerChecks.assertRules(null, Set.of()))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> LedgerChecks.assertRules(v, null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void aFailureNamesItsRuleAccountAndTenant() {
    Ledger l = new Ledger();
    l.add(TransactionType.CHARGE, Map.of(), l.onA(-1), on(LedgerAccount.Kind.CONSUMED, 1));
    assertThatThrownBy(() -> LedgerChecks.assertConsistent(l.view()))
        .isInstanceOfSatisfying(
            LedgerCheckFailure.class,
            f -> {
              assertThat(f.rule()).isEqualTo(LedgerRule.WITHIN_POLICY);
              assertThat(f.tenant()).isEqualTo(TENANT);
              assertThat(f.account()).isEqualTo(ACCOUNT);
            })
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith(
            "ledger rule WITHIN_POLICY (nothing negative and no overdraft beyond the policy)"
                + " broken on account acct of tenant host: grant");
  }

  // ------------------------------------------------------------------ helpers

  private static void assertFails(LedgerView view, LedgerRule rule, String detail) {
    assertFails(view, EnumSet.allOf(LedgerRule.class), rule, detail);
  }

  private static void assertFails(
      LedgerView view, Set<LedgerRule> rules, LedgerRule rule, String detail) {
    assertThatThrownBy(() -> LedgerChecks.assertRules(view, rules))
        .isInstanceOfSatisfying(LedgerCheckFailure.class, f -> assertThat(f.rule()).isEqualTo(rule))
        .hasMessageContaining("ledger rule " + rule + " (" + rule.summary() + ")")
        .hasMessageContaining(detail);
  }

  private static void assertBalanceFails(Ledger l, AccountBalance broken, String detail) {
    LedgerView v = l.real;
    assertFails(
        new LedgerView(
            v.account(), v.transactions(), v.grants(), v.reserved(), v.owed(), Optional.of(broken)),
        LedgerRule.BALANCE,
        detail);
  }

  private static AccountBalance withBalance(
      AccountBalance b,
      Amount total,
      Amount available,
      Map<GrantCategory, Amount> byCategory,
      List<GrantBalance> grants) {
    return new AccountBalance(
        b.account(), b.at(), total, available, b.reserved(), b.owed(), byCategory, grants);
  }

  private static Account withPolicy(Account a, OverdraftPolicy policy) {
    return new Account(
        a.tenant(), a.id(), a.unit(), policy, a.metadata(), a.openedBy(), a.openedAt());
  }

  static IdempotencyKey key() {
    return IdempotencyKey.of("k-" + UUID.randomUUID());
  }

  static Billing billing(BillingStore store, TestClock clock, OverdraftPolicy policy) {
    Billing billing = Billing.builder().store(store).clock(clock).build();
    billing
        .credits()
        .openAccount(
            OpenAccountRequest.builder(TENANT, ACCOUNT, CREDIT)
                .actor(BillingArbitraries.ACTOR)
                .overdraftPolicy(policy == null ? OverdraftPolicy.reject() : policy)
                .build());
    return billing;
  }

  static GrantResult grant(Billing billing, long minor) {
    return grant(billing, minor, GrantRequest.DEFAULT_PRIORITY);
  }

  static GrantResult grant(Billing billing, long minor, int priority) {
    return billing
        .credits()
        .grant(
            GrantRequest.builder(TENANT, ACCOUNT, credits(minor))
                .priority(priority)
                .idempotencyKey(key())
                .actor(BillingArbitraries.ACTOR)
                .reason("test grant")
                .build());
  }

  static ChargeResult charge(Billing billing, long minor) {
    return billing
        .credits()
        .charge(
            ChargeRequest.builder(
                    TENANT, ACCOUNT, Charge.of(ChargeKind.USAGE, "m1", credits(minor)))
                .idempotencyKey(key())
                .actor(BillingArbitraries.ACTOR)
                .reason("test charge")
                .build());
  }
}
