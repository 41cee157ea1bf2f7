package dev.billingsdk.tck;

import static dev.billingsdk.tck.TckFixture.credits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.AccountId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.credit.AccountNotFoundException;
import dev.billingsdk.credit.Allocation;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.ChargeQuote;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.credit.CostBasis;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantId;
import dev.billingsdk.credit.GrantNotFoundException;
import dev.billingsdk.credit.GrantResult;
import dev.billingsdk.credit.InsufficientCreditException;
import dev.billingsdk.credit.ItemRef;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.credit.Scope;
import dev.billingsdk.credit.VoidGrantRequest;
import dev.billingsdk.credit.VoidResult;
import dev.billingsdk.ledger.IdempotencyConflictException;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.money.Price;
import dev.billingsdk.money.UnitMismatchException;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.CommitResult;
import dev.billingsdk.spi.LedgerWrite;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite for a {@link BillingStore}. An adapter extends it and supplies {@link
 * #store()}; every rule group is a {@code @Nested} class whose name reads like the rule, and every
 * test name says whether the rule is required.
 *
 * <p>Tests isolate themselves by tenant, so {@link #store()} may return the same store each time.
 */
public abstract class BillingStoreTck {

  /** The store under test. May be shared across tests: each test uses a fresh tenant. */
  protected abstract BillingStore store();

  /** Threads in the concurrency rules (at least 8 in the kit's own runs). */
  protected int concurrentThreads() {
    return 8;
  }

  /** Writes each thread attempts in the concurrency rules. */
  protected int writesPerThread() {
    return 500;
  }

  protected TckFixture f;

  @BeforeEach
  void newWorld() {
    f = new TckFixture(store());
  }

  private static ExecutorService pool(int threads) {
    return Executors.newFixedThreadPool(threads);
  }

  /** Runs {@code task} on {@code threads} threads released together; returns their results. */
  static <T> List<T> race(int threads, Callable<T> task) throws Exception {
    ExecutorService pool = pool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return task.call();
                }));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> fu : futures) {
        results.add(fu.get(5, TimeUnit.MINUTES));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  @Nested
  @DisplayName("Rule 1: every transaction balances and balances equal a replay of the ledger")
  class Conservation {
    @Test
    void required_grantsChargesAndVoidsKeepTheLedgerBalanced() {
      AccountId a = f.open("acct");
      GrantResult g1 = f.grant(a, 10_000);
      GrantResult g2 = f.grant(a, 5_000, b -> b.priority(10));
      f.usage(a, 7_000);
      f.charge(a, ChargeKind.FIXED_FEE, "platform-fee", 1_500);
      f.credits()
          .voidGrant(
              new VoidGrantRequest(
                  f.tenant, a, g1.grant().id(), f.nextKey(), TckFixture.ADMIN, "tck void"));
      f.assertConsistent(a);
      assertThat(f.remaining(g2)).isZero();
      assertThat(f.remaining(g1)).isZero();
      assertThat(f.credits().balance(f.tenant, a).total()).isEqualTo(credits(0));
      List<LedgerTransaction> ledger = f.billing.ledger().transactions(f.tenant, a);
      assertThat(ledger).hasSize(5);
      assertThat(ledger.get(4).postings()).hasSize(2);
      assertThat(
              ledger
                  .get(4)
                  .minorOn(
                      dev.billingsdk.ledger.LedgerAccount.counter(
                          dev.billingsdk.ledger.LedgerAccount.Kind.VOIDED)))
          .as("void takes only the unused remainder: 15000 - 8500 consumed - 0 of g2 left")
          .isEqualTo(6_500);
    }

    @Test
    void required_ledgerTransactionsReadBackUnchangedAfterLaterWrites() {
      AccountId a = f.open("acct");
      f.grant(a, 1_000);
      f.usage(a, 100);
      List<LedgerTransaction> before = f.store.transactions(f.tenant, a);
      f.usage(a, 200);
      f.grant(a, 50);
      List<LedgerTransaction> after = f.store.transactions(f.tenant, a);
      assertThat(after.subList(0, before.size()))
          .as("rule 7: earlier transactions are immutable")
          .isEqualTo(before);
      assertThat(after).hasSize(before.size() + 2);
    }
  }

  @Nested
  @DisplayName("Rule 2: eligible grants pay in the documented total order")
  class Order {
    @Test
    void required_lowerPriorityNumberPaysFirst() {
      AccountId a = f.open("acct");
      GrantResult late = f.grant(a, 1_000, b -> b.priority(90));
      GrantResult early = f.grant(a, 1_000, b -> b.priority(5));
      ChargeResult r = f.usage(a, 600);
      assertThat(r.allocations()).extracting(Allocation::grant).containsExactly(early.grant().id());
      assertThat(f.remaining(early)).isEqualTo(400);
      assertThat(f.remaining(late)).isEqualTo(1_000);
    }

    @Test
    void required_soonerExpiryPaysFirstAndNoExpiryLast() {
      AccountId a = f.open("acct");
      GrantResult never = f.grant(a, 100);
      GrantResult later =
          f.grant(a, 100, b -> b.expiresAt(TckFixture.START.plus(Duration.ofDays(60))));
      GrantResult sooner =
          f.grant(a, 100, b -> b.expiresAt(TckFixture.START.plus(Duration.ofDays(10))));
      ChargeResult r = f.usage(a, 250);
      assertThat(r.allocations())
          .extracting(Allocation::grant)
          .containsExactly(sooner.grant().id(), later.grant().id(), never.grant().id());
      assertThat(r.allocations())
          .extracting(x -> x.amount().minor())
          .containsExactly(100L, 100L, 50L);
    }

    @Test
    void required_freeCreditsPayBeforePaidAndCheaperBeforeDearer() {
      AccountId a = f.open("acct");
      CurrencyUnit usd = CurrencyUnit.of("USD");
      GrantResult dear =
          f.grant(
              a,
              100,
              b ->
                  b.category(GrantCategory.PURCHASED)
                      .costBasis(
                          CostBasis.paid(Price.of(Amount.of(usd, "2.00"), credits(10_000)))));
      GrantResult cheap =
          f.grant(
              a,
              100,
              b ->
                  b.category(GrantCategory.PURCHASED)
                      .costBasis(
                          CostBasis.paid(Price.of(Amount.of(usd, "1.00"), credits(10_000)))));
      GrantResult free = f.grant(a, 100, b -> b.category(GrantCategory.PROMOTIONAL));
      ChargeResult r = f.usage(a, 300);
      assertThat(r.allocations())
          .extracting(Allocation::grant)
          .containsExactly(free.grant().id(), cheap.grant().id(), dear.grant().id());
    }

    @Test
    void required_olderEffectiveTimeThenCreationOrderBreakTheLastTies() {
      AccountId a = f.open("acct");
      GrantResult newer =
          f.grant(a, 100, b -> b.effectiveFrom(TckFixture.START.minus(Duration.ofDays(1))));
      GrantResult older =
          f.grant(a, 100, b -> b.effectiveFrom(TckFixture.START.minus(Duration.ofDays(5))));
      GrantResult first = f.grant(a, 100);
      GrantResult second = f.grant(a, 100);
      ChargeResult r = f.usage(a, 400);
      assertThat(r.allocations())
          .extracting(Allocation::grant)
          .containsExactly(
              older.grant().id(), newer.grant().id(), first.grant().id(), second.grant().id());
    }

    @Test
    void required_aQuoteShowsTheSameAllocationsAsTheChargeAndWritesNothing() {
      AccountId a = f.open("acct");
      f.grant(a, 100, b -> b.priority(3));
      f.grant(a, 100, b -> b.priority(1));
      f.grant(a, 100, b -> b.priority(2));
      StoreState before = f.state(a);
      ChargeQuote q = f.credits().quote(f.tenant, a, Charge.usage("tokens", credits(250)));
      assertThat(f.state(a)).as("a quote writes nothing").isEqualTo(before);
      assertThat(q.wouldBeRejected()).isFalse();
      assertThat(q.balanceAfter()).isEqualTo(credits(50));
      ChargeResult r = f.usage(a, 250);
      assertThat(r.allocations()).isEqualTo(q.allocations());
    }
  }

  @Nested
  @DisplayName("Rule 3: a grant pays only in scope, and only while effective, unexpired, unvoided")
  class Scoping {
    @Test
    void required_aMeterScopedGrantNeverPaysAFixedFee() {
      AccountId a = f.open("acct");
      GrantResult meters = f.grant(a, 1_000, b -> b.scope(Scope.meters("gpt-4o")).priority(1));
      GrantResult fees = f.grant(a, 300, b -> b.scope(Scope.allFixedFees()).priority(2));
      ChargeResult fee = f.charge(a, ChargeKind.FIXED_FEE, "seat", 200);
      assertThat(fee.allocations())
          .extracting(Allocation::grant)
          .containsExactly(fees.grant().id());
      assertThatThrownBy(() -> f.charge(a, ChargeKind.USAGE, "claude", 1))
          .as("another meter is outside the gpt-4o grant's scope")
          .isInstanceOfSatisfying(
              InsufficientCreditException.class,
              e -> assertThat(e.available()).isEqualTo(credits(0)));
      assertThat(f.charge(a, ChargeKind.USAGE, "gpt-4o", 1).allocations())
          .extracting(Allocation::grant)
          .containsExactly(meters.grant().id());
      assertThat(f.remaining(meters)).isEqualTo(999);
    }

    @Test
    void required_outOfScopeCreditDoesNotCountAsAvailable() {
      AccountId a = f.open("acct");
      f.grant(a, 1_000, b -> b.scope(Scope.items(ItemRef.of(ChargeKind.ADD_ON, "backup"))));
      StoreState before = f.state(a);
      assertThatThrownBy(() -> f.charge(a, ChargeKind.ADD_ON, "support", 1))
          .isInstanceOfSatisfying(
              InsufficientCreditException.class,
              e -> assertThat(e.available()).isEqualTo(credits(0)));
      assertThat(f.state(a)).isEqualTo(before);
      assertThat(f.charge(a, ChargeKind.ADD_ON, "backup", 1).charged()).isEqualTo(credits(1));
    }

    @Test
    void required_expiredNotYetEffectiveAndVoidedGrantsPayNothing() {
      AccountId a = f.open("acct", OverdraftPolicy.partial());
      GrantResult expiring =
          f.grant(a, 100, b -> b.expiresAt(TckFixture.START.plus(Duration.ofHours(1))));
      GrantResult future =
          f.grant(a, 100, b -> b.effectiveFrom(TckFixture.START.plus(Duration.ofDays(2))));
      GrantResult voided = f.grant(a, 100);
      f.credits()
          .voidGrant(
              new VoidGrantRequest(
                  f.tenant, a, voided.grant().id(), f.nextKey(), TckFixture.ADMIN, "tck void"));
      f.clock.advance(Duration.ofHours(1));
      ChargeResult nothing = f.usage(a, 50);
      assertThat(nothing.charged()).isEqualTo(credits(0));
      assertThat(nothing.shortfall()).isEqualTo(credits(50));
      f.clock.advance(Duration.ofDays(2));
      ChargeResult some = f.usage(a, 50);
      assertThat(some.allocations())
          .extracting(Allocation::grant)
          .containsExactly(future.grant().id());
      assertThat(f.remaining(expiring)).as("expired credit is not spent").isEqualTo(100);
      f.assertConsistent(a);
    }
  }

  @Nested
  @DisplayName("Rule 4: no overdraft beyond the account's policy")
  class Overdraft {
    @Test
    void required_rejectRefusesTheWholeChargeAndWritesNothing() {
      AccountId a = f.open("acct");
      f.grant(a, 100);
      StoreState before = f.state(a);
      assertThatThrownBy(() -> f.usage(a, 101))
          .isInstanceOfSatisfying(
              InsufficientCreditException.class,
              e -> {
                assertThat(e.requested()).isEqualTo(credits(101));
                assertThat(e.available()).isEqualTo(credits(100));
                assertThat(e.account()).isEqualTo(a);
              });
      assertThat(f.state(a)).isEqualTo(before);
    }

    @Test
    void required_aLimitLetsTheAccountOweUpToItAndNoFurther() {
      AccountId a = f.open("acct", OverdraftPolicy.allowDownTo(credits(500)));
      f.grant(a, 100);
      ChargeResult r = f.usage(a, 400);
      assertThat(r.fromOverdraft()).isEqualTo(credits(300));
      assertThat(f.credits().balance(f.tenant, a).owed()).isEqualTo(credits(300));
      StoreState before = f.state(a);
      assertThatThrownBy(() -> f.usage(a, 201)).isInstanceOf(InsufficientCreditException.class);
      assertThat(f.state(a)).isEqualTo(before);
      assertThat(f.usage(a, 200).fromOverdraft()).isEqualTo(credits(200));
      assertThat(f.credits().balance(f.tenant, a).total()).isEqualTo(credits(-500));
      f.assertConsistent(a);
    }

    @Test
    void required_partialChargesWhatThereIsAndReportsTheShortfall() {
      AccountId a = f.open("acct", OverdraftPolicy.partial());
      f.grant(a, 100);
      ChargeResult r = f.usage(a, 130);
      assertThat(r.charged()).isEqualTo(credits(100));
      assertThat(r.shortfall()).isEqualTo(credits(30));
      assertThat(f.credits().balance(f.tenant, a).owed()).isEqualTo(credits(0));
      f.assertConsistent(a);
    }

    @Test
    void required_aLaterUnrestrictedGrantRepaysTheDebtFirst() {
      AccountId a = f.open("acct", OverdraftPolicy.allowDownTo(credits(500)));
      f.usage(a, 300);
      GrantResult g = f.grant(a, 1_000);
      assertThat(f.remaining(g)).isEqualTo(700);
      assertThat(f.credits().balance(f.tenant, a).owed()).isEqualTo(credits(0));
      f.assertConsistent(a);
    }

    @Test
    void required_theStoreRefusesAWriteThatTakesAGrantBelowZero() {
      AccountId a = f.open("acct");
      GrantResult g = f.grant(a, 100);
      StoreState before = f.state(a);
      CommitResult r =
          f.store.commit(LedgerWrite.of(f.rawDebit(a, g, 101, f.nextKey()), f.version(a)));
      assertThat(r).isInstanceOf(CommitResult.Rejected.class);
      assertThat(f.state(a)).isEqualTo(before);
    }

    @Test
    void required_theStoreRefusesAnOverdraftBeyondThePolicy() {
      AccountId a = f.open("acct", OverdraftPolicy.allowDownTo(credits(50)));
      AccountId b = f.open("strict");
      StoreState beforeA = f.state(a);
      StoreState beforeB = f.state(b);
      assertThat(f.store.commit(LedgerWrite.of(f.rawOverdraft(a, 51, f.nextKey()), f.version(a))))
          .isInstanceOf(CommitResult.Rejected.class);
      assertThat(f.store.commit(LedgerWrite.of(f.rawOverdraft(b, 1, f.nextKey()), f.version(b))))
          .isInstanceOf(CommitResult.Rejected.class);
      assertThat(f.state(a)).isEqualTo(beforeA);
      assertThat(f.state(b)).isEqualTo(beforeB);
      assertThat(f.store.commit(LedgerWrite.of(f.rawOverdraft(a, 50, f.nextKey()), f.version(a))))
          .isInstanceOf(CommitResult.Committed.class);
    }

    @Test
    void required_manyThreadsOnOneAccountNeverOverdraw() throws Exception {
      AccountId a = f.open("hot");
      long granted = 10_000;
      f.grant(a, granted);
      AtomicLong paid = new AtomicLong();
      int perThread = writesPerThread();
      race(
          concurrentThreads(),
          () -> {
            for (int i = 0; i < perThread; i++) {
              try {
                paid.addAndGet(f.usage(a, 7).charged().minor());
              } catch (InsufficientCreditException expected) {
                // the account ran dry: the rule is that this happens instead of an overdraft
              }
            }
            return null;
          });
      long left = f.credits().balance(f.tenant, a).total().minor();
      assertThat(left).isBetween(0L, 6L);
      assertThat(paid.get()).isEqualTo(granted - left);
      f.assertConsistent(a);
    }

    @Test
    void required_threadsSpreadOverManyAccountsKeepEveryAccountConsistent() throws Exception {
      int accounts = 16;
      List<AccountId> ids = new ArrayList<>();
      for (int i = 0; i < accounts; i++) {
        AccountId id = f.open("acct-" + i, OverdraftPolicy.allowDownTo(credits(100)));
        f.grant(id, 1_000, b -> b.priority(1));
        f.grant(id, 1_000, b -> b.priority(2).scope(Scope.allUsageMeters()));
        ids.add(id);
      }
      AtomicLong counter = new AtomicLong();
      int perThread = writesPerThread();
      race(
          concurrentThreads(),
          () -> {
            for (int i = 0; i < perThread; i++) {
              long n = counter.incrementAndGet();
              AccountId id = ids.get((int) (n % accounts));
              try {
                if (n % 5 == 0) {
                  f.charge(id, ChargeKind.FIXED_FEE, "fee", 3);
                } else {
                  f.usage(id, 5);
                }
              } catch (InsufficientCreditException expected) {
                // a drained account refuses; it must never overdraw
              }
            }
            return null;
          });
      for (AccountId id : ids) {
        f.assertConsistent(id);
      }
    }
  }

  @Nested
  @DisplayName("Rule 5: an idempotency key posts at most once, with a verdict on reuse")
  class ExactlyOnce {
    @Test
    void required_theSameRequestAgainReplaysTheOriginalAndWritesNothing() {
      AccountId a = f.open("acct");
      f.grant(a, 1_000);
      ChargeRequest req = f.chargeRequest(a, ChargeKind.USAGE, "tokens", 100);
      ChargeResult first = f.credits().charge(req);
      StoreState after = f.state(a);
      ChargeResult again = f.credits().charge(req);
      assertThat(again.replayed()).isTrue();
      assertThat(first.replayed()).isFalse();
      assertThat(again.transaction()).isEqualTo(first.transaction());
      assertThat(again.allocations()).isEqualTo(first.allocations());
      assertThat(f.state(a)).isEqualTo(after);
    }

    @Test
    void required_theSameKeyWithADifferentRequestIsATypedConflict() {
      AccountId a = f.open("acct");
      f.grant(a, 1_000);
      ChargeRequest req = f.chargeRequest(a, ChargeKind.USAGE, "tokens", 100);
      ChargeResult first = f.credits().charge(req);
      StoreState after = f.state(a);
      ChargeRequest other =
          ChargeRequest.of(
              f.tenant,
              a,
              Charge.usage("tokens", credits(101)),
              req.idempotencyKey(),
              TckFixture.ADMIN,
              "tck charge");
      assertThatThrownBy(() -> f.credits().charge(other))
          .isInstanceOfSatisfying(
              IdempotencyConflictException.class,
              e -> {
                assertThat(e.key()).isEqualTo(req.idempotencyKey());
                assertThat(e.original()).isEqualTo(first.transaction().id());
              });
      assertThat(f.state(a)).isEqualTo(after);
    }

    @Test
    void required_theStoreAnswersAReusedKeyWithTheExistingTransaction() {
      AccountId a = f.open("acct");
      GrantResult g = f.grant(a, 1_000);
      IdempotencyKey key = f.nextKey();
      LedgerTransaction t = f.rawDebit(a, g, 10, key);
      assertThat(f.store.commit(LedgerWrite.of(t, f.version(a))))
          .isEqualTo(new CommitResult.Committed(t));
      StoreState after = f.state(a);
      CommitResult again = f.store.commit(LedgerWrite.of(f.rawDebit(a, g, 10, key), f.version(a)));
      assertThat(again).isEqualTo(new CommitResult.Duplicate(t));
      assertThat(f.state(a)).isEqualTo(after);
      assertThat(f.store.findTransaction(f.tenant, key)).contains(t);
    }

    @Test
    void required_aStaleVersionIsAConflictAndWritesNothing() {
      AccountId a = f.open("acct");
      GrantResult g = f.grant(a, 1_000);
      long stale = f.version(a);
      f.usage(a, 1);
      StoreState before = f.state(a);
      CommitResult r = f.store.commit(LedgerWrite.of(f.rawDebit(a, g, 10, f.nextKey()), stale));
      assertThat(r).isInstanceOf(CommitResult.VersionConflict.class);
      assertThat(f.state(a)).isEqualTo(before);
    }

    @Test
    void required_theSameRequestFromManyThreadsPostsOnce() throws Exception {
      AccountId a = f.open("acct");
      f.grant(a, 1_000);
      ChargeRequest req = f.chargeRequest(a, ChargeKind.USAGE, "tokens", 100);
      List<ChargeResult> results = race(concurrentThreads(), () -> f.credits().charge(req));
      assertThat(results.stream().map(r -> r.transaction().id()).distinct()).hasSize(1);
      assertThat(results.stream().filter(r -> !r.replayed())).hasSize(1);
      assertThat(f.credits().balance(f.tenant, a).total()).isEqualTo(credits(900));
      f.assertConsistent(a);
    }

    @Test
    void required_theSameKeyOnTwoAccountsOfATenantPostsOnce() throws Exception {
      AccountId a = f.open("a");
      AccountId b = f.open("b");
      GrantResult ga = f.grant(a, 1_000);
      GrantResult gb = f.grant(b, 1_000);
      IdempotencyKey key = f.nextKey();
      Set<String> outcomes = ConcurrentHashMap.newKeySet();
      race(
          concurrentThreads(),
          () -> {
            boolean left = Thread.currentThread().getId() % 2 == 0;
            LedgerTransaction t = left ? f.rawDebit(a, ga, 10, key) : f.rawDebit(b, gb, 10, key);
            AccountId on = left ? a : b;
            for (int i = 0; i < 100; i++) {
              CommitResult r = f.store.commit(LedgerWrite.of(t, f.version(on)));
              outcomes.add(r.getClass().getSimpleName());
              if (!(r instanceof CommitResult.VersionConflict)) {
                break;
              }
            }
            return null;
          });
      int posted =
          f.store.transactions(f.tenant, a).size() + f.store.transactions(f.tenant, b).size();
      assertThat(posted).as("two grants and exactly one debit").isEqualTo(3);
      f.assertConsistent(a);
      f.assertConsistent(b);
    }

    @Test
    void required_keysAreScopedToTheirTenant() {
      TckFixture other = new TckFixture(f.store);
      AccountId a = f.open("acct");
      AccountId b = other.open("acct");
      f.grant(a, 100);
      other.grant(b, 100);
      assertThat(f.store.transactions(f.tenant, a)).hasSize(1);
      assertThat(other.store.transactions(other.tenant, b)).hasSize(1);
      assertThat(f.credits().balance(f.tenant, a).total()).isEqualTo(credits(100));
    }
  }

  @Nested
  @DisplayName("Tenancy: no read or write crosses tenants")
  class Tenancy {
    @Test
    void required_theSameAccountIdInTwoTenantsIsTwoAccounts() {
      TckFixture other = new TckFixture(f.store);
      AccountId a = f.open("shared-name");
      other.open("shared-name");
      GrantResult mine = f.grant(a, 700);
      assertThat(other.credits().balance(other.tenant, a).total()).isEqualTo(credits(0));
      assertThat(f.store.findGrant(other.tenant, mine.grant().id())).isEmpty();
      assertThat(other.store.transactions(other.tenant, a)).isEmpty();
      assertThat(f.store.findTransaction(other.tenant, mine.transaction().idempotencyKey()))
          .isEmpty();
    }
  }

  @Nested
  @DisplayName("Batches: one commit, each write on its own preconditions")
  class Batches {
    @Test
    void required_aBatchAppliesConsecutiveVersionsAndReportsEachOutcome() {
      AccountId a = f.open("acct");
      GrantResult g = f.grant(a, 1_000);
      long v = f.version(a);
      IdempotencyKey reused = f.nextKey();
      LedgerTransaction t1 = f.rawDebit(a, g, 10, reused);
      LedgerTransaction t2 = f.rawDebit(a, g, 20, f.nextKey());
      LedgerTransaction dup = f.rawDebit(a, g, 30, reused);
      LedgerTransaction tooMuch = f.rawDebit(a, g, 5_000, f.nextKey());
      List<CommitResult> results =
          f.store.commitBatch(
              List.of(
                  LedgerWrite.of(t1, v),
                  LedgerWrite.of(t2, v + 1),
                  LedgerWrite.of(dup, v + 2),
                  LedgerWrite.of(tooMuch, v + 2)));
      assertThat(results)
          .containsExactly(
              new CommitResult.Committed(t1),
              new CommitResult.Committed(t2),
              new CommitResult.Duplicate(t1),
              results.get(3));
      assertThat(results.get(3)).isInstanceOf(CommitResult.Rejected.class);
      assertThat(f.remaining(g)).isEqualTo(970);
      assertThat(f.version(a)).isEqualTo(v + 2);
      f.assertConsistent(a);
    }

    @Test
    void required_aBatchOverSeveralAccountsAppliesToEach() {
      AccountId a = f.open("a");
      AccountId b = f.open("b");
      GrantResult ga = f.grant(a, 100);
      GrantResult gb = f.grant(b, 100);
      List<CommitResult> results =
          f.store.commitBatch(
              List.of(
                  LedgerWrite.of(f.rawDebit(b, gb, 40, f.nextKey()), f.version(b)),
                  LedgerWrite.of(f.rawDebit(a, ga, 60, f.nextKey()), f.version(a))));
      assertThat(results).allMatch(r -> r instanceof CommitResult.Committed);
      assertThat(f.remaining(ga)).isEqualTo(40);
      assertThat(f.remaining(gb)).isEqualTo(60);
    }
  }

  @Nested
  @DisplayName("Bad input: a typed exception naming the problem, and the store exactly as it was")
  class BadInput {
    @Test
    void required_aChargeInAnotherUnitIsRefused() {
      AccountId a = f.open("acct");
      f.grant(a, 100);
      StoreState before = f.state(a);
      Amount dollars = Amount.of(CurrencyUnit.of("USD"), "1.00");
      assertThatThrownBy(
              () ->
                  f.credits()
                      .charge(
                          ChargeRequest.of(
                              f.tenant,
                              a,
                              Charge.usage("tokens", dollars),
                              f.nextKey(),
                              TckFixture.ADMIN,
                              "wrong unit")))
          .isInstanceOfSatisfying(
              UnitMismatchException.class,
              e -> assertThat(e.actual()).isEqualTo(CurrencyUnit.of("USD")));
      assertThat(f.state(a)).isEqualTo(before);
    }

    @Test
    void required_anUnknownAccountOrGrantIsRefused() {
      AccountId a = f.open("acct");
      StoreState before = f.state(a);
      assertThatThrownBy(() -> f.usage(AccountId.of("nobody"), 1))
          .isInstanceOfSatisfying(
              AccountNotFoundException.class,
              e -> assertThat(e.account()).isEqualTo(AccountId.of("nobody")));
      assertThatThrownBy(
              () ->
                  f.credits()
                      .voidGrant(
                          new VoidGrantRequest(
                              f.tenant,
                              a,
                              GrantId.of("no-such-grant"),
                              f.nextKey(),
                              TckFixture.ADMIN,
                              "void")))
          .isInstanceOf(GrantNotFoundException.class);
      assertThat(f.state(a)).isEqualTo(before);
    }

    @Test
    void required_aGrantThatExpiresBeforeNowIsRefused() {
      AccountId a = f.open("acct");
      StoreState before = f.state(a);
      assertThatThrownBy(
              () ->
                  f.grant(a, 100, b -> b.expiresAt(TckFixture.START.minus(Duration.ofSeconds(1)))))
          .isInstanceOfSatisfying(
              dev.billingsdk.InvalidRequestException.class,
              e -> assertThat(e.field()).isEqualTo("expiresAt"));
      assertThat(f.state(a)).isEqualTo(before);
    }

    @Test
    void required_theStoreRefusesAPostingToAnUnknownGrant() {
      AccountId a = f.open("acct");
      AccountId b = f.open("other");
      GrantResult gb = f.grant(b, 100);
      StoreState before = f.state(a);
      assertThat(f.store.commit(LedgerWrite.of(f.rawDebit(a, gb, 1, f.nextKey()), f.version(a))))
          .as("a grant of another account is unknown here")
          .isInstanceOf(CommitResult.Rejected.class);
      assertThat(f.state(a)).isEqualTo(before);
    }
  }

  @Nested
  @DisplayName("Voids: the unused remainder leaves; consumed credit stays; twice is once")
  class Voids {
    @Test
    void required_voidingTwiceIsIdempotentAndTheGrantPaysNothingAfter() {
      AccountId a = f.open("acct", OverdraftPolicy.partial());
      GrantResult g = f.grant(a, 1_000);
      f.usage(a, 300);
      VoidResult first =
          f.credits()
              .voidGrant(
                  new VoidGrantRequest(
                      f.tenant, a, g.grant().id(), f.nextKey(), TckFixture.ADMIN, "void"));
      StoreState after = f.state(a);
      VoidResult second =
          f.credits()
              .voidGrant(
                  new VoidGrantRequest(
                      f.tenant, a, g.grant().id(), f.nextKey(), TckFixture.ADMIN, "void again"));
      assertThat(first.voided()).isEqualTo(credits(700));
      assertThat(second.replayed()).isTrue();
      assertThat(second.transaction()).isEqualTo(first.transaction());
      assertThat(f.state(a)).isEqualTo(after);
      assertThat(f.usage(a, 10).charged()).isEqualTo(credits(0));
      assertThat(f.store.findGrant(f.tenant, g.grant().id()).orElseThrow().voided()).isTrue();
      f.assertConsistent(a);
    }

    @Test
    void required_voidsRacingChargesNeverSpendVoidedCredit() throws Exception {
      AccountId a = f.open("acct", OverdraftPolicy.partial());
      GrantResult g = f.grant(a, 100_000);
      AtomicLong charged = new AtomicLong();
      race(
          concurrentThreads(),
          () -> {
            for (int i = 0; i < writesPerThread() / 5; i++) {
              charged.addAndGet(f.usage(a, 11).charged().minor());
              if (i == 20) {
                f.credits()
                    .voidGrant(
                        new VoidGrantRequest(
                            f.tenant, a, g.grant().id(), f.nextKey(), TckFixture.ADMIN, "void"));
              }
            }
            return null;
          });
      long voided =
          f.billing.ledger().transactions(f.tenant, a).stream()
              .filter(t -> t.type() == dev.billingsdk.ledger.TransactionType.VOID)
              .mapToLong(
                  t ->
                      t.minorOn(
                          dev.billingsdk.ledger.LedgerAccount.counter(
                              dev.billingsdk.ledger.LedgerAccount.Kind.VOIDED)))
              .sum();
      assertThat(charged.get() + voided).isEqualTo(100_000);
      assertThat(f.remaining(g)).isZero();
      f.assertConsistent(a);
    }
  }
}
