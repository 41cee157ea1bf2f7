package dev.billingsdk.tck;

import static dev.billingsdk.tck.TckFixture.credits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.AccountId;
import dev.billingsdk.BillingException;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.credit.Allocation;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.credit.CostBasis;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.GrantResult;
import dev.billingsdk.credit.InsufficientCreditException;
import dev.billingsdk.credit.ItemRef;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.credit.Scope;
import dev.billingsdk.credit.VoidGrantRequest;
import dev.billingsdk.ledger.IdempotencyConflictException;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.AmountOverflowException;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.money.Price;
import dev.billingsdk.money.UnitMismatchException;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.CommitResult;
import dev.billingsdk.spi.LedgerWrite;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The ledger's rules as jqwik properties over generated accounts, grants (many priorities, validity
 * windows, scopes, cost bases) and operation sequences (charges of every kind, time travel, voids,
 * repeated and reused idempotency keys). An adapter extends it with a factory for its store; each
 * property runs {@value #TRIES} tries.
 */
public abstract class BillingStoreProperties {
  protected static final int TRIES = 1000;

  /** The store under test. May be shared: every try uses a fresh tenant. */
  protected abstract BillingStore store();

  // ------------------------------------------------------------------ the generated world

  static final List<String> USAGE_ITEMS = List.of("m1", "m2", "m3");
  static final CurrencyUnit USD = CurrencyUnit.of("USD");

  /** A grant's terms, relative to the scenario's clock. */
  record GrantSpec(
      long amount,
      int priority,
      GrantCategory category,
      Optional<Integer> effectiveOffsetHours,
      Optional<Integer> expiresInHours,
      Scope scope,
      CostBasis costBasis) {}

  sealed interface Op {}

  record GrantOp(GrantSpec spec) implements Op {}

  record ChargeOp(ChargeKind kind, String item, long amount) implements Op {}

  record AdvanceOp(int hours) implements Op {}

  record VoidOp(int index) implements Op {}

  /** Sends an earlier charge again, unchanged. */
  record RepeatOp(int index) implements Op {}

  /** Sends an earlier charge's key with a different amount. */
  record ReuseOp(int index) implements Op {}

  record Scenario(OverdraftPolicy policy, List<GrantSpec> grants, List<Op> ops) {}

  @Provide
  Arbitrary<Scenario> scenarios() {
    Arbitrary<OverdraftPolicy> policies =
        Arbitraries.oneOf(
            Arbitraries.just(OverdraftPolicy.reject()),
            Arbitraries.just(OverdraftPolicy.partial()),
            Arbitraries.longs()
                .between(1, 5_000)
                .map(l -> OverdraftPolicy.allowDownTo(credits(l))));
    Arbitrary<Op> ops =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(6, charges()),
            net.jqwik.api.Tuple.of(2, grantSpecs().map(GrantOp::new)),
            net.jqwik.api.Tuple.of(
                2, Arbitraries.integers().between(1, 24 * 20).map(AdvanceOp::new)),
            net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 20).map(VoidOp::new)),
            net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 20).map(RepeatOp::new)),
            net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 20).map(ReuseOp::new)));
    return Combinators.combine(
            policies, grantSpecs().list().ofMaxSize(10), ops.list().ofMinSize(1).ofMaxSize(20))
        .as(Scenario::new);
  }

  Arbitrary<Op> charges() {
    Arbitrary<ChargeKind> kinds = Arbitraries.of(ChargeKind.class);
    return Combinators.combine(
            kinds,
            Arbitraries.of(USAGE_ITEMS),
            Arbitraries.oneOf(
                Arbitraries.longs().between(1, 300), Arbitraries.longs().between(1, 5_000)))
        .as(
            (kind, item, amount) ->
                new ChargeOp(
                    kind, kind == ChargeKind.USAGE ? item : kind.name().toLowerCase(), amount));
  }

  Arbitrary<GrantSpec> grantSpecs() {
    Arbitrary<Integer> priorities =
        Arbitraries.oneOf(Arbitraries.of(1, 2, 50, 100), Arbitraries.integers().between(1, 100));
    Arbitrary<GrantCategory> categories =
        Arbitraries.of(
            GrantCategory.PROMOTIONAL,
            GrantCategory.PARTNER_ALLOWANCE,
            GrantCategory.SIGN_UP,
            GrantCategory.REFERRAL,
            GrantCategory.SUBSCRIPTION_ALLOWANCE,
            GrantCategory.ADJUSTMENT);
    Arbitrary<Optional<Integer>> effective =
        Arbitraries.integers().between(-48, 24 * 10).optional(0.4);
    Arbitrary<Optional<Integer>> expiry =
        Arbitraries.oneOf(Arbitraries.of(24, 48), Arbitraries.integers().between(1, 24 * 30))
            .optional(0.5);
    Arbitrary<Scope> scopes =
        Arbitraries.of(
            Scope.everything(),
            Scope.allUsageMeters(),
            Scope.allFixedFees(),
            Scope.allLicences(),
            Scope.allAddOns(),
            Scope.meters("m1"),
            Scope.meters("m1", "m2"),
            Scope.items(ItemRef.of(ChargeKind.ADD_ON, "add_on")),
            Scope.kinds(ChargeKind.USAGE, ChargeKind.ADD_ON));
    Arbitrary<CostBasis> costs =
        Arbitraries.oneOf(
            Arbitraries.just(CostBasis.free()),
            Arbitraries.longs()
                .between(1, 500)
                .map(c -> CostBasis.paid(Price.of(Amount.ofMinor(USD, c), credits(10_000)))),
            Arbitraries.of(1L, 2L, 3L)
                .map(c -> CostBasis.paid(Price.of(Amount.ofMinor(USD, c), credits(100)))));
    return Combinators.combine(
            Arbitraries.oneOf(
                Arbitraries.longs().between(1, 100), Arbitraries.longs().between(1, 5_000)),
            priorities,
            categories,
            effective,
            expiry,
            scopes,
            costs)
        .as(GrantSpec::new);
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

  GrantResult grant(TckFixture f, AccountId a, GrantSpec s) {
    Instant now = f.clock.instant();
    GrantRequest.Builder b =
        GrantRequest.builder(f.tenant, a, credits(s.amount()))
            .priority(s.priority())
            .category(s.costBasis().isFree() ? s.category() : GrantCategory.PURCHASED)
            .scope(s.scope())
            .costBasis(s.costBasis())
            .idempotencyKey(f.nextKey())
            .actor(TckFixture.ADMIN)
            .reason("property grant");
    Instant effective =
        s.effectiveOffsetHours().map(h -> now.plus(Duration.ofHours(h))).orElse(now);
    s.effectiveOffsetHours().ifPresent(h -> b.effectiveFrom(effective));
    s.expiresInHours()
        .ifPresent(
            h ->
                b.expiresAt(
                    effective.isAfter(now)
                        ? effective.plus(Duration.ofHours(h))
                        : now.plus(Duration.ofHours(h))));
    return f.credits().grant(b.build());
  }

  void play(Scenario s, Check check) {
    TckFixture f = new TckFixture(store());
    AccountId a = f.open("acct", s.policy());
    Played p = new Played();
    for (GrantSpec g : s.grants()) {
      p.grants.add(grant(f, a, g));
    }
    verify(f, a, check);
    for (Op op : s.ops()) {
      if (op instanceof GrantOp g) {
        p.grants.add(grant(f, a, g.spec()));
      } else if (op instanceof AdvanceOp adv) {
        f.clock.advance(Duration.ofHours(adv.hours()));
      } else if (op instanceof VoidOp v && !p.grants.isEmpty()) {
        GrantResult g = p.grants.get(v.index() % p.grants.size());
        f.credits()
            .voidGrant(
                new VoidGrantRequest(
                    f.tenant, a, g.grant().id(), f.nextKey(), TckFixture.ADMIN, "property void"));
      } else if (op instanceof ChargeOp c) {
        playCharge(f, a, p, f.chargeRequest(a, c.kind(), c.item(), c.amount()), check);
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
            ChargeRequest.of(
                f.tenant,
                a,
                Charge.of(
                    original.charge().kind(),
                    original.charge().itemCode(),
                    original.charge().amount().plus(credits(1))),
                original.idempotencyKey(),
                TckFixture.ADMIN,
                original.reason());
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
      case CONSERVATION -> LedgerChecks.assertConservation(f.store, f.tenant, a);
      case REPLAY -> LedgerChecks.assertBalancesEqualReplay(f.store, f.tenant, a);
      case POLICY -> LedgerChecks.assertWithinPolicy(f.store, f.tenant, a);
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
    for (GrantSpec g : s.grants()) {
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
                            ChargeRequest.of(
                                f.tenant,
                                a,
                                Charge.usage("m1", Amount.ofMinor(USD, 5)),
                                f.nextKey(),
                                TckFixture.ADMIN,
                                "wrong unit"));
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
}
