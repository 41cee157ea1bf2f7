package dev.billingsdk.batch;

import static dev.billingsdk.batch.ChargeBatchWorld.ADMIN;
import static dev.billingsdk.batch.ChargeBatchWorld.T0;
import static dev.billingsdk.batch.ChargeBatchWorld.TENANT;
import static dev.billingsdk.batch.ChargeBatchWorld.charge;
import static dev.billingsdk.batch.ChargeBatchWorld.credits;
import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.AccountId;
import dev.billingsdk.BillingException;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.ChargeOutcome;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.LowBalanceAlert;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.credit.Scope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * chargeAll(list) on one store and charge(r) for each r in order on another, from the same accounts
 * and grants: identical outcomes (charged amounts, allocations by grant, replays, refusal types),
 * ledgers, grant remainders, overdrafts, alert states and events.
 */
class ChargeAllPropertiesTest {
  static final int ACCOUNTS = 3;

  /** policy: 0 reject, 1 partial, 2 down to {@code limit}; alert below {@code threshold} if > 0. */
  record AccountSpec(int policy, long limit, long threshold) {}

  /**
   * startsIn in hours from T0 (0: at once), expiresIn in hours after the start (0: never); the
   * charges run 24 hours after T0, so some grants have expired and some are not yet effective.
   * scope: 0 everything, 1 usage, 2 fixed fees, 3 the "tokens" meter.
   */
  record GrantSpec(
      int account, long amount, int priority, int expiresIn, int startsIn, int scope) {}

  /**
   * account: ACCOUNTS means an unknown one. item: 0 tokens, 1 images, 2 a seat fee. key: 0 fresh, 1
   * an earlier request of the list again, 2 an earlier key with another amount, 3 a key charged
   * before the list (same payload), 4 such a key with another payload.
   */
  record ChargeSpec(int account, int item, long amount, int key, int pick) {}

