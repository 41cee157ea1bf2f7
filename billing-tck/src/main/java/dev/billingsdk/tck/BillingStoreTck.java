package dev.billingsdk.tck;

import static dev.billingsdk.tck.TckFixture.credits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.AccountId;
import dev.billingsdk.GrantId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.credit.AccountBalance;
import dev.billingsdk.credit.AccountNotFoundException;
import dev.billingsdk.credit.Allocation;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.ChargeQuote;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.credit.CostBasis;
import dev.billingsdk.credit.DeductRequest;
import dev.billingsdk.credit.DeductResult;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantNotFoundException;
import dev.billingsdk.credit.GrantResult;
import dev.billingsdk.credit.InsufficientCreditException;
import dev.billingsdk.credit.ItemRef;
import dev.billingsdk.credit.LowBalanceAlert;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.credit.ReleaseRequest;
import dev.billingsdk.credit.Reservation;
import dev.billingsdk.credit.ReservationId;
import dev.billingsdk.credit.ReservationNotActiveException;
import dev.billingsdk.credit.ReservationResult;
import dev.billingsdk.credit.ReservationState;
import dev.billingsdk.credit.ReversalLimitExceededException;
import dev.billingsdk.credit.ReversalResult;
import dev.billingsdk.credit.Scope;
import dev.billingsdk.credit.SettleRequest;
import dev.billingsdk.credit.SettlementResult;
import dev.billingsdk.credit.SweepItem;
import dev.billingsdk.credit.SweepResult;
import dev.billingsdk.credit.VoidGrantRequest;
import dev.billingsdk.credit.VoidResult;
import dev.billingsdk.event.BalanceBelowThreshold;
import dev.billingsdk.event.BillingEvent;
import dev.billingsdk.event.ChargePosted;
import dev.billingsdk.event.CreditsDeducted;
import dev.billingsdk.ledger.IdempotencyConflictException;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.TransactionFilter;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.ledger.TransactionPage;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.money.Price;
import dev.billingsdk.money.UnitMismatchException;
import dev.billingsdk.spi.AccountSnapshot;
import dev.billingsdk.spi.AlertState;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.CommitResult;
import dev.billingsdk.spi.LedgerWrite;
import dev.billingsdk.spi.OutboxEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * The account reads of the SPI (categories ever held, external keys) have a kit of their own,
 * {@link AccountReadsTck}, which an adapter runs beside this one.
 */
