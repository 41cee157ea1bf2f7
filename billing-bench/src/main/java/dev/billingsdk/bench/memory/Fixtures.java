package dev.billingsdk.bench.memory;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdGenerator;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.CostBasis;
import dev.billingsdk.credit.Grant;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantOrder;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.ItemRef;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.credit.Scope;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.money.Price;
import dev.billingsdk.setup.Billing;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/** What every in-memory benchmark shares: the unit, the tenant, the clock's instants, the mix. */
final class Fixtures {
  static final CreditUnit CREDITS = CreditUnit.of("CREDIT", 2);
  static final TenantId TENANT = TenantId.of("bench-tenant");
  static final Actor ADMIN = Actor.of("bench-admin", Role.ADMIN);
  static final Actor GATEWAY = Actor.system("bench-gateway");
  static final String METER = "llm-tokens";

  /** When the grants are written. */
  static final Instant GRANTED_AT = Instant.parse("2026-01-01T00:00:00Z");

  /** When the benchmarks charge: 30 days later, so that part of the mix has expired meanwhile. */
  static final Instant NOW = GRANTED_AT.plus(Duration.ofDays(30));

  /** Plenty: a grant this large never runs dry in an iteration. */
  static final long LARGE = 1_000_000_000_000L;

  /** The two head grants of a mix hold this much, so a charge of 250 takes from three grants. */
  static final long HEAD = 100;

  /** The charge the credit-application benchmarks price: 2.50 credits of usage. */
  static final long CHARGE_MINOR = 250;

  private static final int[] PRIORITIES = {2, 10, 25, 50, 50, 50, 75, 100};

  private Fixtures() {}

  /** A library on an in-memory store with sequential ids (no UUIDs in the figures). */
  static Billing billing(InMemoryBillingStore store, BenchClock clock) {
    return Billing.builder().store(store).clock(clock).ids(IdGenerator.sequential()).build();
  }

  static void openAccount(Billing billing, AccountId account) {
    billing
        .credits()
        .openAccount(OpenAccountRequest.builder(TENANT, account, CREDITS).actor(ADMIN).build());
  }

  static void grant(Billing billing, AccountId account, long minor, String key) {
    billing
        .credits()
        .grant(
            GrantRequest.builder(TENANT, account, Amount.ofMinor(CREDITS, minor))
                .idempotencyKey(IdempotencyKey.of(key))
                .actor(ADMIN)
                .reason("bench grant")
                .build());
  }

  /**
   * Writes {@code n} grants to the account, with the clock at {@link #GRANTED_AT}: the two head
   * grants (priority 1, everything, no expiry, {@link #HEAD} each; they pay first), then a seeded
   * mix of priorities (2 to 100), categories and cost bases (30% purchased at a price), scopes
   * (about 75% cover llm-tokens usage: everything, all usage meters or the meter by name; the rest
   * are scoped to the gpu-time meter or to fixed fees), and times: 10% have expired by {@link
   * #NOW}, 10% are not yet effective at {@link #NOW}, 40% expire later and 40% never do. Every
   * non-head grant is {@link #LARGE}, so the mix never runs dry.
   */
  static void grantMix(Billing billing, BenchClock clock, AccountId account, int n, long seed) {
    clock.set(GRANTED_AT);
    SplittableRandom random = new SplittableRandom(seed);
    Price paid = Price.of(Amount.of(CurrencyUnit.of("USD"), "1"), Amount.of(CREDITS, "100"));
    for (int i = 0; i < n; i++) {
      GrantRequest.Builder b;
      if (i < 2) {
        b = GrantRequest.builder(TENANT, account, Amount.ofMinor(CREDITS, HEAD)).priority(1);
      } else {
        b =
            GrantRequest.builder(
                    TENANT, account, Amount.ofMinor(CREDITS, LARGE + random.nextInt(1000)))
                .priority(PRIORITIES[random.nextInt(PRIORITIES.length)]);
        int scope = random.nextInt(20);
        if (scope < 10) {
          b.scope(Scope.everything());
        } else if (scope < 13) {
          b.scope(Scope.allUsageMeters());
        } else if (scope < 15) {
          b.scope(Scope.meters(METER));
        } else if (scope < 18) {
          b.scope(Scope.items(ItemRef.meter("gpu-time")));
        } else {
          b.scope(Scope.kinds(ChargeKind.FIXED_FEE));
        }
        int time = random.nextInt(10);
        if (time == 0) {
          b.expiresAt(GRANTED_AT.plus(Duration.ofDays(1 + random.nextInt(28))));
        } else if (time == 1) {
          b.effectiveFrom(NOW.plus(Duration.ofDays(1 + random.nextInt(10))));
        } else if (time < 6) {
          b.expiresAt(NOW.plus(Duration.ofDays(1 + random.nextInt(365))));
        }
        if (random.nextInt(10) < 3) {
          b.category(GrantCategory.PURCHASED).costBasis(CostBasis.paid(paid));
        }
      }
      billing
          .credits()
          .grant(
              b.idempotencyKey(IdempotencyKey.of("grant-" + account.value() + "-" + i))
                  .actor(ADMIN)
                  .reason("bench grant")
                  .build());
    }
    clock.set(NOW);
  }

