package dev.billingsdk.bench.memory;

import dev.billingsdk.AccountId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.ChargeQuote;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.setup.Billing;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Credit application: which eligible grants pay a charge, in priority order, over an account of 10,
 * 100 or 1,000 grants (the mix of {@link Fixtures#grantMix}: mixed priorities, categories and cost
 * bases, about a quarter scoped to other items, 10% expired and 10% not yet effective).
 *
 * <p><b>What the figure means.</b> "Credit application" is the <em>deciding step</em>: filter the
 * live grants by eligibility (effective, not expired, scope covers the charge), order them by the
 * grant order, and let each pay what it can until the charge (2.50 credits, which the two head
 * grants of 1.00 cannot cover, so three grants pay) is covered. The library's most direct public
 * path to exactly that is {@code credits().quote(tenant, account, charge)}: it reads the account's
 * snapshot from the store, plans the charge with the same code a charge uses ({@code ChargePlan})
 * and returns the allocations and the balance after, writing nothing. That is {@link #quote} (and
 * {@link #quoteTwoThreads}: two threads, each quoting its own account in the same store, so any
 * store-level locking shows). The rate targets (5 M/s over 10 grants, 1 M/s over 1,000)
 * apply to it.
 *
 * <p>{@link #charge} is the full {@code credits().charge(...)} for context: decide, plus the write
 * protocol (SHA-256 request fingerprint, idempotency lookup, ledger transaction, versioned commit
 * with the idempotency claim, the {@code ChargePosted} event). It runs on a store rebuilt each
 * iteration, because the store keeps every transaction. Its head grants run dry on the first
 * charge, so from then on one large grant pays; the decision still filters and orders the whole
 * mix.
 *
 * <p><b>Baselines.</b> {@link #bareDecide} (and {@link #bareDecideTwoThreads}) do the same
 * arithmetic on plain arrays: the same grants, sorted once in the standard grant order when the
 * wallet is built (as a hand-written wallet would keep them), walked in order with the same
 * eligibility checks (remaining, effective-from, expiry, scope as a kind bitmask or one item code),
 * each paying {@code min(need, remaining)}, stopping once the charge is covered, plus the balance
 * after from a running total. {@link #bareCharge} adds what a bare charge does: claim the
 * idempotency key in a {@code HashMap} and decrement the arrays.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms2g", "-Xmx4g"})
public class CreditApplicationBenchmark {

  /** The charge every benchmark here prices. */
  static final Charge CHARGE =
      Charge.of(
          ChargeKind.USAGE,
          Fixtures.METER,
          Amount.ofMinor(Fixtures.CREDITS, Fixtures.CHARGE_MINOR));

  /** One store with two accounts of the same mix (different seeds), each with its bare twin. */
  @State(Scope.Benchmark)
  public static class Wallets {
    @Param({"10", "100", "1000"})
    public int grants;

    final AccountId[] accounts = {AccountId.of("acct-0"), AccountId.of("acct-1")};
    final Fixtures.BareWallet[] bare = new Fixtures.BareWallet[2];
    final AtomicInteger nextSlot = new AtomicInteger();
    Billing billing;
    long now;

    @Setup(Level.Trial)
    public void build() {
      BenchClock clock = new BenchClock(Fixtures.GRANTED_AT);
      billing = Fixtures.billing(InMemoryBillingStore.create(), clock);
      for (int a = 0; a < accounts.length; a++) {
        Fixtures.openAccount(billing, accounts[a]);
        Fixtures.grantMix(billing, clock, accounts[a], grants, 42 + a);
        bare[a] = Fixtures.bareWallet(billing, accounts[a]);
      }
      now = Fixtures.NOW.toEpochMilli();
      ChargeQuote q = billing.credits().quote(Fixtures.TENANT, accounts[0], CHARGE);
      if (q.wouldBeRejected() || q.allocations().size() != 3) {
        throw new IllegalStateException("the mix should pay the charge from three grants: " + q);
      }
    }
  }

  /** Which account a thread works on: each thread its own. */
  @State(Scope.Thread)
  public static class Slot {
    int index;
    int[] takeIndex;
    long[] takeAmount;
    final long[] out = new long[2];

    @Setup(Level.Trial)
    public void pick(Wallets w) {
      index = w.nextSlot.getAndIncrement() % w.accounts.length;
      takeIndex = new int[w.grants];
      takeAmount = new long[w.grants];
    }
  }

  @Benchmark
  public ChargeQuote quote(Wallets w, Slot s) {
    return w.billing.credits().quote(Fixtures.TENANT, w.accounts[s.index], CHARGE);
  }

  @Benchmark
  @Threads(2)
  public ChargeQuote quoteTwoThreads(Wallets w, Slot s) {
    return w.billing.credits().quote(Fixtures.TENANT, w.accounts[s.index], CHARGE);
  }

  @Benchmark
  public long bareDecide(Wallets w, Slot s) {
    return decideBare(w, s);
  }

  @Benchmark
  @Threads(2)
  public long bareDecideTwoThreads(Wallets w, Slot s) {
    return decideBare(w, s);
  }

  private static long decideBare(Wallets w, Slot s) {
    int takes =
        w.bare[s.index].plan(
            ChargeKind.USAGE.ordinal(),
            Fixtures.METER,
            Fixtures.CHARGE_MINOR,
            w.now,
            s.takeIndex,
            s.takeAmount,
            s.out);
    return takes + s.out[0] + s.out[1];
  }

  /** A single account rebuilt each iteration, for the charges that write. */
  @State(Scope.Thread)
  public static class Charging {
    @Param({"10", "100", "1000"})
    public int grants;

    final AccountId account = AccountId.of("acct-0");
    Billing billing;
    Fixtures.BareWallet bare;
    Map<String, long[]> bareKeys;
    int[] takeIndex;
    long[] takeAmount;
    final long[] out = new long[2];
    long now;
    long next;

    @Setup(Level.Iteration)
    public void build() {
      BenchClock clock = new BenchClock(Fixtures.GRANTED_AT);
      billing = Fixtures.billing(InMemoryBillingStore.create(), clock);
      Fixtures.openAccount(billing, account);
      Fixtures.grantMix(billing, clock, account, grants, 42);
      bare = Fixtures.bareWallet(billing, account);
      bareKeys = new HashMap<>();
      takeIndex = new int[grants];
      takeAmount = new long[grants];
      now = Fixtures.NOW.toEpochMilli();
      next = 0;
    }
  }

  @Benchmark
  public Object charge(Charging c) {
    return c.billing
        .credits()
        .charge(
            ChargeRequest.builder(Fixtures.TENANT, c.account, CHARGE)
                .idempotencyKey(IdempotencyKey.of("charge-" + c.next++))
                .actor(Fixtures.GATEWAY)
                .reason("bench charge")
                .build());
  }

  @Benchmark
  public void bareCharge(Charging c, Blackhole bh) {
    String key = "charge-" + c.next++;
    if (c.bareKeys.containsKey(key)) {
      bh.consume(c.bareKeys.get(key));
      return;
    }
    int takes =
        c.bare.plan(
            ChargeKind.USAGE.ordinal(),
            Fixtures.METER,
            Fixtures.CHARGE_MINOR,
            c.now,
            c.takeIndex,
            c.takeAmount,
            c.out);
    if (c.out[0] > 0) {
      throw new IllegalStateException("the bare wallet ran dry");
    }
    c.bare.apply(takes, c.takeIndex, c.takeAmount);
    long[] record = new long[takes * 2];
    for (int t = 0; t < takes; t++) {
      record[2 * t] = c.takeIndex[t];
      record[2 * t + 1] = c.takeAmount[t];
    }
    c.bareKeys.put(key, record);
    bh.consume(record);
  }
}