public abstract class BillingStoreTck {
  /** For an adapter's subclass, which supplies the store under test. */
  protected BillingStoreTck() {}

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
              VoidGrantRequest.builder(f.tenant, a, g1.grant().id())
                  .idempotencyKey(f.nextKey())
                  .actor(TckFixture.ADMIN)
                  .reason("tck void")
                  .build());
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
    void required_aDeductionByCategoryTakesOnlyThatCategoryAndItsEventReadsBack() {
      AccountId a = f.open("acct");
      GrantResult promo = f.grant(a, 1_000, b -> b.category(GrantCategory.PROMOTIONAL));
      GrantResult signUp = f.grant(a, 2_000, b -> b.category(GrantCategory.SIGN_UP));
      GrantResult promo2 = f.grant(a, 500, b -> b.category(GrantCategory.PROMOTIONAL).priority(10));
      DeductResult d =
          f.credits()
              .deduct(
                  DeductRequest.builder(f.tenant, a, GrantCategory.PROMOTIONAL, credits(1_200))
                      .idempotencyKey(f.nextKey())
                      .actor(TckFixture.ADMIN)
                      .reason("tck deduction")
                      .build());
      f.assertConsistent(a);
      assertThat(d.transaction().type()).isEqualTo(TransactionType.MANUAL_ADJUSTMENT);
      assertThat(f.remaining(signUp)).as("another category is untouched").isEqualTo(2_000);
      assertThat(f.remaining(promo) + f.remaining(promo2)).isEqualTo(300);
      assertThat(f.credits().balance(f.tenant, a).availableByCategory())
          .containsEntry(GrantCategory.PROMOTIONAL, credits(300))
          .containsEntry(GrantCategory.SIGN_UP, credits(2_000));
      assertThat(f.store.transactions(f.tenant, a)).last().isEqualTo(d.transaction());
      assertThat(f.pendingEventsOnly())
          .filteredOn(CreditsDeducted.class::isInstance)
          .singleElement()
          .isEqualTo(
              new CreditsDeducted(
                  d.transaction().id().value() + "/credits-deducted",
                  f.tenant,
                  a,
                  d.transaction().recordedAt(),
                  GrantCategory.PROMOTIONAL,
                  credits(1_200),
                  d.transaction().id()));
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

    @Test
    void required_aSnapshotListsItsGrantsInCreationOrderAndReadsTheSameTwice() {
      // Grants paid from in between get rewritten: a SQL store whose read has no ORDER BY returns
      // them in whatever order the heap or the query plan gives, and two reads may then differ.
      AccountId a = f.open("acct");
      List<GrantResult> grants = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        int priority = 50 - i * 5;
        grants.add(f.grant(a, 1_000, b -> b.priority(priority)));
      }
      f.usage(a, 1_500);
      f.usage(a, 700);
      AccountSnapshot first = f.store.loadAccount(f.tenant, a).orElseThrow();
      assertThat(first.liveGrants())
          .extracting(g -> g.grant().sequence())
          .as("live grants in creation (sequence) order")
          .isSorted()
          .hasSize(grants.size() - 2);
      assertThat(f.store.loadAccount(f.tenant, a).orElseThrow())
          .as("a second load with no write between returns an equal snapshot")
          .isEqualTo(first);
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
              VoidGrantRequest.builder(f.tenant, a, voided.grant().id())
                  .idempotencyKey(f.nextKey())
                  .actor(TckFixture.ADMIN)
                  .reason("tck void")
                  .build());
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
          ChargeRequest.builder(f.tenant, a, Charge.usage("tokens", credits(101)))
              .idempotencyKey(req.idempotencyKey())
              .actor(TckFixture.ADMIN)
              .reason("tck charge")
              .build();
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

    @Test
    void required_lifecycleReadsNeverCrossTenants() {
      TckFixture other = new TckFixture(f.store);
      AccountId a = f.open("shared-name");
      other.open("shared-name");
      other.grant(a, 10);
      GrantResult g = f.grant(a, 700, b -> b.expiresAt(TckFixture.START.plus(Duration.ofHours(1))));
      TransactionId debit = f.usage(a, 100).transaction().id();
      f.reverse(a, debit, 10);
      Reservation r = f.reserve(a, 50, Duration.ofMinutes(1)).reservation();
      java.time.Instant later = TckFixture.START.plus(Duration.ofDays(1));
      assertThat(f.store.findTransaction(other.tenant, debit)).isEmpty();
      assertThat(f.store.corrections(other.tenant, debit)).isEmpty();
      assertThat(f.store.findReservation(other.tenant, r.id())).isEmpty();
      assertThat(f.store.expiredReservations(other.tenant, later, 0, 100)).isEmpty();
      assertThat(f.store.expiredGrants(other.tenant, later, 0, 100)).isEmpty();
      assertThat(f.store.history(other.tenant, a, TransactionFilter.all(), Long.MAX_VALUE, 100))
          .hasSize(1);
      assertThat(other.pendingEventsOnly()).allMatch(e -> e.tenant().equals(other.tenant));
      assertThat(f.store.expiredGrants(f.tenant, later, 0, 100))
          .extracting(x -> x.grant().id())
          .containsExactly(g.grant().id());
      assertThat(f.store.findReservation(f.tenant, r.id())).contains(r);
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

    @Test
    void required_aBatchSentAgainReplaysEveryWriteAsADuplicate() {
      // Three writes per account at consecutive versions: the answer to a re-sent batch (a client
      // that never heard the first answer) must be the original of every write, not a conflict.
      AccountId a = f.open("a");
      AccountId b = f.open("b");
      GrantResult ga = f.grant(a, 1_000);
      GrantResult gb = f.grant(b, 1_000);
      long va = f.version(a);
      long vb = f.version(b);
      List<LedgerWrite> batch = new ArrayList<>();
      for (int round = 0; round < 3; round++) {
        batch.add(LedgerWrite.of(f.rawDebit(a, ga, 10 + round, f.nextKey()), va + round));
        batch.add(LedgerWrite.of(f.rawDebit(b, gb, 20 + round, f.nextKey()), vb + round));
      }
      assertThat(f.store.commitBatch(batch)).allMatch(r -> r instanceof CommitResult.Committed);
      StoreState afterA = f.state(a);
      StoreState afterB = f.state(b);

      List<CommitResult> again = f.store.commitBatch(batch);

      for (int i = 0; i < batch.size(); i++) {
        assertThat(again.get(i))
            .as("write %s of the re-sent batch", i)
            .isEqualTo(new CommitResult.Duplicate(batch.get(i).transaction()));
      }
      assertThat(f.state(a)).isEqualTo(afterA);
      assertThat(f.state(b)).isEqualTo(afterB);
      assertThat(f.remaining(ga)).isEqualTo(1_000 - 33);
      assertThat(f.remaining(gb)).isEqualTo(1_000 - 63);
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
                          ChargeRequest.builder(f.tenant, a, Charge.usage("tokens", dollars))
                              .idempotencyKey(f.nextKey())
                              .actor(TckFixture.ADMIN)
                              .reason("wrong unit")
                              .build()))
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
                          VoidGrantRequest.builder(f.tenant, a, GrantId.of("no-such-grant"))
                              .idempotencyKey(f.nextKey())
                              .actor(TckFixture.ADMIN)
                              .reason("void")
                              .build()))
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
                  VoidGrantRequest.builder(f.tenant, a, g.grant().id())
                      .idempotencyKey(f.nextKey())
                      .actor(TckFixture.ADMIN)
                      .reason("void")
                      .build());
      StoreState after = f.state(a);
      VoidResult second =
          f.credits()
              .voidGrant(
                  VoidGrantRequest.builder(f.tenant, a, g.grant().id())
                      .idempotencyKey(f.nextKey())
                      .actor(TckFixture.ADMIN)
                      .reason("void again")
                      .build());
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
                        VoidGrantRequest.builder(f.tenant, a, g.grant().id())
                            .idempotencyKey(f.nextKey())
                            .actor(TckFixture.ADMIN)
                            .reason("void")
                            .build());
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

  // ================================================================== the credit lifecycle

  /** Collects a reservation's outcome from many threads. */
  private static void note(
      Map<ReservationId, Set<TransactionId>> by, ReservationId id, TransactionId t) {
    by.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(t);
  }

  @Nested
  @DisplayName("Reservations: held credit is spent once, and each reservation ends exactly once")
  class Reservations {
    @Test
    void required_heldCreditIsNotAvailableToOthers() {
      AccountId a = f.open("acct");
      GrantResult g = f.grant(a, 1_000);
      ReservationResult r = f.reserve(a, 700);
      assertThat(r.reservation().held()).isEqualTo(credits(700));
      assertThat(r.reservation().state()).isEqualTo(ReservationState.ACTIVE);
      assertThat(f.reservation(r.reservation().id())).isEqualTo(r.reservation());
      assertThat(f.remaining(g)).as("held credit has left the grant").isEqualTo(300);
      assertThat(f.reserved(a)).isEqualTo(700);
      StoreState before = f.state(a);
      assertThatThrownBy(() -> f.usage(a, 301))
          .isInstanceOfSatisfying(
              InsufficientCreditException.class,
              e -> assertThat(e.available()).isEqualTo(credits(300)));
      assertThatThrownBy(() -> f.reserve(a, 301)).isInstanceOf(InsufficientCreditException.class);
      assertThat(f.state(a)).as("refusals write nothing").isEqualTo(before);
      assertThat(f.usage(a, 300).charged()).isEqualTo(credits(300));
      assertThat(f.reserved(a)).as("the hold is untouched by other charges").isEqualTo(700);
      f.assertConsistent(a);
    }

    @Test
    void required_availableIsTheBalanceMinusWhatIsReserved() {
      AccountId a = f.open("acct", OverdraftPolicy.allowDownTo(credits(50)));
      GrantResult first = f.grant(a, 100, b -> b.priority(1));
      GrantResult second = f.grant(a, 200, b -> b.priority(2));
      ReservationResult r = f.reserve(a, 250);
      assertThat(r.allocations())
          .extracting(x -> x.grant(), x -> x.amount().minor())
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(first.grant().id(), 100L),
              org.assertj.core.groups.Tuple.tuple(second.grant().id(), 150L));
      AccountBalance b = f.credits().balance(f.tenant, a);
      assertThat(b.total()).isEqualTo(credits(300));
      assertThat(b.reserved()).isEqualTo(credits(250));
      assertThat(b.available()).isEqualTo(credits(50));
      ReservationResult overdrawn = f.reserve(a, 90);
      assertThat(overdrawn.fromOverdraft()).isEqualTo(credits(40));
      b = f.credits().balance(f.tenant, a);
      assertThat(b.total()).as("a hold moves credit, it does not spend it").isEqualTo(credits(300));
      assertThat(b.reserved()).isEqualTo(credits(340));
      assertThat(b.owed()).isEqualTo(credits(40));
      assertThat(b.available()).isEqualTo(credits(0));
      assertThat(b.available()).isEqualTo(b.total().minus(b.reserved()).plus(b.owed()));
      assertThatThrownBy(() -> f.reserve(a, 11)).isInstanceOf(InsufficientCreditException.class);
      f.assertConsistent(a);
    }

    @Test
    void required_settlingLessConsumesWhatWasTakenFirstAndGivesTheRestBack() {
      AccountId a = f.open("acct");
      GrantResult first = f.grant(a, 300, b -> b.priority(1));
      GrantResult second = f.grant(a, 500, b -> b.priority(2));
      ReservationId id = f.reserve(a, 600).reservation().id();
      assertThat(f.remaining(first)).isZero();
      assertThat(f.remaining(second)).isEqualTo(200);
      SettlementResult s = f.settle(id, 400);
      assertThat(s.charged()).isEqualTo(credits(400));
      assertThat(s.released()).isEqualTo(credits(200));
      assertThat(s.shortfall()).isEqualTo(credits(0));
      assertThat(f.remaining(first)).as("consumed first: the credit taken first").isZero();
      assertThat(f.remaining(second))
          .as("the unused 200 went back to where it came from")
          .isEqualTo(400);
      assertThat(f.reserved(a)).isZero();
      Reservation settled = f.reservation(id);
      assertThat(settled.state()).isEqualTo(ReservationState.SETTLED);
      assertThat(settled.resolution()).contains(s.transaction().id());
      assertThat(s.transaction().minorOn(LedgerAccount.counter(LedgerAccount.Kind.RESERVED)))
          .isEqualTo(-600);
      assertThat(s.transaction().minorOn(LedgerAccount.counter(LedgerAccount.Kind.CONSUMED)))
          .isEqualTo(400);
      f.assertConsistent(a);
    }

    @Test
    void required_settlingMoreChargesTheDifferenceUnderThePolicy() {
      AccountId a = f.open("acct");
      GrantResult g = f.grant(a, 1_000);
      SettlementResult more = f.settle(f.reserve(a, 300).reservation().id(), 500);
      assertThat(more.charged()).isEqualTo(credits(500));
      assertThat(f.remaining(g)).isEqualTo(500);
      ReservationId id = f.reserve(a, 400).reservation().id();
      StoreState before = f.state(a);
      assertThatThrownBy(() -> f.settle(id, 601))
          .as("200 beyond the hold, but only 100 is available under a reject policy")
          .isInstanceOf(InsufficientCreditException.class);
      assertThat(f.state(a)).as("a refused settlement writes nothing").isEqualTo(before);
      assertThat(f.reservation(id).state()).isEqualTo(ReservationState.ACTIVE);
      assertThat(f.settle(id, 500).charged()).isEqualTo(credits(500));
      assertThat(f.remaining(g)).isZero();
      assertThat(f.reserved(a)).isZero();
      f.assertConsistent(a);
    }

    @Test
    void required_settlingExactlyTheHoldConsumesItAll() {
      AccountId a = f.open("acct");
      GrantResult g = f.grant(a, 1_000);
      SettlementResult s = f.settle(f.reserve(a, 250).reservation().id(), 250);
      assertThat(s.charged()).isEqualTo(credits(250));
      assertThat(s.released()).isEqualTo(credits(0));
      assertThat(f.remaining(g)).isEqualTo(750);
      assertThat(f.reserved(a)).isZero();
      assertThat(s.transaction().postings())
          .as("nothing goes back to a grant")
          .noneMatch(p -> p.account().isGrant());
      f.assertConsistent(a);
    }

    @Test
    void required_settleAndReleaseAreIdempotent() {
      AccountId a = f.open("acct");
      GrantResult g = f.grant(a, 1_000);
      ReservationId settled = f.reserve(a, 300).reservation().id();
      SettleRequest settle = f.settleRequest(settled, 200);
      SettlementResult first = f.reservations().settle(settle);
      StoreState after = f.state(a);
      SettlementResult again = f.reservations().settle(settle);
      assertThat(again.replayed()).isTrue();
      assertThat(again.transaction()).isEqualTo(first.transaction());
      SettlementResult sameAmountNewKey = f.settle(settled, 200);
      assertThat(sameAmountNewKey.replayed()).isTrue();
      assertThat(sameAmountNewKey.transaction()).isEqualTo(first.transaction());
      assertThatThrownBy(() -> f.settle(settled, 250))
          .isInstanceOfSatisfying(
              ReservationNotActiveException.class,
              e -> assertThat(e.state()).isEqualTo(ReservationState.SETTLED));
      assertThatThrownBy(() -> f.release(settled))
          .isInstanceOf(ReservationNotActiveException.class);
      assertThat(f.state(a)).isEqualTo(after);

      ReservationId released = f.reserve(a, 100).reservation().id();
      ReleaseRequest release = f.releaseRequest(released);
      ReservationResult r1 = f.reservations().release(release);
      StoreState afterRelease = f.state(a);
      ReservationResult r2 = f.reservations().release(release);
      ReservationResult r3 = f.release(released);
      assertThat(r1.replayed()).isFalse();
      assertThat(r2.replayed()).isTrue();
      assertThat(r3.replayed()).isTrue();
      assertThat(r2.transaction()).isEqualTo(r1.transaction());
      assertThat(r3.transaction()).isEqualTo(r1.transaction());
      assertThatThrownBy(() -> f.settle(released, 50))
          .isInstanceOfSatisfying(
              ReservationNotActiveException.class,
              e -> assertThat(e.state()).isEqualTo(ReservationState.RELEASED));
      assertThat(f.state(a)).isEqualTo(afterRelease);
      assertThat(f.resolutions(a)).as("one resolution per reservation").hasSize(2);
      assertThat(f.remaining(g)).isEqualTo(800);
      f.assertConsistent(a);
    }

    @Test
    void required_aReservationPastItsTimeToLiveReleasesItselfOnce() {
      AccountId a = f.open("acct");
      GrantResult g = f.grant(a, 1_000);
      Reservation r = f.reserve(a, 400, Duration.ofMinutes(10)).reservation();
      f.clock.advance(Duration.ofMinutes(10));
      AccountBalance b = f.credits().balance(f.tenant, a);
      assertThat(b.reserved()).as("the time-to-live is exclusive").isEqualTo(credits(0));
      assertThat(b.available()).isEqualTo(credits(1_000));
      Reservation expired = f.reservation(r.id());
      assertThat(expired.state()).isEqualTo(ReservationState.EXPIRED);
      LedgerTransaction t =
          f.store.findTransaction(f.tenant, expired.resolution().orElseThrow()).orElseThrow();
      assertThat(t.type()).isEqualTo(TransactionType.RELEASE);
      assertThat(t.effectiveAt()).isEqualTo(r.expiresAt());
      StoreState after = f.state(a);
      assertThatThrownBy(() -> f.settle(r.id(), 100))
          .isInstanceOfSatisfying(
              ReservationNotActiveException.class,
              e -> assertThat(e.state()).isEqualTo(ReservationState.EXPIRED));
      assertThat(f.release(r.id()).transaction()).isEqualTo(t);
      assertThat(f.billing.sweeps().expireReservations(f.tenant, TckFixture.ADMIN, false).items())
          .isEmpty();
      assertThat(f.state(a)).isEqualTo(after);
      assertThat(f.resolutions(a)).containsExactly(t);
      assertThat(f.remaining(g)).isEqualTo(1_000);
      f.assertConsistent(a);
    }

    @Test
    void required_settleRacingReleaseAndExpiryResolvesEachReservationExactlyOnce()
        throws Exception {
      AccountId a = f.open("acct");
      f.grant(a, 1_000_000);
      int n = 48;
      List<ReservationId> ids = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ids.add(f.reserve(a, 100, Duration.ofSeconds(1 + i)).reservation().id());
      }
      ReservationId lasting = f.reserve(a, 70, Duration.ofDays(1)).reservation().id();
      Map<ReservationId, Set<TransactionId>> settledBy = new ConcurrentHashMap<>();
      Map<ReservationId, Set<TransactionId>> releasedBy = new ConcurrentHashMap<>();
      AtomicInteger turns = new AtomicInteger();
      race(
          concurrentThreads(),
          () -> {
            int me = turns.getAndIncrement();
            if (me == 0) {
              // The clock runs and the sweep expires whatever is due, while others settle.
              for (int s = 0; s <= n; s++) {
                f.clock.advance(Duration.ofSeconds(1));
                for (SweepItem item :
                    f.billing
                        .sweeps()
                        .expireReservations(f.tenant, TckFixture.ADMIN, false)
                        .items()) {
                  note(releasedBy, ReservationId.of(item.subject()), item.transaction().id());
                }
              }
              return null;
            }
            List<ReservationId> order = new ArrayList<>(ids);
            java.util.Collections.shuffle(order, new java.util.Random(me));
            for (ReservationId id : order) {
              try {
                if (Math.floorMod(id.hashCode() + me, 3) == 0) {
                  note(releasedBy, id, f.release(id).transaction().id());
                } else {
                  note(settledBy, id, f.settle(id, 60).transaction().id());
                }
              } catch (ReservationNotActiveException expected) {
                // resolved another way first: the rule is that this happens, never a second end
              }
            }
            return null;
          });
      f.clock.advance(Duration.ofMinutes(5));
      f.billing.sweeps().expireReservations(f.tenant, TckFixture.ADMIN, false);
      List<LedgerTransaction> resolutions = f.resolutions(a);
      assertThat(resolutions).as("exactly one resolution per reservation").hasSize(n);
      Set<TransactionId> named = new HashSet<>();
      for (ReservationId id : ids) {
        Reservation r = f.reservation(id);
        assertThat(r.state()).as("%s ended", id).isNotEqualTo(ReservationState.ACTIVE);
        named.add(r.resolution().orElseThrow());
        LedgerTransaction t = f.store.findTransaction(f.tenant, r.resolution().get()).orElseThrow();
        assertThat(t.minorOn(LedgerAccount.counter(LedgerAccount.Kind.RESERVED))).isEqualTo(-100);
        if (r.state() == ReservationState.SETTLED) {
          assertThat(settledBy.get(id))
              .as("every settle of %s saw one outcome", id)
              .containsExactly(t.id());
          assertThat(t.minorOn(LedgerAccount.counter(LedgerAccount.Kind.CONSUMED))).isEqualTo(60);
        } else {
          assertThat(settledBy.get(id)).as("%s was never settled", id).isNull();
        }
        if (releasedBy.containsKey(id)) {
          assertThat(r.state()).isNotEqualTo(ReservationState.SETTLED);
          assertThat(releasedBy.get(id)).containsExactly(t.id());
        }
      }
      assertThat(named).isEqualTo(TckFixture.ids(resolutions));
      assertThat(f.reservation(lasting).state()).isEqualTo(ReservationState.ACTIVE);
      assertThat(f.reserved(a)).as("RESERVED is what is still active").isEqualTo(70);
      f.assertConsistent(a);
    }

    @Test
    void required_manyThreadsReservingNeverHoldMoreThanTheAccountHas() throws Exception {
      AccountId a = f.open("acct");
      long granted = 5_000;
      f.grant(a, granted, b -> b.priority(1));
      AtomicLong held = new AtomicLong();
      AtomicLong consumed = new AtomicLong();
      race(
          concurrentThreads(),
          () -> {
            for (int i = 0; i < writesPerThread() / 5; i++) {
              try {
                ReservationResult r = f.reserve(a, 9);
                held.addAndGet(r.reservation().held().minor());
                if (i % 3 == 0) {
                  consumed.addAndGet(f.settle(r.reservation().id(), 4).charged().minor());
                  held.addAndGet(-9);
                }
              } catch (InsufficientCreditException expected) {
                // the account is fully held: it must say so rather than hold credit twice
              }
            }
            return null;
          });
      assertThat(f.reserved(a)).isEqualTo(held.get());
      AccountBalance b = f.credits().balance(f.tenant, a);
      assertThat(b.available().minor() + held.get() + consumed.get()).isEqualTo(granted);
      f.assertConsistent(a);
    }

    @Test
    void required_theStoreRefusesToResolveAReservationThatIsNotActive() {
      AccountId a = f.open("acct");
      AccountId other = f.open("other");
      GrantResult g = f.grant(a, 1_000);
      f.grant(other, 1_000);
      ReservationId settled = f.reserve(a, 100).reservation().id();
      f.settle(settled, 100);
      Reservation before = f.reservation(settled);
      ReservationId elsewhere = f.reserve(other, 100).reservation().id();
      StoreState state = f.state(a);
      StoreState otherState = f.state(other);
      for (ReservationState to :
          List.of(ReservationState.RELEASED, ReservationState.EXPIRED, ReservationState.SETTLED)) {
        assertThat(f.store.commit(f.rawResolve(a, g, 100, settled, to)))
            .as("resolving a SETTLED reservation again as %s", to)
            .isInstanceOf(CommitResult.Rejected.class);
      }
      assertThat(
              f.store.commit(
                  f.rawResolve(
                      a,
                      g,
                      100,
                      ReservationId.of("no-such-reservation"),
                      ReservationState.RELEASED)))
          .as("an unknown reservation")
          .isInstanceOf(CommitResult.Rejected.class);
      assertThat(f.store.commit(f.rawResolve(a, g, 100, elsewhere, ReservationState.RELEASED)))
          .as("another account's reservation")
          .isInstanceOf(CommitResult.Rejected.class);
      assertThat(f.state(a)).isEqualTo(state);
      assertThat(f.state(other)).isEqualTo(otherState);
      assertThat(f.reservation(settled)).isEqualTo(before);
      assertThat(f.reservation(elsewhere).state()).isEqualTo(ReservationState.ACTIVE);
    }

    @Test
    void required_theStoreRefusesAReservedPostingThatDoesNotMatchTheReservations() {
      AccountId a = f.open("acct");
      GrantResult g = f.grant(a, 1_000);
      ReservationId active = f.reserve(a, 100).reservation().id();
      StoreState before = f.state(a);
      assertThat(f.store.commit(f.rawHold(a, g, 90, ReservationId.of("tck-short"), 100)))
          .as("RESERVED +90 for a reservation that holds 100")
          .isInstanceOf(CommitResult.Rejected.class);
      assertThat(f.store.commit(f.rawResolve(a, g, 50, active, ReservationState.RELEASED)))
          .as("RESERVED -50 for resolving a reservation that holds 100")
          .isInstanceOf(CommitResult.Rejected.class);
      LedgerTransaction stray =
          f.rawTransaction(
              a,
              TransactionType.HOLD,
              f.nextKey(),
              List.of(TckFixture.on(g, -10), TckFixture.on(LedgerAccount.Kind.RESERVED, 10)));
      assertThat(f.store.commit(LedgerWrite.of(stray, f.version(a))))
          .as("RESERVED +10 with no reservation at all")
          .isInstanceOf(CommitResult.Rejected.class);
      assertThat(f.state(a)).isEqualTo(before);
      assertThat(f.store.findReservation(f.tenant, ReservationId.of("tck-short"))).isEmpty();
      // The same writes done right are accepted, so the refusals above are about the mismatch.
      ReservationId handMade = ReservationId.of("tck-hand-made");
      assertThat(f.store.commit(f.rawHold(a, g, 100, handMade, 100)))
          .isInstanceOf(CommitResult.Committed.class);
      assertThat(f.reserved(a)).isEqualTo(200);
      assertThat(f.store.commit(f.rawResolve(a, g, 100, handMade, ReservationState.RELEASED)))
          .isInstanceOf(CommitResult.Committed.class);
      assertThat(f.reservation(handMade).state()).isEqualTo(ReservationState.RELEASED);
      assertThat(f.reserved(a)).isEqualTo(100);
      f.assertConsistent(a);
    }

    @Test
    void required_aDuplicateReservationIdIsRejected() {
      AccountId a = f.open("acct");
      AccountId b = f.open("other");
      GrantResult g = f.grant(a, 1_000);
      GrantResult gb = f.grant(b, 1_000);
      Reservation existing = f.reserve(a, 100).reservation();
      StoreState before = f.state(a);
      StoreState otherBefore = f.state(b);
      assertThat(f.store.commit(f.rawHold(a, g, 50, existing.id(), 50)))
          .as("the same id again on its account")
          .isInstanceOf(CommitResult.Rejected.class);
      assertThat(f.store.commit(f.rawHold(b, gb, 50, existing.id(), 50)))
          .as("the same id on another account of the tenant")
          .isInstanceOf(CommitResult.Rejected.class);
      assertThat(f.state(a)).isEqualTo(before);
      assertThat(f.state(b)).isEqualTo(otherBefore);
      assertThat(f.reservation(existing.id())).isEqualTo(existing);
      f.settle(existing.id(), 100);
      StoreState settled = f.state(a);
      assertThat(f.store.commit(f.rawHold(a, g, 50, existing.id(), 50)))
          .as("an ended reservation's id is not reused either")
          .isInstanceOf(CommitResult.Rejected.class);
      assertThat(f.state(a)).isEqualTo(settled);
    }

    @Test
    void required_aReservationIdIsClaimedOnceAcrossConcurrentWrites() throws Exception {
      int accounts = Math.max(2, concurrentThreads());
      List<AccountId> ids = new ArrayList<>();
      List<GrantResult> grants = new ArrayList<>();
      for (int i = 0; i < accounts; i++) {
        ids.add(f.open("acct-" + i));
        grants.add(f.grant(ids.get(i), 100_000));
      }
      int rounds = 50;
      for (int round = 0; round < rounds; round++) {
        ReservationId shared = ReservationId.of("tck-shared-" + round);
        AtomicInteger turns = new AtomicInteger();
        List<CommitResult> outcomes =
            race(
                accounts,
                () -> {
                  int me = turns.getAndIncrement();
                  for (int attempt = 0; attempt < 100; attempt++) {
                    CommitResult r =
                        f.store.commit(f.rawHold(ids.get(me), grants.get(me), 10, shared, 10));
                    if (!(r instanceof CommitResult.VersionConflict)) {
                      return r;
                    }
                  }
                  throw new AssertionError("no progress");
                });
        assertThat(outcomes.stream().filter(CommitResult.Committed.class::isInstance))
            .as("round %s: one write claims the id", round)
            .hasSize(1);
      }
      for (AccountId id : ids) {
        f.assertConsistent(id);
      }
    }
  }

  @Nested
  @DisplayName("Reversals: credit goes back along its lineage, never more than was taken")
  class Reversals {
    @Test
    void required_aReversalGivesCreditBackToTheGrantsItCameFromLastTakenFirst() {
      AccountId a = f.open("acct");
      GrantResult first = f.grant(a, 100, b -> b.priority(1));
      GrantResult second = f.grant(a, 100, b -> b.priority(2));
      GrantResult third = f.grant(a, 100, b -> b.priority(3));
      ChargeResult debit = f.usage(a, 250);
      TransactionId original = debit.transaction().id();
      ReversalResult r1 = f.reverse(a, original, 120);
      assertThat(r1.restorations())
          .extracting(x -> x.grant().orElseThrow(), x -> x.restored().minor())
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(third.grant().id(), 50L),
              org.assertj.core.groups.Tuple.tuple(second.grant().id(), 70L));
      assertThat(r1.remaining()).isEqualTo(credits(130));
      assertThat(r1.transaction().type()).isEqualTo(TransactionType.REVERSAL);
      assertThat(r1.transaction().corrects()).contains(original);
      assertThat(r1.transaction().minorOn(LedgerAccount.counter(LedgerAccount.Kind.CONSUMED)))
          .isEqualTo(-120);
      assertThat(f.remaining(first)).isZero();
      assertThat(f.remaining(second)).isEqualTo(70);
      assertThat(f.remaining(third)).isEqualTo(100);
      ReversalResult r2 = f.reverseAll(a, original);
      assertThat(r2.amount()).isEqualTo(credits(130));
      assertThat(r2.restorations())
          .extracting(x -> x.grant().orElseThrow(), x -> x.restored().minor())
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(second.grant().id(), 30L),
              org.assertj.core.groups.Tuple.tuple(first.grant().id(), 100L));
      assertThat(r2.remaining()).isEqualTo(credits(0));
      assertThat(List.of(f.remaining(first), f.remaining(second), f.remaining(third)))
          .containsExactly(100L, 100L, 100L);
      assertThat(f.store.findTransaction(f.tenant, original)).contains(debit.transaction());
      f.assertConsistent(a);
    }

    @Test
    void required_aPartialReversalNeverGivesBackMoreThanWasTaken() {
      AccountId a = f.open("acct");
      GrantResult g = f.grant(a, 10_000);
      GrantResult other = f.grant(a, 10, b -> b.priority(90));
      TransactionId original = f.usage(a, 250).transaction().id();
      f.reverse(a, original, 100);
      StoreState before = f.state(a);
      assertThatThrownBy(() -> f.reverse(a, original, 151))
          .isInstanceOfSatisfying(
              ReversalLimitExceededException.class,
              e -> assertThat(e.reversible()).isEqualTo(credits(150)));
      assertThat(f.state(a)).as("a refused reversal writes nothing").isEqualTo(before);
      assertThat(f.reverse(a, original, 150).remaining()).isEqualTo(credits(0));
      StoreState done = f.state(a);
      assertThatThrownBy(() -> f.reverse(a, original, 1))
          .isInstanceOf(ReversalLimitExceededException.class);
      assertThatThrownBy(() -> f.reverseAll(a, original))
          .isInstanceOf(dev.billingsdk.InvalidRequestException.class);
      assertThatThrownBy(() -> f.reverseAll(a, other.transaction().id()))
          .as("a grant is not a debit")
          .isInstanceOf(dev.billingsdk.InvalidRequestException.class);
      assertThat(f.state(a)).isEqualTo(done);
      assertThat(f.remaining(g)).isEqualTo(10_000);
      f.assertConsistent(a);
    }

    @Test
    void required_concurrentPartialReversalsNeverExceedTheOriginal() throws Exception {
      AccountId a = f.open("acct");
      GrantResult g = f.grant(a, 10_000);
      TransactionId original = f.usage(a, 1_000).transaction().id();
      AtomicLong reversed = new AtomicLong();
      AtomicInteger count = new AtomicInteger();
      race(
          concurrentThreads(),
          () -> {
            while (true) {
              try {
                reversed.addAndGet(f.reverse(a, original, 7).amount().minor());
                count.incrementAndGet();
              } catch (ReversalLimitExceededException used) {
                return null;
              }
            }
          });
      assertThat(reversed.get()).isEqualTo(994);
      assertThat(f.reverseAll(a, original).amount()).isEqualTo(credits(6));
      List<LedgerTransaction> corrections = f.store.corrections(f.tenant, original);
      assertThat(corrections).hasSize(count.get() + 1);
      assertThat(
              corrections.stream()
                  .mapToLong(t -> -t.minorOn(LedgerAccount.counter(LedgerAccount.Kind.CONSUMED)))
                  .sum())
          .isEqualTo(1_000);
      assertThat(f.remaining(g)).isEqualTo(10_000);
      f.assertConsistent(a);
    }

    @Test
    void required_correctionsListEveryReversalOfATransactionOldestFirst() {
      AccountId a = f.open("acct");
      GrantResult g = f.grant(a, 10_000);
      TransactionId one = f.usage(a, 500).transaction().id();
      TransactionId two = f.usage(a, 200).transaction().id();
      LedgerTransaction r1 = f.reverse(a, one, 100).transaction();
      LedgerTransaction r2 = f.reverse(a, two, 50).transaction();
      LedgerTransaction r3 = f.reverse(a, one, 200).transaction();
      assertThat(f.store.corrections(f.tenant, one)).containsExactly(r1, r3);
      assertThat(f.store.corrections(f.tenant, two)).containsExactly(r2);
      assertThat(f.store.corrections(f.tenant, g.transaction().id())).isEmpty();
      assertThat(f.store.corrections(f.tenant, r1.id())).isEmpty();
      TckFixture other = new TckFixture(f.store);
      assertThat(f.store.corrections(other.tenant, one)).as("tenant-scoped").isEmpty();
      assertThat(f.store.findTransaction(f.tenant, r3.id())).contains(r3);
    }

    @Test
    void required_creditGivenBackToAGrantThatEndedMeanwhileEndsInTheSameTransaction() {
      AccountId a = f.open("acct");
      GrantResult expiring =
          f.grant(a, 100, b -> b.priority(1).expiresAt(TckFixture.START.plus(Duration.ofHours(1))));
      GrantResult lasting = f.grant(a, 100, b -> b.priority(2));
      TransactionId debit = f.usage(a, 150).transaction().id();
      f.clock.advance(Duration.ofHours(2));
      ReversalResult r = f.reverseAll(a, debit);
      assertThat(r.restorations())
          .extracting(
              x -> x.grant().orElseThrow(),
              x -> x.restored().minor(),
              x -> x.expiredAtOnce().minor())
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(lasting.grant().id(), 50L, 0L),
              org.assertj.core.groups.Tuple.tuple(expiring.grant().id(), 100L, 100L));
      assertThat(r.transaction().minorOn(LedgerAccount.counter(LedgerAccount.Kind.EXPIRED)))
          .as("the restored credit of the expired grant expires in the reversal itself")
          .isEqualTo(100);
      assertThat(r.transaction().minorOn(LedgerAccount.grant(expiring.grant().id()))).isZero();
      assertThat(f.remaining(expiring)).isZero();
      assertThat(f.remaining(lasting)).isEqualTo(100);
      assertThat(f.credits().balance(f.tenant, a).available()).isEqualTo(credits(100));
      f.assertConsistent(a);

      AccountId b = f.open("voided");
      GrantResult voided = f.grant(b, 100);
      TransactionId spent = f.usage(b, 60).transaction().id();
      f.voidGrant(b, voided);
      ReversalResult rv = f.reverseAll(b, spent);
      assertThat(rv.restorations())
          .extracting(x -> x.restored().minor(), x -> x.voidedAtOnce().minor())
          .containsExactly(org.assertj.core.groups.Tuple.tuple(60L, 60L));
      assertThat(rv.transaction().minorOn(LedgerAccount.counter(LedgerAccount.Kind.VOIDED)))
          .isEqualTo(60);
      assertThat(f.remaining(voided)).isZero();
      f.assertConsistent(b);
    }
  }

  @Nested
  @DisplayName("Expiry: the sweeps' queries say exactly what is due, and each expiry posts once")
  class Expiry {
    private final java.time.Instant hour1 = TckFixture.START.plus(Duration.ofHours(1));
    private final java.time.Instant hour2 = TckFixture.START.plus(Duration.ofHours(2));

    private List<GrantId> grantIds(List<GrantBalance> grants) {
      return grants.stream().map(g -> g.grant().id()).toList();
    }

    @Test
    void required_expiredGrantsNamesOnlyUnvoidedGrantsWithCreditLeftThatExpireByThen() {
      AccountId a = f.open("acct");
      AccountId b = f.open("other");
      GrantResult spent = f.grant(a, 100, x -> x.priority(1).expiresAt(hour1));
      f.usage(a, 100);
      GrantResult due = f.grant(a, 100, x -> x.expiresAt(hour1));
      GrantResult voided = f.grant(a, 100, x -> x.expiresAt(hour1));
      f.voidGrant(a, voided);
      GrantResult notYet =
          f.grant(a, 100, x -> x.expiresAt(TckFixture.START.plus(Duration.ofHours(3))));
      f.grant(a, 100);
      GrantResult boundary = f.grant(a, 100, x -> x.expiresAt(hour2));
      GrantResult partly = f.grant(b, 100, x -> x.expiresAt(hour1));
      f.usage(b, 30);
      TckFixture other = new TckFixture(f.store);
      AccountId c = other.open("acct");
      GrantResult elsewhere = other.grant(c, 100, x -> x.expiresAt(hour1));

      List<GrantBalance> found = f.store.expiredGrants(f.tenant, hour2, 0, 100);
      assertThat(grantIds(found))
          .as("due by %s, in sequence order, the expiry instant included", hour2)
          .containsExactly(due.grant().id(), boundary.grant().id(), partly.grant().id());
      assertThat(found.get(2).remaining()).isEqualTo(credits(70));
      assertThat(grantIds(f.store.expiredGrants(f.tenant, hour1, 0, 100)))
          .containsExactly(due.grant().id(), partly.grant().id());
      assertThat(f.store.expiredGrants(f.tenant, hour1.minusMillis(1), 0, 100))
          .as("nothing is due before its instant")
          .isEmpty();
      assertThat(grantIds(f.store.expiredGrants(other.tenant, hour2, 0, 100)))
          .containsExactly(elsewhere.grant().id());
      assertThat(List.of(spent, voided, notYet)).isNotEmpty();
    }

    @Test
    void required_expiredGrantsPagesInSequenceOrder() {
      AccountId a = f.open("acct");
      AccountId b = f.open("other");
      List<GrantId> expected = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        AccountId on = i % 2 == 0 ? a : b;
        expected.add(f.grant(on, 10 + i, x -> x.expiresAt(hour1)).grant().id());
        f.grant(on, 5);
      }
      assertThat(grantIds(f.store.expiredGrants(f.tenant, hour2, 0, 100))).isEqualTo(expected);
      List<GrantId> paged = new ArrayList<>();
      long after = 0;
      int pages = 0;
      while (true) {
        List<GrantBalance> page = f.store.expiredGrants(f.tenant, hour2, after, 3);
        assertThat(page.size()).as("limit respected").isLessThanOrEqualTo(3);
        if (page.isEmpty()) {
          break;
        }
        pages++;
        paged.addAll(grantIds(page));
        after = page.get(page.size() - 1).grant().sequence();
      }
      assertThat(paged).as("every due grant exactly once across pages").isEqualTo(expected);
      assertThat(pages).isEqualTo(3);
    }

    @Test
    void required_aGrantSweepPostsEachExpiryOnceEvenWhenSweepsRace() throws Exception {
      List<AccountId> accounts = new ArrayList<>();
      Map<GrantId, GrantResult> due = new HashMap<>();
      long expectedExpired = 0;
      for (int i = 0; i < 3; i++) {
        AccountId a = f.open("acct-" + i);
        accounts.add(a);
        for (int j = 0; j < 10; j++) {
          java.time.Instant at = hour1.plus(Duration.ofMinutes(j));
          GrantResult g = f.grant(a, 100 + j, x -> x.priority(1).expiresAt(at));
          due.put(g.grant().id(), g);
        }
        f.grant(a, 1_000, x -> x.priority(50));
        f.usage(a, 250);
        expectedExpired += 10 * 100 + 45 - 250;
      }
      f.clock.set(hour2);
      List<SweepResult> results =
          race(
              Math.max(2, concurrentThreads()),
              () -> f.billing.sweeps().expireGrants(f.tenant, TckFixture.ADMIN, false));
      List<String> reported = new ArrayList<>();
      for (SweepResult r : results) {
        r.items().forEach(item -> reported.add(item.subject()));
      }
      assertThat(reported)
          .as("each expiry reported by the one sweep that posted it")
          .doesNotHaveDuplicates();
      long expired = 0;
      int posted = 0;
      for (AccountId a : accounts) {
        for (LedgerTransaction t : f.store.transactions(f.tenant, a)) {
          if (t.type() != TransactionType.EXPIRY) {
            continue;
          }
          posted++;
          GrantId id =
              t.postings().stream()
                  .filter(p -> p.account().isGrant())
                  .findFirst()
                  .orElseThrow()
                  .account()
                  .grant();
          GrantResult expiring = due.get(id);
          if (expiring == null) {
            throw new AssertionError("an expiry posted for grant " + id + ", which was not due");
          }
          assertThat(t.effectiveAt())
              .as("an expiry takes effect at the grant's expiry instant")
              .isEqualTo(expiring.grant().expiresAt().orElseThrow());
          assertThat(t.recordedAt()).isEqualTo(hour2);
          expired += t.minorOn(LedgerAccount.counter(LedgerAccount.Kind.EXPIRED));
        }
        f.assertConsistent(a);
      }
      assertThat(posted)
          .as("one expiry per grant that still held credit")
          .isEqualTo(reported.size());
      assertThat(expired).isEqualTo(expectedExpired);
      for (GrantResult g : due.values()) {
        assertThat(f.remaining(g)).isZero();
      }
      assertThat(f.billing.sweeps().expireGrants(f.tenant, TckFixture.ADMIN, false).items())
          .as("a sweep run again posts nothing")
          .isEmpty();
    }

    @Test
    void required_aDryRunWritesNothingAndShowsWhatTheSweepWillPost() {
      AccountId a = f.open("acct");
      GrantResult g = f.grant(a, 300, x -> x.expiresAt(hour1));
      f.usage(a, 100);
      Reservation r = f.reserve(a, 50, Duration.ofMinutes(30)).reservation();
      f.clock.set(TckFixture.START.plus(Duration.ofHours(5)));
      StoreState before = f.state(a);
      List<BillingEvent> events = f.pendingEventsOnly();
      SweepResult dryReservations =
          f.billing.sweeps().expireReservations(f.tenant, TckFixture.ADMIN, true);
      SweepResult dryGrants = f.billing.sweeps().expireGrants(f.tenant, TckFixture.ADMIN, true);
      assertThat(f.state(a)).as("a dry run writes nothing").isEqualTo(before);
      assertThat(f.pendingEventsOnly()).as("and puts nothing in the outbox").isEqualTo(events);
      assertThat(dryReservations.dryRun()).isTrue();
      assertThat(dryReservations.items())
          .extracting(SweepItem::subject)
          .containsExactly(r.id().value());
      assertThat(dryGrants.items())
          .extracting(SweepItem::subject, x -> x.amount().minor(), SweepItem::effectiveAt)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(g.grant().id().value(), 150L, hour1));
      SweepResult reservations =
          f.billing.sweeps().expireReservations(f.tenant, TckFixture.ADMIN, false);
      assertThat(reservations.items())
          .extracting(SweepItem::subject)
          .containsExactly(r.id().value());
      assertThat(reservations.items().get(0).effectiveAt()).isEqualTo(r.expiresAt());
      SweepResult grants = f.billing.sweeps().expireGrants(f.tenant, TckFixture.ADMIN, false);
      assertThat(grants.items())
          .extracting(SweepItem::subject, x -> x.amount().minor(), SweepItem::effectiveAt)
          .as("the released 50 went back to the expired grant and expired with the hold's release")
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(g.grant().id().value(), 150L, hour1));
      LedgerTransaction t = grants.items().get(0).transaction();
      assertThat(f.store.findTransaction(f.tenant, t.id())).contains(t);
      assertThat(t.effectiveAt()).isEqualTo(hour1);
      assertThat(t.recordedAt()).isEqualTo(TckFixture.START.plus(Duration.ofHours(5)));
      assertThat(f.remaining(g)).isZero();
      f.assertConsistent(a);
    }

    @Test
    void required_expiredReservationsNamesOnlyActiveReservationsPastTheirTimeToLive() {
      AccountId a = f.open("acct");
      AccountId b = f.open("other");
      f.grant(a, 10_000);
      f.grant(b, 10_000);
      Duration ten = Duration.ofMinutes(10);
      Reservation r1 = f.reserve(a, 10, ten).reservation();
      f.reserve(a, 10, Duration.ofMinutes(60));
      ReservationId settled = f.reserve(a, 10, ten).reservation().id();
      f.settle(settled, 5);
      ReservationId released = f.reserve(a, 10, ten).reservation().id();
      f.release(released);
      Reservation boundary = f.reserve(a, 10, Duration.ofMinutes(20)).reservation();
      Reservation r6 = f.reserve(b, 10, ten).reservation();
      TckFixture other = new TckFixture(f.store);
      AccountId c = other.open("acct");
      other.grant(c, 100);
      Reservation elsewhere = other.reserve(c, 10, ten).reservation();
      java.time.Instant at = TckFixture.START.plus(Duration.ofMinutes(20));

      assertThat(f.store.expiredReservations(f.tenant, at, 0, 100))
          .extracting(Reservation::id)
          .containsExactly(r1.id(), boundary.id(), r6.id());
      assertThat(f.store.expiredReservations(f.tenant, at, 0, 100))
          .allMatch(r -> r.state() == ReservationState.ACTIVE);
      assertThat(
              f.store.expiredReservations(
                  f.tenant, TckFixture.START.plus(Duration.ofMinutes(9)), 0, 100))
          .isEmpty();
      List<ReservationId> paged = new ArrayList<>();
      long after = 0;
      while (true) {
        List<Reservation> page = f.store.expiredReservations(f.tenant, at, after, 1);
        assertThat(page.size()).isLessThanOrEqualTo(1);
        if (page.isEmpty()) {
          break;
        }
        paged.add(page.get(0).id());
        after = page.get(0).sequence();
      }
      assertThat(paged).containsExactly(r1.id(), boundary.id(), r6.id());
      assertThat(f.store.expiredReservations(other.tenant, at, 0, 100))
          .extracting(Reservation::id)
          .containsExactly(elsewhere.id());
    }

    @Test
    void required_aReservationSweepReleasesEachExpiredReservationOnceEvenWhenSweepsRace()
        throws Exception {
      List<AccountId> accounts = new ArrayList<>();
      Map<ReservationId, Reservation> due = new HashMap<>();
      for (int i = 0; i < 2; i++) {
        AccountId a = f.open("acct-" + i);
        accounts.add(a);
        f.grant(a, 10_000);
        for (int j = 0; j < 10; j++) {
          Reservation r = f.reserve(a, 10 + j, Duration.ofMinutes(1 + j)).reservation();
          due.put(r.id(), r);
        }
        f.reserve(a, 500, Duration.ofDays(1));
      }
      f.clock.advance(Duration.ofMinutes(30));
      List<SweepResult> results =
          race(
              Math.max(2, concurrentThreads()),
              () -> f.billing.sweeps().expireReservations(f.tenant, TckFixture.ADMIN, false));
      List<String> reported = new ArrayList<>();
      results.forEach(r -> r.items().forEach(item -> reported.add(item.subject())));
      assertThat(reported)
          .as("each expiry reported by the one sweep that posted it")
          .doesNotHaveDuplicates()
          .hasSize(due.size());
      for (Reservation r : due.values()) {
        Reservation now = f.reservation(r.id());
        assertThat(now.state()).isEqualTo(ReservationState.EXPIRED);
        LedgerTransaction t =
            f.store.findTransaction(f.tenant, now.resolution().orElseThrow()).orElseThrow();
        assertThat(t.type()).isEqualTo(TransactionType.RELEASE);
        assertThat(t.effectiveAt()).isEqualTo(r.expiresAt());
      }
      for (AccountId a : accounts) {
        assertThat(f.resolutions(a)).hasSize(10);
        assertThat(f.reserved(a)).isEqualTo(500);
        assertThat(f.credits().balance(f.tenant, a).available()).isEqualTo(credits(9_500));
        f.assertConsistent(a);
      }
      assertThat(f.billing.sweeps().expireReservations(f.tenant, TckFixture.ADMIN, false).items())
          .isEmpty();
    }
  }

  @Nested
  @DisplayName(
      "Events: the outbox commits with its write, and alerts change only by versioned writes")
  class Events {
    private long countOf(Class<? extends BillingEvent> type, AccountId account) {
      return f.pendingEventsOnly().stream()
          .filter(type::isInstance)
          .filter(e -> e.account().equals(account))
          .count();
    }

    @Test
    void required_theEventsOfACommittedWriteArePendingInCommitOrder() {
      AccountId a = f.open("acct");
      GrantResult g = f.grant(a, 1_000);
      ChargeResult c = f.usage(a, 100);
      ReservationResult r = f.reserve(a, 50);
      List<OutboxEntry> pending = f.pendingEvents();
      assertThat(pending)
          .extracting(e -> e.event().getClass().getSimpleName())
          .containsExactly("GrantCreated", "ChargePosted", "ReservationCreated");
      assertThat(pending)
          .extracting(e -> TckFixture.transactionOf(e.event()).orElseThrow())
          .containsExactly(g.transaction().id(), c.transaction().id(), r.transaction().id());
      assertThat(pending).extracting(OutboxEntry::position).isSorted().doesNotHaveDuplicates();
      LedgerTransaction t = f.rawDebit(a, g, 10, f.nextKey());
      BillingEvent mine = TckFixture.eventFor(t);
      assertThat(f.store.commit(LedgerWrite.of(t, f.version(a)).withEvents(List.of(mine))))
          .isEqualTo(new CommitResult.Committed(t));
      List<BillingEvent> now = f.pendingEventsOnly();
      assertThat(now).hasSize(4);
      assertThat(now.get(3)).as("a hand-built write's event, stored as given").isEqualTo(mine);
    }

    @Test
    void required_aRefusedWriteLeavesNoEvents() {
      AccountId a = f.open("acct");
      GrantResult g = f.grant(a, 100);
      IdempotencyKey used = f.usage(a, 10).transaction().idempotencyKey();
      long stale = f.version(a) - 1;
      StoreState before = f.state(a);
      List<OutboxEntry> events = f.pendingEvents();
      LedgerTransaction tooMuch = f.rawDebit(a, g, 1_000, f.nextKey());
      LedgerTransaction reused = f.rawDebit(a, g, 1, used);
      LedgerTransaction late = f.rawDebit(a, g, 1, f.nextKey());
      assertThat(
              f.store.commit(
                  LedgerWrite.of(tooMuch, f.version(a))
                      .withEvents(List.of(TckFixture.eventFor(tooMuch)))))
          .isInstanceOf(CommitResult.Rejected.class);
      assertThat(
              f.store.commit(
                  LedgerWrite.of(reused, f.version(a))
                      .withEvents(List.of(TckFixture.eventFor(reused)))))
          .isInstanceOf(CommitResult.Duplicate.class);
      assertThat(
              f.store.commit(
                  LedgerWrite.of(late, stale).withEvents(List.of(TckFixture.eventFor(late)))))
          .isInstanceOf(CommitResult.VersionConflict.class);
      assertThatThrownBy(() -> f.usage(a, 1_000)).isInstanceOf(InsufficientCreditException.class);
      assertThat(f.pendingEvents()).as("no refused write leaves an event").isEqualTo(events);
      assertThat(f.state(a)).isEqualTo(before);
    }

    @Test
    void required_acknowledgedEventsAreNoLongerPending() {
      AccountId a = f.open("acct");
      f.grant(a, 1_000);
      f.usage(a, 1);
      f.usage(a, 2);
      List<OutboxEntry> pending = f.pendingEvents();
      assertThat(pending).hasSize(3);
      f.store.acknowledgeEvents(List.of(pending.get(1).position()));
      assertThat(f.pendingEvents()).containsExactly(pending.get(0), pending.get(2));
      f.store.acknowledgeEvents(List.of(pending.get(1).position(), Long.MAX_VALUE - 7));
      assertThat(f.pendingEvents())
          .as("acknowledging twice or an unknown position changes nothing")
          .containsExactly(pending.get(0), pending.get(2));
      f.store.acknowledgeEvents(List.of(pending.get(0).position(), pending.get(2).position()));
      assertThat(f.pendingEvents()).isEmpty();
      f.usage(a, 3);
      assertThat(f.pendingEvents()).hasSize(1);
      assertThat(f.pendingEvents().get(0).position()).isGreaterThan(pending.get(2).position());
    }

    @Test
    void required_theOutboxCommitsAtomicallyWithItsWrite() throws Exception {
      List<AccountId> accounts = List.of(f.open("a"), f.open("b"));
      for (AccountId id : accounts) {
        f.grant(id, 20_000);
      }
      CountDownLatch writersDone = new CountDownLatch(concurrentThreads());
      List<String> dangling = new java.util.concurrent.CopyOnWriteArrayList<>();
      AtomicInteger turns = new AtomicInteger();
      race(
          concurrentThreads() + 1,
          () -> {
            int me = turns.getAndIncrement();
            if (me == 0) {
              // A relay polling while others write sees no event of a write that is not there.
              while (writersDone.getCount() > 0) {
                for (BillingEvent e : f.pendingEventsOnly()) {
                  TransactionId t = TckFixture.transactionOf(e).orElseThrow();
                  if (f.store.findTransaction(f.tenant, t).isEmpty()) {
                    dangling.add(e.id());
                  }
                }
              }
              return null;
            }
            try {
              for (int i = 0; i < writesPerThread() / 5; i++) {
                try {
                  f.usage(accounts.get((me + i) % 2), 23);
                } catch (InsufficientCreditException expected) {
                  // drained
                }
              }
            } finally {
              writersDone.countDown();
            }
            return null;
          });
      assertThat(dangling).as("events visible before (or without) their write").isEmpty();
      Set<TransactionId> charged = new HashSet<>();
      for (AccountId id : accounts) {
        for (LedgerTransaction t : f.store.transactions(f.tenant, id)) {
          if (t.type() == TransactionType.USAGE_DEBIT) {
            charged.add(t.id());
          }
        }
      }
      List<TransactionId> announced =
          f.pendingEventsOnly().stream()
              .filter(ChargePosted.class::isInstance)
              .map(e -> ((ChargePosted) e).transaction())
              .toList();
      assertThat(announced).as("one event per committed charge").doesNotHaveDuplicates();
      assertThat(Set.copyOf(announced)).isEqualTo(charged);
    }

    @Test
    void required_concurrentDebitsCrossingTheThresholdFireExactlyOneAlert() throws Exception {
      AccountId a = f.open("acct");
      f.grant(a, 10_000);
      LowBalanceAlert alert = LowBalanceAlert.below(credits(5_000));
      f.credits().configureLowBalanceAlert(f.tenant, a, Optional.of(alert), TckFixture.ADMIN);
      race(
          concurrentThreads(),
          () -> {
            for (int i = 0; i < 40; i++) {
              f.usage(a, 25);
            }
            return null;
          });
      assertThat(countOf(BalanceBelowThreshold.class, a)).as("one alert per crossing").isEqualTo(1);
      AccountSnapshot s = f.store.loadAccount(f.tenant, a).orElseThrow();
      assertThat(s.alert()).contains(new AlertState(alert, true));
      BalanceBelowThreshold fired =
          (BalanceBelowThreshold)
              f.pendingEventsOnly().stream()
                  .filter(BalanceBelowThreshold.class::isInstance)
                  .findFirst()
                  .orElseThrow();
      LedgerTransaction crossing =
          f.store.findTransaction(f.tenant, fired.transaction()).orElseThrow();
      assertThat(fired.balance().compareTo(credits(5_000))).isNegative();
      assertThat(crossing.type()).isEqualTo(TransactionType.USAGE_DEBIT);
      f.grant(a, 4_000);
      assertThat(countOf(dev.billingsdk.event.BalanceRecovered.class, a)).isEqualTo(1);
      assertThat(f.store.loadAccount(f.tenant, a).orElseThrow().alert())
          .contains(new AlertState(alert, false));
      f.usage(a, 1_500);
      f.usage(a, 100);
      assertThat(countOf(BalanceBelowThreshold.class, a))
          .as("re-armed, then fired once more")
          .isEqualTo(2);
    }

    @Test
    void required_anAlertChangesOnlyAtTheVersionItWasDecidedOn() {
      AccountId a = f.open("acct");
      GrantResult g = f.grant(a, 1_000);
      AlertState armed = new AlertState(LowBalanceAlert.below(credits(300)), false);
      long stale = f.version(a);
      f.usage(a, 1);
      StoreState before = f.state(a);
      assertThat(f.store.updateAlert(f.tenant, a, Optional.of(armed), stale)).isFalse();
      assertThat(f.state(a)).as("a stale alert update changes nothing").isEqualTo(before);
      long v = f.version(a);
      assertThat(f.store.updateAlert(f.tenant, a, Optional.of(armed), v)).isTrue();
      assertThat(f.version(a)).isEqualTo(v + 1);
      assertThat(f.store.loadAccount(f.tenant, a).orElseThrow().alert()).contains(armed);
      AlertState fired = new AlertState(armed.alert(), true);
      StoreState armedState = f.state(a);
      LedgerTransaction late = f.rawDebit(a, g, 800, f.nextKey());
      assertThat(f.store.commit(LedgerWrite.of(late, v).withAlert(fired)))
          .isInstanceOf(CommitResult.VersionConflict.class);
      assertThat(f.state(a)).isEqualTo(armedState);
      LedgerTransaction t = f.rawDebit(a, g, 800, f.nextKey());
      assertThat(f.store.commit(LedgerWrite.of(t, f.version(a)).withAlert(fired)))
          .isInstanceOf(CommitResult.Committed.class);
      assertThat(f.store.loadAccount(f.tenant, a).orElseThrow().alert())
          .as("the alert state a write carries is kept with it")
          .contains(fired);
      assertThat(f.store.updateAlert(f.tenant, a, Optional.empty(), f.version(a))).isTrue();
      assertThat(f.store.loadAccount(f.tenant, a).orElseThrow().alert()).isEmpty();
      assertThatThrownBy(
              () -> f.store.updateAlert(f.tenant, AccountId.of("nobody"), Optional.of(armed), 0))
          .isInstanceOf(AccountNotFoundException.class);
    }
  }

  @Nested
  @DisplayName("History: newest first, filtered, and paged without loss or repeat")
  class History {
    private List<LedgerTransaction> newestFirst(AccountId a) {
      List<LedgerTransaction> all = new ArrayList<>(f.store.transactions(f.tenant, a));
      java.util.Collections.reverse(all);
      return all;
    }

    @Test
    void required_historyIsNewestFirstAndKeepsToTheLimit() {
      AccountId a = f.open("acct");
      AccountId b = f.open("other");
      f.grant(a, 1_000);
      f.grant(b, 1_000);
      for (int i = 0; i < 11; i++) {
        f.usage(i % 3 == 0 ? b : a, 1 + i);
      }
      List<LedgerTransaction> expected = newestFirst(a);
      TransactionFilter all = TransactionFilter.all();
      assertThat(f.store.history(f.tenant, a, all, Long.MAX_VALUE, 100)).isEqualTo(expected);
      assertThat(f.store.history(f.tenant, a, all, Long.MAX_VALUE, 3))
          .isEqualTo(expected.subList(0, 3));
      assertThat(f.store.history(f.tenant, a, all, Long.MAX_VALUE, 1))
          .isEqualTo(expected.subList(0, 1));
      assertThat(f.store.history(f.tenant, a, all, expected.get(2).sequence(), 2))
          .isEqualTo(expected.subList(3, 5));
      TckFixture other = new TckFixture(f.store);
      assertThat(f.store.history(other.tenant, a, all, Long.MAX_VALUE, 100)).isEmpty();
    }

    @Test
    void required_pagingByBeforeSequenceGivesEveryTransactionExactlyOnce() {
      AccountId a = f.open("acct");
      GrantResult g = f.grant(a, 10_000);
      for (int i = 0; i < 21; i++) {
        if (i % 5 == 0) {
          f.settle(f.reserve(a, 10).reservation().id(), 5);
        } else if (i % 7 == 0) {
          f.reverse(a, f.usage(a, 20).transaction().id(), 5);
        } else {
          f.usage(a, 1 + i);
        }
      }
      List<LedgerTransaction> expected = newestFirst(a);
      assertThat(expected.size()).isGreaterThan(25);
      List<LedgerTransaction> paged = new ArrayList<>();
      long before = Long.MAX_VALUE;
      while (true) {
        List<LedgerTransaction> page =
            f.store.history(f.tenant, a, TransactionFilter.all(), before, 4);
        assertThat(page.size()).isLessThanOrEqualTo(4);
        paged.addAll(page);
        if (page.size() < 4) {
          break;
        }
        before = page.get(3).sequence();
      }
      assertThat(paged).isEqualTo(expected);
      List<LedgerTransaction> viaCursor = new ArrayList<>();
      Optional<String> cursor = Optional.empty();
      do {
        TransactionPage page =
            f.billing.ledger().history(f.tenant, a, TransactionFilter.all(), cursor, 5);
        viaCursor.addAll(page.transactions());
        cursor = page.next();
      } while (cursor.isPresent());
      assertThat(viaCursor).isEqualTo(expected);
      assertThat(g.transaction()).isEqualTo(expected.get(expected.size() - 1));
    }

    @Test
    void required_historyFiltersByTypeAndTime() {
      AccountId a = f.open("acct");
      f.grant(a, 10_000);
      java.time.Instant from = TckFixture.START.plus(Duration.ofHours(1));
      java.time.Instant until = TckFixture.START.plus(Duration.ofHours(3));
      for (int hour = 0; hour < 5; hour++) {
        f.usage(a, 10);
        f.charge(a, ChargeKind.FIXED_FEE, "seat", 5);
        f.grant(a, 7);
        f.clock.advance(Duration.ofMinutes(30));
        f.usage(a, 3);
        f.clock.advance(Duration.ofMinutes(30));
      }
      List<LedgerTransaction> all = newestFirst(a);
      Set<TransactionType> types = Set.of(TransactionType.USAGE_DEBIT, TransactionType.CHARGE);
      List<LedgerTransaction> byType = all.stream().filter(t -> types.contains(t.type())).toList();
      List<LedgerTransaction> byTime =
          all.stream()
              .filter(t -> !t.recordedAt().isBefore(from) && t.recordedAt().isBefore(until))
              .toList();
      List<LedgerTransaction> both =
          byTime.stream().filter(t -> t.type() == TransactionType.USAGE_DEBIT).toList();
      assertThat(byType).isNotEmpty();
      assertThat(byTime).hasSize(8);
      TransactionFilter typeFilter =
          TransactionFilter.all().types(TransactionType.USAGE_DEBIT, TransactionType.CHARGE);
      assertThat(f.store.history(f.tenant, a, typeFilter, Long.MAX_VALUE, 1_000)).isEqualTo(byType);
      assertThat(
              f.store.history(
                  f.tenant, a, TransactionFilter.all().between(from, until), Long.MAX_VALUE, 1_000))
          .isEqualTo(byTime);
      TransactionFilter combined =
          TransactionFilter.all().types(TransactionType.USAGE_DEBIT).between(from, until);
      List<LedgerTransaction> paged = new ArrayList<>();
      long before = Long.MAX_VALUE;
      while (true) {
        List<LedgerTransaction> page = f.store.history(f.tenant, a, combined, before, 1);
        if (page.isEmpty()) {
          break;
        }
        assertThat(page).hasSize(1);
        paged.addAll(page);
        before = page.get(0).sequence();
      }
      assertThat(paged).as("a filtered history paged one by one").isEqualTo(both);
    }
  }
}