  @Provide
  Arbitrary<AccountSpec> accounts() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 2),
            Arbitraries.longs().between(1, 200),
            Arbitraries.of(0L, 0L, 50L, 150L, 400L))
        .as(AccountSpec::new);
  }

  @Provide
  Arbitrary<GrantSpec> grants() {
    return Combinators.combine(
            Arbitraries.integers().between(0, ACCOUNTS - 1),
            Arbitraries.longs().between(1, 400),
            Arbitraries.integers().between(1, 4),
            Arbitraries.of(0, 0, 12, 30, 48, 200),
            Arbitraries.of(0, 0, 0, 6, 40),
            Arbitraries.of(0, 0, 1, 2, 3))
        .as(GrantSpec::new);
  }

  @Provide
  Arbitrary<ChargeSpec> charges() {
    return Combinators.combine(
            Arbitraries.frequency(Tuple2(6, 0), Tuple2(3, 1), Tuple2(2, 2), Tuple2(1, ACCOUNTS)),
            Arbitraries.integers().between(0, 2),
            Arbitraries.longs().between(1, 300),
            Arbitraries.frequency(
                Tuple2(12, 0), Tuple2(2, 1), Tuple2(2, 2), Tuple2(1, 3), Tuple2(1, 4)),
            Arbitraries.integers().between(0, 1000))
        .as(ChargeSpec::new);
  }

  private static net.jqwik.api.Tuple.Tuple2<Integer, Integer> Tuple2(int weight, int value) {
    return net.jqwik.api.Tuple.of(weight, value);
  }

  static AccountId account(int i) {
    return AccountId.of(i == ACCOUNTS ? "ghost" : "acct-" + i);
  }

  static void setUp(
      ChargeBatchWorld w, List<AccountSpec> accounts, List<GrantSpec> grants, int preCharges) {
    for (int i = 0; i < ACCOUNTS; i++) {
      AccountSpec a = accounts.get(i);
      OverdraftPolicy policy =
          switch (a.policy()) {
            case 0 -> OverdraftPolicy.reject();
            case 1 -> OverdraftPolicy.partial();
            default -> OverdraftPolicy.allowDownTo(credits(a.limit()));
          };
      w.open(account(i).value(), policy);
      if (a.threshold() > 0) {
        w.credits()
            .configureLowBalanceAlert(
                TENANT,
                account(i),
                Optional.of(LowBalanceAlert.below(credits(a.threshold()))),
                ADMIN);
      }
    }
    for (GrantSpec g : grants) {
      w.grant(
          account(g.account()),
          g.amount(),
          b -> {
            b.priority(g.priority());
            if (g.expiresIn() > 0) {
              b.expiresAt(T0.plus(Duration.ofHours(g.startsIn() + g.expiresIn())));
            }
            if (g.startsIn() > 0) {
              b.effectiveFrom(T0.plus(Duration.ofHours(g.startsIn())));
            }
            b.scope(
                switch (g.scope()) {
                  case 0 -> Scope.everything();
                  case 1 -> Scope.allUsageMeters();
                  case 2 -> Scope.allFixedFees();
                  default -> Scope.meters("tokens");
                });
          });
    }
    w.clock.advance(Duration.ofHours(24));
    for (int i = 0; i < preCharges; i++) {
      try {
        w.credits().charge(preCharge(i));
      } catch (BillingException refused) {
        // a refused pre-charge leaves its key unused: the list may use it afresh
      }
    }
    w.store.reset();
    w.events.clear();
  }

  static ChargeRequest preCharge(int i) {
    return charge(account(i % ACCOUNTS), "pre-" + i, ChargeKind.USAGE, "tokens", 10 + i);
  }

  static List<ChargeRequest> requests(List<ChargeSpec> specs, int preCharges) {
    List<ChargeRequest> out = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      ChargeSpec s = specs.get(i);
      ChargeKind kind = s.item() == 2 ? ChargeKind.FIXED_FEE : ChargeKind.USAGE;
      String item =
          switch (s.item()) {
            case 0 -> "tokens";
            case 1 -> "images";
            default -> "seat";
          };
      ChargeRequest fresh = charge(account(s.account()), "c-" + i, kind, item, s.amount());
      if (s.key() == 1 && i > 0) {
        out.add(out.get(s.pick() % i));
      } else if (s.key() == 2 && i > 0) {
        ChargeRequest earlier = out.get(s.pick() % i);
        out.add(
            charge(
                earlier.account(),
                earlier.idempotencyKey().value(),
                earlier.charge().kind(),
                earlier.charge().itemCode(),
                earlier.charge().amount().minor() + 1));
      } else if (s.key() == 3 && preCharges > 0) {
        out.add(preCharge(s.pick() % preCharges));
      } else if (s.key() == 4 && preCharges > 0) {
        int p = s.pick() % preCharges;
        out.add(charge(account(s.account()), "pre-" + p, kind, item, s.amount()));
      } else {
        out.add(fresh);
      }
    }
    return out;
  }

  @Property(tries = 600)
  void chargeAllEqualsSequentialCharges(
      @ForAll @Size(ACCOUNTS) List<@From("accounts") AccountSpec> accounts,
      @ForAll @Size(max = 8) List<@From("grants") GrantSpec> grants,
      @ForAll @Size(min = 1, max = 40) List<@From("charges") ChargeSpec> charges,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 4) int preCharges) {
    ChargeBatchWorld batched = new ChargeBatchWorld();
    ChargeBatchWorld sequential = new ChargeBatchWorld();
    setUp(batched, accounts, grants, preCharges);
    setUp(sequential, accounts, grants, preCharges);
    List<ChargeRequest> list = requests(charges, preCharges);

    List<ChargeOutcome> got = batched.credits().chargeAll(list);
    List<ChargeOutcome> want = sequential.sequentially(list);

    assertThat(got.stream().map(ChargeBatchWorld::describe).toList())
        .isEqualTo(want.stream().map(ChargeBatchWorld::describe).toList());
    for (int i = 0; i < ACCOUNTS; i++) {
      assertThat(batched.ledgerOf(account(i))).isEqualTo(sequential.ledgerOf(account(i)));
    }
    assertThat(batched.eventsHeard()).isEqualTo(sequential.eventsHeard());
    assertThat(batched.store.commits.get()).isLessThanOrEqualTo(1);
  }
}
