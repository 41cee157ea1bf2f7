package dev.billingsdk.bench.memory;

import dev.billingsdk.AccountId;
import dev.billingsdk.GrantId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ReservationResult;
import dev.billingsdk.credit.ReserveRequest;
import dev.billingsdk.credit.SettleRequest;
import dev.billingsdk.credit.SettlementResult;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.spi.CommitResult;
import dev.billingsdk.spi.LedgerWrite;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Ledger posting, one thread, on a store rebuilt each iteration (the in-memory store keeps every
 * transaction it is given).
 *
 * <p>{@link #post}: one balanced transaction (a usage debit: {@code GRANT:<id>} −1.00, {@code
 * CONSUMED} +1.00) built with a fresh idempotency key and committed through {@code
 * BillingStore.commit(LedgerWrite)}, the SPI every service writes through. The store checks the key
 * is unused, the account version, the grant bounds and the overdraft, claims the key, moves the
 * balance and appends the transaction; constructing the {@code LedgerTransaction} checks that it
 * balances (rule 1). No request fingerprint is computed (a precomputed one is passed), since that
 * is the service's step, measured in {@code CreditApplicationBenchmark.charge}. Baseline {@link
 * #barePost}: the same transaction as two {@code long}s, checked to sum to zero, its key claimed in
 * a {@code HashMap}, the grant's {@code long} decremented and the record appended to a list.
 *
 * <p>{@link #reserveSettle}: one {@code reservations().reserve(...)} of 5.00 credits and its {@code
 * settle(...)} for 4.20 (the rest goes back along the lineage), on the 10-grant mix; one operation
 * is the pair. Baseline {@link #bareReserveSettle}: the same plan over the bare arrays, the hold
 * kept in a {@code HashMap} under its id, both idempotency keys claimed, 4.20 consumed in taking
 * order and the rest given back last taken first.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms2g", "-Xmx4g"})
public class LedgerPostingBenchmark {
  static final String FINGERPRINT = "sha256:bench";
  static final Instant AT = Fixtures.NOW;

  /** One account with one large grant, written straight through the store. */
  @State(Scope.Thread)
  public static class Posting1 {
    final AccountId account = AccountId.of("acct-post");
    InMemoryBillingStore store;
    LedgerAccount grant;
    LedgerAccount consumed = LedgerAccount.counter(LedgerAccount.Kind.CONSUMED);
    Amount debit = Amount.ofMinor(Fixtures.CREDITS, -100);
    Amount credit = Amount.ofMinor(Fixtures.CREDITS, 100);
    long version;
    long next;

    // The bare twin.
    Map<String, BareTxn> bareKeys;
    List<BareTxn> bareLog;
    long bareGrant;
    long bareConsumed;

    @Setup(Level.Iteration)
    public void build() {
      store = InMemoryBillingStore.create();
      BenchClock clock = new BenchClock(AT);
      Billing billing = Fixtures.billing(store, clock);
      Fixtures.openAccount(billing, account);
      Fixtures.grant(billing, account, Fixtures.LARGE, "post-grant");
      GrantId id = billing.credits().grants(Fixtures.TENANT, account).get(0).grant().id();
      grant = LedgerAccount.grant(id);
      version = store.loadAccount(Fixtures.TENANT, account).orElseThrow().version();
      next = 0;
      bareKeys = new HashMap<>();
      bareLog = new ArrayList<>();
      bareGrant = Fixtures.LARGE;
      bareConsumed = 0;
    }
  }

  /** A bare ledger record. */
  record BareTxn(String id, String key, long sequence, long grantDelta, long consumedDelta) {}

  @Benchmark
  public CommitResult post(Posting1 p) {
    long n = ++p.next;
    LedgerTransaction t =
        new LedgerTransaction(
            TransactionId.of("txn-" + n),
            Fixtures.TENANT,
            p.account,
            TransactionType.USAGE_DEBIT,
            IdempotencyKey.of("post-" + n),
            FINGERPRINT,
            Fixtures.GATEWAY,
            "bench posting",
            AT,
            List.of(Posting.of(p.grant, p.debit), Posting.of(p.consumed, p.credit)),
            Map.of(),
            p.store.nextSequence());
    CommitResult r = p.store.commit(LedgerWrite.of(t, p.version));
    if (!(r instanceof CommitResult.Committed)) {
      throw new IllegalStateException("posting not committed: " + r);
    }
    p.version++;
    return r;
  }

  @Benchmark
  public BareTxn barePost(Posting1 p) {
    long n = ++p.next;
    long grantDelta = -100;
    long consumedDelta = 100;
    if (grantDelta + consumedDelta != 0) {
      throw new IllegalStateException("unbalanced");
    }
    String key = "post-" + n;
    BareTxn t = new BareTxn("txn-" + n, key, n, grantDelta, consumedDelta);
    BareTxn existing = p.bareKeys.putIfAbsent(key, t);
    if (existing != null) {
      return existing;
    }
    if (p.bareGrant + grantDelta < 0) {
      p.bareKeys.remove(key);
      throw new IllegalStateException("grant below zero");
    }
    p.bareGrant += grantDelta;
    p.bareConsumed += consumedDelta;
    p.bareLog.add(t);
    return t;
  }

  /** The 10-grant mix, for reserve and settle. */
  @State(Scope.Thread)
  public static class Holding {
    final AccountId account = AccountId.of("acct-hold");
    final Charge hold = Charge.usage(Fixtures.METER, Amount.ofMinor(Fixtures.CREDITS, 500));
    final Amount actual = Amount.ofMinor(Fixtures.CREDITS, 420);
    final Duration ttl = Duration.ofMinutes(5);
    Billing billing;
    long next;

    Fixtures.BareWallet bare;
    Map<String, Object> bareKeys;
    Map<String, long[]> bareHolds;
    long bareReserved;
    long bareConsumed;
    final int[] takeIndex = new int[10];
    final long[] takeAmount = new long[10];
    final long[] out = new long[2];
    long now;

    @Setup(Level.Iteration)
    public void build() {
      BenchClock clock = new BenchClock(Fixtures.GRANTED_AT);
      billing = Fixtures.billing(InMemoryBillingStore.create(), clock);
      Fixtures.openAccount(billing, account);
      Fixtures.grantMix(billing, clock, account, 10, 7);
      bare = Fixtures.bareWallet(billing, account);
      bareKeys = new HashMap<>();
      bareHolds = new HashMap<>();
      bareReserved = 0;
      bareConsumed = 0;
      now = Fixtures.NOW.toEpochMilli();
      next = 0;
    }
  }

  @Benchmark
  public SettlementResult reserveSettle(Holding h) {
    long n = ++h.next;
    ReservationResult r =
        h.billing
            .reservations()
            .reserve(
                ReserveRequest.builder(Fixtures.TENANT, h.account, h.hold)
                    .timeToLive(h.ttl)
                    .idempotencyKey(IdempotencyKey.of("reserve-" + n))
                    .actor(Fixtures.GATEWAY)
                    .reason("bench hold")
                    .build());
    return h.billing
        .reservations()
        .settle(
            SettleRequest.builder(Fixtures.TENANT, r.reservation().id(), h.actual)
                .idempotencyKey(IdempotencyKey.of("settle-" + n))
                .actor(Fixtures.GATEWAY)
                .reason("bench settle")
                .build());
  }

  @Benchmark
  public long bareReserveSettle(Holding h) {
    long n = ++h.next;
    // Reserve: claim the key, plan over the arrays, move the takes to the hold.
    String reserveKey = "reserve-" + n;
    String id = "res-" + n;
    int takes =
        h.bare.plan(
            0, Fixtures.METER, h.hold.amount().minor(), h.now, h.takeIndex, h.takeAmount, h.out);
    if (h.out[0] > 0) {
      throw new IllegalStateException("the bare wallet ran dry");
    }
    long[] lineage = new long[takes * 2];
    for (int t = 0; t < takes; t++) {
      lineage[2 * t] = h.takeIndex[t];
      lineage[2 * t + 1] = h.takeAmount[t];
    }
    if (h.bareKeys.putIfAbsent(reserveKey, id) != null) {
      return -1;
    }
    h.bare.apply(takes, h.takeIndex, h.takeAmount);
    h.bareReserved += h.hold.amount().minor();
    h.bareHolds.put(id, lineage);
    // Settle: claim the key, consume the actual amount in taking order, give the rest back last
    // taken first.
    String settleKey = "settle-" + n;
    long[] held = h.bareHolds.remove(id);
    if (held == null || h.bareKeys.putIfAbsent(settleKey, id) != null) {
      return -1;
    }
    long actual = h.actual.minor();
    long back = h.hold.amount().minor() - actual;
    for (int t = held.length / 2 - 1; t >= 0 && back > 0; t--) {
      long give = Math.min(back, held[2 * t + 1]);
      h.bare.remaining[(int) held[2 * t]] += give;
      h.bare.total += give;
      back -= give;
    }
    h.bareReserved -= h.hold.amount().minor();
    h.bareConsumed += actual;
    return h.bareConsumed;
  }
}