  /**
   * The same grants as plain arrays, sorted once in the standard grant order (as a hand-written
   * wallet would keep them sorted on insert): what the bare baselines walk.
   */
  static BareWallet bareWallet(Billing billing, AccountId account) {
    List<GrantBalance> grants = new ArrayList<>(billing.credits().grants(TENANT, account));
    grants.sort(Comparator.comparing(GrantBalance::grant, GrantOrder.standard()));
    return new BareWallet(grants);
  }

  /** Grants as parallel arrays: remaining, validity window (epoch millis) and scope. */
  static final class BareWallet {
    final long[] remaining;
    final long[] effectiveFrom;
    final long[] expiresAt;
    final int[] kindMask;
    final int[] itemKind;
    final String[] itemCode;
    long total;

    BareWallet(List<GrantBalance> sorted) {
      int n = sorted.size();
      remaining = new long[n];
      effectiveFrom = new long[n];
      expiresAt = new long[n];
      kindMask = new int[n];
      itemKind = new int[n];
      itemCode = new String[n];
      for (int i = 0; i < n; i++) {
        Grant g = sorted.get(i).grant();
        remaining[i] = sorted.get(i).remaining().minor();
        total += remaining[i];
        effectiveFrom[i] = g.effectiveFrom().toEpochMilli();
        expiresAt[i] = g.expiresAt().map(Instant::toEpochMilli).orElse(Long.MAX_VALUE);
        Scope s = g.scope();
        int mask = 0;
        if (s.unrestricted()) {
          mask = -1;
        } else {
          for (ChargeKind k : s.kinds()) {
            mask |= 1 << k.ordinal();
          }
        }
        kindMask[i] = mask;
        itemKind[i] = -1;
        if (!s.items().isEmpty()) {
          // The mix scopes a grant to at most one item.
          ItemRef item = s.items().iterator().next();
          itemKind[i] = item.kind().ordinal();
          itemCode[i] = item.code();
        }
      }
    }

    boolean canPay(int i, int kind, String item, long now) {
      return remaining[i] > 0
          && effectiveFrom[i] <= now
          && now < expiresAt[i]
          && ((kindMask[i] & (1 << kind)) != 0
              || (itemKind[i] == kind && item.equals(itemCode[i])));
    }

    /**
     * Plans a charge the way the library's quote does (eligible grants in order, each pays what it
     * can), writing the takes into {@code takeIndex}/{@code takeAmount}; returns how many grants
     * pay, and nothing is changed. {@code out[0]} gets the shortfall, {@code out[1]} the balance
     * after.
     */
    int plan(
        int kind,
        String item,
        long amount,
        long now,
        int[] takeIndex,
        long[] takeAmount,
        long[] out) {
      long need = amount;
      int takes = 0;
      for (int i = 0; i < remaining.length && need > 0; i++) {
        if (canPay(i, kind, item, now)) {
          long take = Math.min(need, remaining[i]);
          takeIndex[takes] = i;
          takeAmount[takes] = take;
          takes++;
          need -= take;
        }
      }
      out[0] = need;
      out[1] = total - (amount - need);
      return takes;
    }

    /** Applies a plan: decrements the grants that pay. */
    void apply(int takes, int[] takeIndex, long[] takeAmount) {
      for (int t = 0; t < takes; t++) {
        remaining[takeIndex[t]] -= takeAmount[t];
        total -= takeAmount[t];
      }
    }
  }
}
