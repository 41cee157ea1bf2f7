package dev.billingsdk.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.AccessPolicy;
import dev.billingsdk.AccountId;
import dev.billingsdk.BillingException;
import dev.billingsdk.GrantId;
import dev.billingsdk.IdGenerator;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.credit.Allocation;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.ChargeOutcome;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.InsufficientCreditException;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.credit.Scope;
import dev.billingsdk.ledger.IdempotencyConflictException;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.CommitResult;
import dev.billingsdk.spi.LedgerWrite;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite for batched charges on a store: {@code Credits.chargeAll} commits with one
 * {@link BillingStore#commitBatch} and leaves the same ledger as charging one by one; a refused
 * request does not stop the others; an idempotency key is charged once within and across batches;
 * another writer getting in before the batch commits makes the service decide that account again,
 * and the store never applies a write that counted on an earlier write of the batch that was not
 * applied; and charges coalesced from many threads on one hot account are each applied once with no
 * overdraft beyond the policy.
 *
 * <p>Every test uses fresh tenants, so {@link #store()} may return one shared store.
 */
public abstract class ChargeBatchTck {
  /** For an adapter's subclass, which supplies the store under test. */
  protected ChargeBatchTck() {}

  /** The store under test. */
  protected abstract BillingStore store();

  /**
   * Threads charging the hot account at once; at least 4, so that charges queue behind each other's
   * commits and the rule can require fewer commits than charges.
   */
  protected int concurrentThreads() {
    return 8;
  }

  /** Charges each thread sends to the hot account. */
  protected int chargesPerThread() {
    return 40;
  }

  private CommitCountingStore counted;
  private TckFixture f;

  @BeforeEach
  void newWorld() {
    counted = new CommitCountingStore(store());
    f = new TckFixture(counted);
  }

  // ------------------------------------------------------------------ helpers

  /** A {@link Billing} on the counted store at the fixture's clock, coalescing if above zero. */
  private Billing instance(TckFixture on, int coalesce) {
    Billing.Builder b =
        Billing.builder()
            .store(on.store)
            .clock(on.clock)
            .ids(IdGenerator.randomUuids())
            .accessPolicy(AccessPolicy.allowAll())
            .maxAttempts(10_000);
    if (coalesce > 0) {
      b.coalesceCharges(coalesce);
    }
    return b.build();
  }

  private static ChargeRequest request(
      TckFixture on, AccountId account, String key, ChargeKind kind, String item, long minor) {
    return ChargeRequest.builder(
            on.tenant, account, Charge.of(kind, item, TckFixture.credits(minor)))
        .idempotencyKey(IdempotencyKey.of(key))
        .actor(TckFixture.ADMIN)
        .reason("tck batch")
        .build();
  }

  private static ChargeRequest usage(TckFixture on, AccountId account, String key, long minor) {
    return request(on, account, key, ChargeKind.USAGE, "tokens", minor);
  }

  /**
   * Two accounts with grants of mixed priority, expiry and scope; grants are named so that two
   * tenants can be compared.
   */
  private static List<AccountId> world(TckFixture on) {
    AccountId lab = on.open("lab", OverdraftPolicy.allowDownTo(TckFixture.credits(5_000)));
    AccountId ops = on.open("ops", OverdraftPolicy.partial());
    on.grant(lab, 10_000, b -> b.name("lab-p5").priority(5));
    on.grant(
        lab,
        8_000,
        b -> b.name("lab-p1-expiring").priority(1).expiresAt(TckFixture.START.plusSeconds(86_400)));
    on.grant(lab, 6_000, b -> b.name("lab-fees").priority(1).scope(Scope.allFixedFees()));
    on.grant(ops, 12_000, b -> b.name("ops"));
    return List.of(lab, ops);
  }

  /** The outcome without generated ids; grants by name. */
  private String describe(TckFixture on, ChargeOutcome o) {
    if (o instanceof ChargeOutcome.Refused r) {
      return "refused " + r.reason().getClass().getSimpleName();
    }
    ChargeResult c = o.result();
    List<String> from = new ArrayList<>();
    for (Allocation a : c.allocations()) {
      from.add(grantName(on, a.grant()) + "=" + a.amount().minor());
    }
    return (c.replayed() ? "replayed " : "charged ")
        + c.transaction().idempotencyKey()
        + " charged="
        + c.charged().minor()
        + " overdraft="
        + c.fromOverdraft().minor()
        + " shortfall="
        + c.shortfall().minor()
        + " from="
        + from;
  }

  private static String grantName(TckFixture on, GrantId id) {
    return on.store.findGrant(on.tenant, id).orElseThrow().grant().name();
  }

  /** The account's ledger without generated ids: postings with grants by name, balances. */
  private static String ledgerOf(TckFixture on, AccountId account) {
    StringBuilder s = new StringBuilder();
    for (LedgerTransaction t : on.store.transactions(on.tenant, account)) {
      s.append(t.type()).append(' ').append(t.idempotencyKey());
      for (Posting p : t.postings()) {
        String where =
            p.account().isGrant() ? grantName(on, p.account().grant()) : p.account().toString();
        s.append(' ').append(where).append('=').append(p.amount().minor());
      }
      Map<String, String> refs = new TreeMap<>(t.references());
      refs.remove("billing.lineage");
      refs.remove("billing.grant");
      s.append(' ').append(refs).append('\n');
    }
    for (GrantBalance g : on.store.grants(on.tenant, account)) {
      s.append(g.grant().name()).append(" left ").append(g.remaining().minor()).append('\n');
    }
    s.append("overdraft ")
        .append(on.store.loadAccount(on.tenant, account).orElseThrow().overdraft().minor());
    return s.toString();
  }

  private static List<ChargeOutcome> oneByOne(Billing b, List<ChargeRequest> requests) {
    List<ChargeOutcome> out = new ArrayList<>();
    for (ChargeRequest r : requests) {
      try {
        out.add(new ChargeOutcome.Charged(b.credits().charge(r)));
      } catch (BillingException e) {
        out.add(new ChargeOutcome.Refused(e));
      }
    }
    return out;
  }

  /** The same list on this fixture's tenant and on a twin tenant with the same setup. */
  private void assertSameAsOneByOne(
      List<AccountId> accounts,
      TckFixture twin,
      List<ChargeOutcome> got,
      List<ChargeOutcome> want) {
    assertThat(got.stream().map(o -> describe(f, o)).toList())
        .isEqualTo(want.stream().map(o -> describe(twin, o)).toList());
    for (AccountId a : accounts) {
      assertThat(ledgerOf(f, a)).as("ledger of %s", a).isEqualTo(ledgerOf(twin, a));
      f.assertConsistent(a);
    }
  }

  /** Requests of the same shape on another tenant. */
  private static List<ChargeRequest> on(TckFixture twin, List<ChargeRequest> requests) {
    return requests.stream()
        .map(
            r ->
                ChargeRequest.builder(twin.tenant, r.account(), r.charge())
                    .references(r.references())
                    .idempotencyKey(r.idempotencyKey())
                    .actor(r.actor())
                    .reason(r.reason())
                    .build())
        .toList();
  }

  // ------------------------------------------------------------------ rules

  @Test
  @DisplayName("a batch of charges on several accounts commits with one store call")
  void required_aBatchCommitsInOneStoreCall() {
    List<AccountId> accounts = world(f);
    List<ChargeRequest> requests = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      requests.add(usage(f, accounts.get(i % 2), "one-" + i, 100 + i));
    }
    counted.reset();
    List<ChargeOutcome> got = f.credits().chargeAll(requests);
    assertThat(got).hasSize(30).allMatch(ChargeOutcome::charged);
    assertThat(counted.commits).as("store commits").hasValue(1);
    assertThat(counted.batchedWrites).hasValue(30);
    for (int i = 0; i < 30; i++) {
      assertThat(got.get(i).result().transaction().idempotencyKey().value()).isEqualTo("one-" + i);
    }
    accounts.forEach(f::assertConsistent);
  }

  @Test
  @DisplayName("chargeAll leaves the same ledger and answers as charging one by one")
  void required_chargeAllEqualsSequentialCharges() {
    List<AccountId> accounts = world(f);
    TckFixture twin = new TckFixture(store());
    world(twin);
    f.clock.advance(Duration.ofHours(1));
    twin.clock.advance(Duration.ofHours(1));
    List<ChargeRequest> requests = new ArrayList<>();
    long[] amounts = {900, 4_000, 7_000, 2_500, 3_300, 6_100, 1_200, 5_000, 800, 3_000};
    for (int i = 0; i < amounts.length; i++) {
      requests.add(usage(f, accounts.get(i % 3 == 2 ? 1 : 0), "seq-" + i, amounts[i]));
    }
    requests.add(request(f, accounts.get(0), "fee", ChargeKind.FIXED_FEE, "seat", 7_000));
    requests.add(usage(f, accounts.get(0), "seq-over", 3_500)); // past the overdraft limit
    requests.add(usage(f, accounts.get(0), "seq-last", 2_000));
    List<ChargeOutcome> got = f.credits().chargeAll(requests);
    List<ChargeOutcome> want = oneByOne(twin.billing, on(twin, requests));
    assertSameAsOneByOne(accounts, twin, got, want);
    assertThat(describe(f, got.get(11))).isEqualTo("refused InsufficientCreditException");
    assertThat(got.get(12).charged()).isTrue();
  }

  @Test
  @DisplayName("a refused request is its own outcome and does not stop the others")
  void required_aRefusedRequestDoesNotStopTheOthers() {
    List<AccountId> accounts = world(f);
    AccountId lab = accounts.get(0);
    List<ChargeRequest> requests =
        List.of(
            usage(f, lab, "r-1", 1_000),
            usage(f, lab, "r-2", 1_000_000),
            usage(f, AccountId.of("nobody"), "r-3", 10),
            usage(f, lab, "r-4", 1_000));
    List<ChargeOutcome> got = f.credits().chargeAll(requests);
    assertThat(got.get(0).charged()).isTrue();
    assertThat(((ChargeOutcome.Refused) got.get(1)).reason())
        .isInstanceOf(InsufficientCreditException.class);
    assertThat(got.get(2).charged()).isFalse();
    assertThat(got.get(3).charged()).isTrue();
    assertThat(f.store.transactions(f.tenant, lab).stream().map(t -> t.idempotencyKey().value()))
        .contains("r-1", "r-4")
        .doesNotContain("r-2");
    f.assertConsistent(lab);
  }

  @Test
  @DisplayName("an idempotency key is charged once, within one batch and across batches")
  void required_duplicatesWithinAndAcrossBatchesAreChargedOnce() {
    AccountId ops = world(f).get(1);
    List<ChargeRequest> first =
        List.of(
            usage(f, ops, "d-1", 100),
            usage(f, ops, "d-1", 100),
            usage(f, ops, "d-1", 101),
            usage(f, ops, "d-2", 100));
    List<ChargeOutcome> a = f.credits().chargeAll(first);
    assertThat(a.get(0).result().replayed()).isFalse();
    assertThat(a.get(1).result().replayed()).isTrue();
    assertThat(a.get(1).result().transaction().id())
        .isEqualTo(a.get(0).result().transaction().id());
    assertThat(((ChargeOutcome.Refused) a.get(2)).reason())
        .isInstanceOf(IdempotencyConflictException.class);
    List<ChargeOutcome> b =
        f.credits()
            .chargeAll(
                List.of(
                    usage(f, ops, "d-2", 100), usage(f, ops, "d-1", 100), usage(f, ops, "d-2", 5)));
    assertThat(b.get(0).result().replayed()).isTrue();
    assertThat(b.get(1).result().transaction().id())
        .isEqualTo(a.get(0).result().transaction().id());
    assertThat(b.get(2).charged()).isFalse();
    assertThat(f.store.transactions(f.tenant, ops)).hasSize(3); // the grant, d-1, d-2
    assertThat(f.store.grants(f.tenant, ops).get(0).remaining().minor()).isEqualTo(11_800);
    f.assertConsistent(ops);
  }

  @Test
  @DisplayName("another writer getting in before the batch commits: that account is re-decided")
  void required_aVersionConflictMidBatchIsReDecided() {
    List<AccountId> accounts = world(f);
    AccountId lab = accounts.get(0);
    AccountId ops = accounts.get(1);
    TckFixture twin = new TckFixture(store());
    world(twin);
    Billing other = instance(new TckFixture(store()), 0); // its own instance, on the raw store
    AtomicBoolean once = new AtomicBoolean(true);
    counted.beforeBatch =
        writes -> {
          if (once.compareAndSet(true, false)) {
            other.credits().charge(usage(f, lab, "other-writer", 15_000));
          }
          return writes;
        };
    twin.credits().charge(usage(twin, lab, "other-writer", 15_000));
    List<ChargeRequest> requests =
        List.of(
            usage(f, ops, "m-1", 1_000),
            usage(f, lab, "m-2", 2_000),
            usage(f, lab, "m-3", 2_000),
            usage(f, lab, "m-4", 2_000),
            usage(f, ops, "m-5", 500));
    counted.reset();
    List<ChargeOutcome> got = f.credits().chargeAll(requests);
    List<ChargeOutcome> want = oneByOne(twin.billing, on(twin, requests));
    assertSameAsOneByOne(accounts, twin, got, want);
    assertThat(counted.commits).as("the batch, then the re-decided account").hasValue(2);
  }

  @Test
  @DisplayName("the store does not apply a write that counted on an unapplied write of its batch")
  void required_aWriteAfterAnUnappliedWriteOfItsAccountInOneBatchIsNotApplied() {
    AccountId a = f.open("chain");
    var g = f.grant(a, 1_000);
    long v = f.version(a);
    // Another writer moves the account on by one after the batch below was decided at v.
    assertThat(f.store.commit(LedgerWrite.of(f.rawDebit(a, g, 10, f.nextKey()), v)))
        .isInstanceOf(CommitResult.Committed.class);
    LedgerTransaction first = f.rawDebit(a, g, 20, f.nextKey());
    LedgerTransaction second = f.rawDebit(a, g, 30, f.nextKey());
    List<CommitResult> results =
        f.store.commitBatch(List.of(LedgerWrite.of(first, v), LedgerWrite.of(second, v + 1)));
    assertThat(results.get(0)).isInstanceOf(CommitResult.VersionConflict.class);
    assertThat(results.get(1))
        .as("names v+1, which only the unapplied first write would have reached")
        .isInstanceOf(CommitResult.VersionConflict.class);
    assertThat(f.remaining(g)).isEqualTo(990);
    assertThat(f.version(a)).isEqualTo(v + 1);
    // The same holds when the first write is a duplicate of a key another writer used.
    IdempotencyKey taken = f.nextKey();
    assertThat(f.store.commit(LedgerWrite.of(f.rawDebit(a, g, 5, taken), v + 1)))
        .isInstanceOf(CommitResult.Committed.class);
    List<CommitResult> again =
        f.store.commitBatch(
            List.of(
                LedgerWrite.of(f.rawDebit(a, g, 20, taken), v + 1),
                LedgerWrite.of(f.rawDebit(a, g, 30, f.nextKey()), v + 2)));
    assertThat(again.get(0)).isInstanceOf(CommitResult.Duplicate.class);
    assertThat(again.get(1)).isInstanceOf(CommitResult.VersionConflict.class);
    assertThat(f.remaining(g)).isEqualTo(985);
    f.assertConsistent(a);
  }

  @Test
  @DisplayName("coalesced charges from many threads on one hot account: each once, no overdraft")
  void required_coalescedChargesOnAHotAccountAreEachAppliedOnceWithNoOverdraft() throws Exception {
    AccountId hot = f.open("hot", OverdraftPolicy.allowDownTo(TckFixture.credits(2_000)));
    int threads = concurrentThreads();
    int perThread = chargesPerThread();
    long granted = 0;
    for (int i = 0; i < 3; i++) {
      long amount = 60L * threads * perThread / 4;
      int priority = 3 - i;
      f.grant(hot, amount, b -> b.priority(priority));
      granted += amount;
    }
    Billing coalescing = instance(f, 32);
    counted.reset();
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<Object>>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  List<Object> out = new ArrayList<>();
                  for (int i = 0; i < perThread; i++) {
                    ChargeRequest r = usage(f, hot, "h-" + thread + "-" + i, 50 + (i % 5) * 10);
                    for (int send = 0; send < (i % 4 == 0 ? 2 : 1); send++) {
                      try {
                        out.add(coalescing.credits().charge(r));
                      } catch (InsufficientCreditException e) {
                        out.add(e);
                      }
                    }
                  }
                  return out;
                }));
      }
      int sends = 0;
      long charged = 0;
      Set<String> chargedKeys = new HashSet<>();
      Map<String, String> firstAnswer = new HashMap<>();
      for (Future<List<Object>> future : futures) {
        for (Object o : future.get(5, TimeUnit.MINUTES)) {
          sends++;
          if (o instanceof ChargeResult r) {
            String key = r.transaction().idempotencyKey().value();
            if (!r.replayed()) {
              assertThat(chargedKeys.add(key)).as("%s charged once", key).isTrue();
              charged += r.charged().minor();
            }
            String id = r.transaction().id().value();
            assertThat(firstAnswer.putIfAbsent(key, id)).isIn(null, id);
          }
        }
      }
      Set<String> ledgerKeys = new HashSet<>();
      long consumed = 0;
      for (LedgerTransaction t : f.store.transactions(f.tenant, hot)) {
        if (chargedKeys.contains(t.idempotencyKey().value())) {
          ledgerKeys.add(t.idempotencyKey().value());
          consumed +=
              t.minorOn(
                  dev.billingsdk.ledger.LedgerAccount.counter(
                      dev.billingsdk.ledger.LedgerAccount.Kind.CONSUMED));
        }
      }
      assertThat(ledgerKeys).isEqualTo(chargedKeys);
      assertThat(consumed).isEqualTo(charged);
      assertThat(charged).as("demand exceeded the grants").isGreaterThan(granted);
      f.assertConsistent(hot);
      StoreLedgerChecks.assertWithinPolicy(f.store, f.tenant, hot);
      assertThat(counted.commits.get()).as("store commits for %d charges", sends).isLessThan(sends);
    } finally {
      pool.shutdownNow();
    }
  }
}
