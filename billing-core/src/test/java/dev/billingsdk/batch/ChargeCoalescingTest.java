package dev.billingsdk.batch;

import static dev.billingsdk.batch.ChargeBatchWorld.TENANT;
import static dev.billingsdk.batch.ChargeBatchWorld.credits;
import static dev.billingsdk.batch.ChargeBatchWorld.usage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.AccountId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.credit.ChargeInterruptedException;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.InsufficientCreditException;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.spi.AccountSnapshot;
import dev.billingsdk.spi.StoreFailureException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Concurrent charges on one account, coalesced into batches on the callers' threads. */
@Timeout(60)
class ChargeCoalescingTest {
  static final AccountId HOT = AccountId.of("hot");

  @Test
  @DisplayName("the builder refuses a batch size outside 1..1000 and a second call")
  void builderOption() {
    assertThatThrownBy(() -> Billing.builder().coalesceCharges(0))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("coalesceCharges"));
    assertThatThrownBy(() -> Billing.builder().coalesceCharges(1001))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> Billing.builder().coalesceCharges(5).coalesceCharges(6))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> assertThat(e.getMessage()).contains("was already set to 5"));
  }

  @Test
  @DisplayName("across accounts: the builder refuses sizes out of range and a second coalescing")
  void acrossAccountsBuilderOption() {
    assertThatThrownBy(() -> Billing.builder().coalesceChargesAcrossAccounts(0, 1))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> assertThat(e.field()).isEqualTo("coalesceChargesAcrossAccounts.maxBatch"));
    assertThatThrownBy(() -> Billing.builder().coalesceChargesAcrossAccounts(1001, 1))
        .isInstanceOf(InvalidRequestException.class);
    for (int lanes : new int[] {0, -1, 1025}) {
      assertThatThrownBy(() -> Billing.builder().coalesceChargesAcrossAccounts(10, lanes))
          .isInstanceOfSatisfying(
              InvalidRequestException.class,
              e -> {
                assertThat(e.field()).isEqualTo("coalesceChargesAcrossAccounts.lanes");
                assertThat(e.getMessage()).contains(Integer.toString(lanes));
              });
    }
    assertThatThrownBy(
            () -> Billing.builder().coalesceCharges(5).coalesceChargesAcrossAccounts(10, 2))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> assertThat(e.getMessage()).contains("was already set to 5 per account"));
    assertThatThrownBy(
            () -> Billing.builder().coalesceChargesAcrossAccounts(10, 2).coalesceCharges(5))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> assertThat(e.getMessage()).contains("was already set to 10 across accounts in 2"));
  }

  @Test
  @DisplayName("across accounts, a lone caller commits its own charge, exactly as without")
  void acrossAccountsSingleThreadedIsUnchanged() {
    ChargeBatchWorld on = new ChargeBatchWorld(50, 1);
    ChargeBatchWorld off = new ChargeBatchWorld();
    AccountId cold = AccountId.of("cold");
    for (ChargeBatchWorld w : List.of(on, off)) {
      w.open(HOT.value(), OverdraftPolicy.reject());
      w.open(cold.value(), OverdraftPolicy.allowDownTo(credits(20)));
      w.grant(HOT, 100, b -> b.priority(2));
      w.grant(cold, 50, b -> b.priority(1));
      w.store.reset();
    }
    List<ChargeRequest> requests = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      requests.add(usage(i % 2 == 0 ? HOT : cold, "u-" + i, 19));
    }
    requests.add(usage(cold, "u-3", 19)); // a replay
    requests.add(usage(cold, "u-3", 20)); // a conflict
    assertThat(on.sequentially(requests).stream().map(ChargeBatchWorld::describe))
        .containsExactlyElementsOf(
            off.sequentially(requests).stream().map(ChargeBatchWorld::describe).toList());
    assertThat(on.ledgerOf(HOT)).isEqualTo(off.ledgerOf(HOT));
    assertThat(on.ledgerOf(cold)).isEqualTo(off.ledgerOf(cold));
    assertThat(on.eventsHeard()).isEqualTo(off.eventsHeard());
    assertThat(on.store.commits.get())
        .as("one commit per charge")
        .isEqualTo(off.store.commits.get());
  }

  @Test
  @DisplayName("across accounts, callers of other accounts queued behind a commit share one batch")
  void acrossAccountsQueuedCallersShareOneCommit() throws Exception {
    List<AccountId> others = List.of(AccountId.of("a1"), AccountId.of("a2"), AccountId.of("a3"));
    Gated g = new Gated(100, 1, 100, others.toArray(AccountId[]::new));
    Future<ChargeResult> leader = g.leader(usage(HOT, "lead", 10));
    Map<String, Object> answers = new java.util.concurrent.ConcurrentHashMap<>();
    List<ChargeRequest> queued = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      AccountId a = i < 6 ? others.get(i % 3) : HOT;
      queued.add(usage(a, "q-" + i, i == 4 ? 500 : 7));
    }
    List<Thread> threads = g.followers(queued, answers);
    g.gate.countDown();
    assertThat(leader.get(10, TimeUnit.SECONDS).charged().minor()).isEqualTo(10);
    for (Thread t : threads) {
      t.join();
    }
    assertThat(g.w.store.commits)
        .as("the leader's commit, then one batch of 4 accounts")
        .hasValue(2);
    for (int i = 0; i < 9; i++) {
      Object answer = answers.get("q-" + i);
      if (i == 4) {
        assertThat(answer).isInstanceOf(InsufficientCreditException.class);
      } else {
        assertThat(answer).isInstanceOf(ChargeResult.class);
        ChargeResult r = (ChargeResult) answer;
        assertThat(r.transaction().idempotencyKey().value()).isEqualTo("q-" + i);
        assertThat(r.transaction().account()).isEqualTo(queued.get(i).account());
      }
    }
    assertThat(g.w.credits().balance(TENANT, HOT).available().minor()).isEqualTo(100 - 10 - 21);
    assertThat(g.w.credits().balance(TENANT, others.get(0)).available().minor()).isEqualTo(30 - 14);
    assertThat(g.w.credits().balance(TENANT, others.get(1)).available().minor()).isEqualTo(30 - 7);
    assertThat(g.w.credits().balance(TENANT, others.get(2)).available().minor()).isEqualTo(30 - 14);
    g.pool.shutdownNow();
  }

  @Test
  @DisplayName("a lone caller commits its own charge, exactly as without coalescing")
  void singleThreadedIsUnchanged() {
    ChargeBatchWorld on = new ChargeBatchWorld(50);
    ChargeBatchWorld off = new ChargeBatchWorld();
    for (ChargeBatchWorld w : List.of(on, off)) {
      w.open(HOT.value(), OverdraftPolicy.allowDownTo(credits(20)));
      w.grant(HOT, 100, b -> b.priority(2));
      w.grant(HOT, 50, b -> b.priority(1));
      w.store.reset();
    }
    List<ChargeRequest> requests = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      requests.add(usage(HOT, "u-" + i, 19));
    }
    requests.add(usage(HOT, "u-3", 19)); // a replay
    requests.add(usage(HOT, "u-3", 20)); // a conflict
    assertThat(on.sequentially(requests).stream().map(ChargeBatchWorld::describe))
        .containsExactlyElementsOf(
            off.sequentially(requests).stream().map(ChargeBatchWorld::describe).toList());
    assertThat(on.ledgerOf(HOT)).isEqualTo(off.ledgerOf(HOT));
    assertThat(on.eventsHeard()).isEqualTo(off.eventsHeard());
    assertThat(on.store.commits.get()).isEqualTo(off.store.commits.get());
  }

  /** A world whose first single commit waits at a gate until the test opens it. */
  static final class Gated {
    final ChargeBatchWorld w;
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch gate = new CountDownLatch(1);
    final AtomicBoolean first = new AtomicBoolean(true);
    final ExecutorService pool = Executors.newCachedThreadPool();
    static final long OTHERS_GRANTED = 30;

    Gated(int maxBatch, long granted) {
      this(maxBatch, 0, granted);
    }

    /**
     * As above, coalescing across accounts in {@code sharedLanes} lanes when above 0, with {@code
     * others} opened beside the hot account, each granted {@value #OTHERS_GRANTED}.
     */
    Gated(int maxBatch, int sharedLanes, long granted, AccountId... others) {
      w = new ChargeBatchWorld(maxBatch, sharedLanes);
      w.open(HOT.value(), OverdraftPolicy.reject());
      w.grant(HOT, granted, b -> {});
      for (AccountId a : others) {
        w.open(a.value(), OverdraftPolicy.reject());
        w.grant(a, OTHERS_GRANTED, b -> {});
      }
      w.store.reset();
      w.store.beforeCommit =
          () -> {
            if (first.compareAndSet(true, false)) {
              entered.countDown();
              try {
                gate.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          };
    }

    /** Starts the leader, whose commit holds the gate; returns when it is inside the store. */
    Future<ChargeResult> leader(ChargeRequest r) throws InterruptedException {
      Future<ChargeResult> f = pool.submit(() -> w.credits().charge(r));
      entered.await();
      return f;
    }

    /** Starts followers and returns once each of them is parked in the coalescer's queue. */
    List<Thread> followers(List<ChargeRequest> requests, Map<String, Object> answers) {
      List<Thread> threads = new ArrayList<>();
      for (ChargeRequest r : requests) {
        Thread t =
            new Thread(
                () -> {
                  try {
                    answers.put(r.idempotencyKey().value(), w.credits().charge(r));
                  } catch (RuntimeException e) {
                    answers.put(r.idempotencyKey().value(), e);
                  }
                });
        t.start();
        threads.add(t);
      }
      threads.forEach(Gated::awaitQueued);
      return threads;
    }

    /** Returns once {@code t} waits on its turn in the queue (not on the lane's lock). */
    static void awaitQueued(Thread t) {
      while (!(t.getState() == Thread.State.WAITING
          && Arrays.stream(t.getStackTrace())
              .anyMatch(
                  f ->
                      f.getMethodName().equals("await")
                          && f.getClassName().contains("ConditionObject")))) {
        Thread.onSpinWait();
      }
    }
  }

  @Test
  @DisplayName("callers queued behind a commit go together in one batch, each with its own answer")
  void queuedCallersShareOneCommit() throws Exception {
    Gated g = new Gated(100, 100);
    Future<ChargeResult> leader = g.leader(usage(HOT, "lead", 10));
    Map<String, Object> answers = new java.util.concurrent.ConcurrentHashMap<>();
    List<ChargeRequest> queued = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      queued.add(usage(HOT, "q-" + i, i == 5 ? 500 : 5));
    }
    List<Thread> threads = g.followers(queued, answers);
    g.gate.countDown();
    assertThat(leader.get(10, TimeUnit.SECONDS).charged().minor()).isEqualTo(10);
    for (Thread t : threads) {
      t.join();
    }
    assertThat(g.w.store.commits).as("the leader's commit, then one batch").hasValue(2);
    for (int i = 0; i < 12; i++) {
      Object answer = answers.get("q-" + i);
      if (i == 5) {
        assertThat(answer).isInstanceOf(InsufficientCreditException.class);
      } else {
        assertThat(answer).isInstanceOf(ChargeResult.class);
        assertThat(((ChargeResult) answer).transaction().idempotencyKey().value())
            .isEqualTo("q-" + i);
      }
    }
    assertThat(g.w.credits().balance(TENANT, HOT).available().minor()).isEqualTo(100 - 10 - 55);
    g.pool.shutdownNow();
  }

  @Test
  @DisplayName("a store failure of the batch reaches every caller in it")
  void storeFailureReachesEveryone() throws Exception {
    Gated g = new Gated(100, 1_000);
    Future<ChargeResult> leader = g.leader(usage(HOT, "lead", 10));
    g.w.store.beforeBatch =
        writes -> {
          throw new StoreFailureException("database gone", new RuntimeException("io"));
        };
    Map<String, Object> answers = new java.util.concurrent.ConcurrentHashMap<>();
    List<ChargeRequest> queued = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      queued.add(usage(HOT, "q-" + i, 5));
    }
    List<Thread> threads = g.followers(queued, answers);
    g.gate.countDown();
    leader.get(10, TimeUnit.SECONDS);
    for (Thread t : threads) {
      t.join();
    }
    assertThat(answers.values()).hasSize(6).allMatch(a -> a instanceof StoreFailureException);
    assertThat(g.w.store.transactions(TENANT, HOT)).hasSize(2); // the grant and the leader's charge
    // The lane is free again: the next charge goes through.
    g.w.store.beforeBatch = writes -> writes;
    assertThat(g.w.credits().charge(usage(HOT, "q-0", 5)).replayed()).isFalse();
    g.pool.shutdownNow();
  }

  @Test
  @DisplayName("a caller interrupted while queued leaves the queue; nothing is written for it")
  void interruptWhileQueued() throws Exception {
    Gated g = new Gated(100, 1_000);
    Future<ChargeResult> leader = g.leader(usage(HOT, "lead", 10));
    AtomicReference<Object> answer = new AtomicReference<>();
    AtomicBoolean flagAfter = new AtomicBoolean();
    Thread t =
        new Thread(
            () -> {
              try {
                answer.set(g.w.credits().charge(usage(HOT, "victim", 5)));
              } catch (RuntimeException e) {
                answer.set(e);
              }
              flagAfter.set(Thread.currentThread().isInterrupted());
            });
    t.start();
    Gated.awaitQueued(t);
    t.interrupt();
    t.join();
    assertThat(answer.get()).isInstanceOf(ChargeInterruptedException.class);
    ChargeInterruptedException interrupted = (ChargeInterruptedException) answer.get();
    assertThat(interrupted.tenant()).isEqualTo(TENANT);
    assertThat(interrupted.account()).isEqualTo(HOT);
    assertThat(interrupted.idempotencyKey()).isEqualTo(IdempotencyKey.of("victim"));
    assertThat(flagAfter).isTrue();
    g.gate.countDown();
    leader.get(10, TimeUnit.SECONDS);
    assertThat(g.w.store.findTransaction(TENANT, usage(HOT, "victim", 5).idempotencyKey()))
        .isEmpty();
    g.pool.shutdownNow();
  }

  @Test
  @DisplayName("many threads on one hot account: each charge once, no overdraft, fewer commits")
  void hotAccount() throws Exception {
    int threads = 8;
    int perThread = 150;
    CountingStore store = new CountingStore(InMemoryBillingStore.create());
    Billing billing =
        Billing.builder()
            .store(store)
            .clock(new dev.billingsdk.testing.TestClock(ChargeBatchWorld.T0))
            .coalesceCharges(64)
            .build();
    billing
        .credits()
        .openAccount(
            OpenAccountRequest.builder(TENANT, HOT, ChargeBatchWorld.CREDIT)
                .actor(ChargeBatchWorld.ADMIN)
                .overdraftPolicy(OverdraftPolicy.allowDownTo(credits(500)))
                .build());
    for (int i = 0; i < 3; i++) {
      billing
          .credits()
          .grant(
              dev.billingsdk.credit.GrantRequest.builder(TENANT, HOT, credits(2_000))
                  .priority(i + 1)
                  .idempotencyKey(IdempotencyKey.of("g-" + i))
                  .actor(ChargeBatchWorld.ADMIN)
                  .reason("stock")
                  .build());
    }
    store.reset();
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<List<Object>>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      futures.add(
          pool.submit(
              () -> {
                start.await();
                List<Object> out = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                  // every third charge is sent twice (a client retry)
                  ChargeRequest r = usage(HOT, "t" + thread + "-" + i, 5 + (i % 7));
                  for (int send = 0; send < (i % 3 == 0 ? 2 : 1); send++) {
                    try {
                      out.add(billing.credits().charge(r));
                    } catch (InsufficientCreditException e) {
                      out.add(e);
                    }
                  }
                }
                return out;
              }));
    }
    long charged = 0;
    int fresh = 0;
    int sends = 0;
    Set<String> chargedKeys = new HashSet<>();
    for (Future<List<Object>> f : futures) {
      for (Object o : f.get(60, TimeUnit.SECONDS)) {
        sends++;
        if (o instanceof ChargeResult r && !r.replayed()) {
          fresh++;
          charged += r.charged().minor();
          assertThat(chargedKeys.add(r.transaction().idempotencyKey().value())).isTrue();
        }
      }
    }
    pool.shutdown();
    List<LedgerTransaction> ledger = store.transactions(TENANT, HOT);
    List<LedgerTransaction> debits =
        ledger.stream().filter(t -> !t.idempotencyKey().value().startsWith("g-")).toList();
    assertThat(debits).hasSize(fresh);
    Set<String> ledgerKeys = new HashSet<>();
    debits.forEach(t -> ledgerKeys.add(t.idempotencyKey().value()));
    assertThat(ledgerKeys).isEqualTo(chargedKeys);
    // Conservation: every transaction sums to zero; grants + overdraft = issued - consumed.
    Map<String, Long> sums = new HashMap<>();
    for (LedgerTransaction t : ledger) {
      long sum = 0;
      for (Posting p : t.postings()) {
        sum += p.amount().minor();
        sums.merge(p.account().toString(), p.amount().minor(), Long::sum);
      }
      assertThat(sum).isZero();
    }
    AccountSnapshot snapshot = store.loadAccount(TENANT, HOT).orElseThrow();
    long held = snapshot.overdraft().minor();
    for (GrantBalance g : store.grants(TENANT, HOT)) {
      assertThat(g.remaining().minor()).isBetween(0L, 2_000L);
      held += g.remaining().minor();
    }
    assertThat(held).isEqualTo(6_000 - charged);
    assertThat(snapshot.overdraft().minor()).isBetween(-500L, 0L);
    assertThat(charged).isGreaterThan(6_000); // demand exceeded the grants: the overdraft was used
    assertThat(store.commits.get()).as("store commits for %d charges", sends).isLessThan(sends);
  }
}
