package dev.billingsdk.lifecycle;

import static dev.billingsdk.ledger.TransactionType.GRANT;
import static dev.billingsdk.ledger.TransactionType.HOLD;
import static dev.billingsdk.ledger.TransactionType.REVERSAL;
import static dev.billingsdk.ledger.TransactionType.USAGE_DEBIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.billingsdk.AccountId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.credit.Allocation;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantResult;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.credit.ReservationResult;
import dev.billingsdk.credit.Restoration;
import dev.billingsdk.credit.ReversalLimitExceededException;
import dev.billingsdk.credit.ReversalResult;
import dev.billingsdk.credit.ReverseRequest;
import dev.billingsdk.credit.SettlementResult;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.TransactionId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * A usage debit drew from three grants (a partner allowance that ends with January, a promotion
 * that ends with February, a purchased pack that never ends). Support refunds part of it, then the
 * rest: every credit goes back to the grant it came from, last taken first, keeping the grant's
 * category, priority and expiry, and each REVERSAL names the debit it corrects.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ReversalLineageStoryTest extends LifecycleStory {
  static final Instant FEB_1 = Instant.parse("2025-02-01T00:00:00Z");
  static final Instant MAR_1 = Instant.parse("2025-03-01T00:00:00Z");

  GrantResult allowance;
  GrantResult promotion;
  GrantResult pack;
  ExecutorService pool;

  @BeforeEach
  void the_ai_lab_holds_three_kinds_of_credit() {
    start();
    openAccount(OverdraftPolicy.reject());
    allowance = grant(partner(200).priority(5).expiresAt(FEB_1));
    promotion = grant(promo(300).priority(20).expiresAt(MAR_1));
    pack = grant(purchased(1000).priority(20));
    assertBalances(1500, 1500, 0, 0);
  }

  @AfterEach
  void stop_the_threads() throws InterruptedException {
    if (pool != null) {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  /** 700 credits of gpt-4o: the allowance's 200, the promotion's 300, then 200 of the pack. */
  ChargeResult theBigDebit() {
    ChargeResult debit = use(700);
    assertThat(debit.allocations())
        .extracting(Allocation::grant, a -> a.amount().minor())
        .containsExactly(
            tuple(allowance.grant().id(), 200L),
            tuple(promotion.grant().id(), 300L),
            tuple(pack.grant().id(), 200L));
    assertThat(postingsOf(debit.transaction()))
        .containsExactly(
            tuple(on(allowance), -200L),
            tuple(on(promotion), -300L),
            tuple(on(pack), -200L),
            tuple("CONSUMED", 700L));
    assertThat(debit.transaction().references())
        .containsEntry(
            "billing.lineage",
            "200 GRANT "
                + allowance.grant().id().value()
                + "\n300 GRANT "
                + promotion.grant().id().value()
                + "\n200 GRANT "
                + pack.grant().id().value());
    assertBalances(800, 800, 0, 0);
    return debit;
  }

  static List<Tuple> restorations(ReversalResult r) {
    return r.restorations().stream()
        .map(
            x ->
                tuple(
                    x.grant().map(g -> on(g)).orElse("OVERDRAFT"),
                    x.restored().minor(),
                    x.expiredAtOnce().minor(),
                    x.voidedAtOnce().minor()))
        .toList();
  }

  @Test
  void a_partial_then_a_full_reversal_give_credit_back_to_the_exact_grants_last_taken_first() {
    TransactionId debit = theBigDebit().transaction().id();

    // An hour later support refunds 250 of it.
    clock.advance(Duration.ofHours(1));
    ReversalResult first = reverse("ticket-42-part", debit, 250);
    LedgerTransaction t = first.transaction();
    assertThat(first.replayed()).isFalse();
    assertThat(first.original()).isEqualTo(debit);
    assertThat(first.amount()).isEqualTo(credits(250));
    assertThat(first.remaining()).isEqualTo(credits(450));
    assertThat(t.type()).isEqualTo(REVERSAL);
    assertThat(t.corrects()).contains(debit);
    assertThat(t.actor()).isEqualTo(FINANCE);
    assertThat(t.reason()).isEqualTo("customer complaint: bad completion");
    assertThat(t.recordedAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
    // Last taken first: the pack's 200, then 50 of the promotion.
    assertThat(postingsOf(t))
        .containsExactly(
            tuple(on(pack), 200L), tuple(on(promotion), 50L), tuple("CONSUMED", -250L));
    assertThat(restorations(first))
        .containsExactly(tuple(on(pack), 200L, 0L, 0L), tuple(on(promotion), 50L, 0L, 0L));
    assertThat(remainingOf(allowance)).isZero();
    assertThat(remainingOf(promotion)).isEqualTo(50);
    assertThat(remainingOf(pack)).isEqualTo(1000);
    assertBalances(1050, 1050, 0, 0);

    // The credit is back on the very grants: same category, priority and expiry.
    GrantBalance promo = grantBalance(promotion.grant().id());
    assertThat(promo.grant()).isEqualTo(promotion.grant());
    assertThat(promo.grant().category()).isEqualTo(GrantCategory.PROMOTIONAL);
    assertThat(promo.grant().priority()).isEqualTo(20);
    assertThat(promo.grant().expiresAt()).contains(MAR_1);

    // The same request again (a retried HTTP call): the first reversal, as it was then.
    ReversalResult retried = reverse("ticket-42-part", debit, 250);
    assertThat(retried.replayed()).isTrue();
    assertThat(retried.transaction()).isEqualTo(t);
    assertThat(retried.amount()).isEqualTo(credits(250));
    assertThat(retried.remaining()).isEqualTo(credits(450));
    assertThat(restorations(retried)).isEqualTo(restorations(first));

    // Asking for more than is left is refused, naming the field and the value; nothing written.
    ReversalLimitExceededException tooMuch =
        refused(ReversalLimitExceededException.class, () -> reverse("ticket-42-more", debit, 500));
    assertThat(tooMuch.field()).isEqualTo("amount");
    assertThat(tooMuch.value()).isEqualTo("CREDIT 500");
    assertThat(tooMuch.original()).isEqualTo(debit);
    assertThat(tooMuch.reversible()).isEqualTo(credits(450));
    assertThat(billing.ledger().find(ACME, IdempotencyKey.of("ticket-42-more"))).isEmpty();
    assertBalances(1050, 1050, 0, 0);

    // The rest: the promotion's other 250, then the allowance's 200.
    ReversalResult rest = reverseAll(debit);
    assertThat(rest.amount()).isEqualTo(credits(450));
    assertThat(rest.remaining()).isEqualTo(credits(0));
    assertThat(rest.transaction().corrects()).contains(debit);
    assertThat(postingsOf(rest.transaction()))
        .containsExactly(
            tuple(on(promotion), 250L), tuple(on(allowance), 200L), tuple("CONSUMED", -450L));
    assertBalances(1500, 1500, 0, 0);
    assertThat(replay().consumed()).isZero();
    assertThat(grantBalance(allowance.grant().id()).grant()).isEqualTo(allowance.grant());

    // Nothing is left: any further reversal is refused.
    ReversalLimitExceededException oneMore =
        refused(ReversalLimitExceededException.class, () -> reverse(debit, 1));
    assertThat(oneMore.reversible()).isEqualTo(credits(0));
    InvalidRequestException nothingLeft =
        refused(InvalidRequestException.class, () -> reverseAll(debit));
    assertThat(nothingLeft.field()).isEqualTo("original");
    assertThat(nothingLeft.value()).isEqualTo(debit.toString());

    assertLedger(GRANT, GRANT, GRANT, USAGE_DEBIT, REVERSAL, REVERSAL);
    assertThat(
            billing.ledger().transactions(ACME, LAB).stream().filter(x -> x.corrects().isPresent()))
        .extracting(x -> x.corrects().orElseThrow())
        .containsExactly(debit, debit);
  }

  @Test
  void credit_given_back_to_a_grant_that_expired_meanwhile_expires_in_the_same_transaction() {
    TransactionId debit = theBigDebit().transaction().id();

    // The refund comes in February: the January allowance has ended.
    clock.set(FEB_1.plus(Duration.ofDays(1)));
    assertBalances(800, 800, 0, 0);

    ReversalResult all = reverseAll(debit);
    assertThat(postingsOf(all.transaction()))
        .containsExactly(
            tuple(on(pack), 200L),
            tuple(on(promotion), 300L),
            tuple(on(allowance), 200L),
            tuple(on(allowance), -200L),
            tuple("EXPIRED", 200L),
            tuple("CONSUMED", -700L));
    assertThat(restorations(all))
        .containsExactly(
            tuple(on(pack), 200L, 0L, 0L),
            tuple(on(promotion), 300L, 0L, 0L),
            tuple(on(allowance), 200L, 200L, 0L));
    assertThat(all.amount()).isEqualTo(credits(700));
    assertThat(remainingOf(allowance)).isZero();
    assertBalances(1300, 1300, 0, 0);
    assertThat(replay().expired()).isEqualTo(200);

    // The sweep finds nothing more of the allowance to expire.
    assertThat(billing.sweeps().expireGrants(ACME, SWEEPER, false).items()).isEmpty();
    assertLedger(GRANT, GRANT, GRANT, USAGE_DEBIT, REVERSAL);
  }

  @Test
  void only_usage_debits_and_charges_can_be_reversed() {
    TransactionId grantTx = pack.transaction().id();
    InvalidRequestException grant =
        refused(InvalidRequestException.class, () -> reverse(grantTx, 100));
    assertThat(grant.field()).isEqualTo("original");
    assertThat(grant.value()).isEqualTo(grantTx.toString());
    assertThat(grant).hasMessageContaining("is a GRANT transaction");

    ReservationResult hold = reserve(100, Duration.ofMinutes(1));
    InvalidRequestException holdReversal =
        refused(InvalidRequestException.class, () -> reverse(hold.transaction().id(), 100));
    assertThat(holdReversal.field()).isEqualTo("original");
    assertThat(holdReversal).hasMessageContaining("is a HOLD transaction");

    TransactionId debit = theBigDebitAfterTheHold();
    ReversalResult reversal = reverse(debit, 100);
    InvalidRequestException ofReversal =
        refused(InvalidRequestException.class, () -> reverse(reversal.transaction().id(), 100));
    assertThat(ofReversal).hasMessageContaining("is a REVERSAL transaction");

    // A transaction of another account is not this account's to reverse.
    AccountId other = AccountId.of("other-lab");
    billing
        .credits()
        .openAccount(OpenAccountRequest.builder(ACME, other, CREDIT).actor(FINANCE).build());
    InvalidRequestException notOurs =
        refused(
            InvalidRequestException.class,
            () ->
                billing
                    .credits()
                    .reverse(
                        ReverseRequest.builder(ACME, other, debit)
                            .idempotencyKey(IdempotencyKey.of("wrong-account"))
                            .actor(FINANCE)
                            .reason("x")
                            .build()));
    assertThat(notOurs.field()).isEqualTo("original");
    assertThat(notOurs).hasMessageContaining("is not a transaction of account other-lab");
  }

  private TransactionId theBigDebitAfterTheHold() {
    // 100 of the allowance is held, so the debit takes 100 + 300 + 300.
    ChargeResult debit = use(700);
    assertThat(debit.allocations())
        .extracting(Allocation::grant, a -> a.amount().minor())
        .containsExactly(
            tuple(allowance.grant().id(), 100L),
            tuple(promotion.grant().id(), 300L),
            tuple(pack.grant().id(), 300L));
    return debit.transaction().id();
  }

  @Test
  void concurrent_partial_reversals_never_give_back_more_than_the_debit_took() throws Exception {
    TransactionId debit = theBigDebit().transaction().id();
    pool = Executors.newFixedThreadPool(8);
    CyclicBarrier start = new CyclicBarrier(8);
    List<Future<Object>> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String key = "agent-" + i;
      long amount = 100 + 25L * i; // 100, 125, ... 275: 1500 asked for in all
      calls.add(
          pool.submit(
              () -> {
                start.await();
                try {
                  return reverse(key, debit, amount);
                } catch (ReversalLimitExceededException e) {
                  return e;
                }
              }));
    }
    long reversed = 0;
    for (Future<Object> f : calls) {
      Object outcome = f.get(30, TimeUnit.SECONDS);
      if (outcome instanceof ReversalResult r) {
        assertThat(r.transaction().corrects()).contains(debit);
        reversed += r.amount().minor();
      } else {
        ReversalLimitExceededException e = (ReversalLimitExceededException) outcome;
        assertThat(e.reversible().minor()).isLessThan(Long.parseLong(e.value().split(" ")[1]));
      }
    }
    assertThat(reversed).isPositive().isLessThanOrEqualTo(700);
    long fromLedger =
        ledger().stream()
            .filter(t -> t.type() == REVERSAL)
            .mapToLong(t -> -t.minorOn(LedgerAccount.counter(LedgerAccount.Kind.CONSUMED)))
            .sum();
    assertThat(fromLedger).isEqualTo(reversed);
    assertThat(replay().consumed()).isEqualTo(700 - reversed);
    assertBalances(800 + reversed, 800 + reversed, 0, 0);

    // Whatever is left can still be reversed, and then the grants are whole again.
    if (reversed < 700) {
      assertThat(reverseAll(debit).amount()).isEqualTo(credits(700 - reversed));
    }
    assertThat(remainingOf(allowance)).isEqualTo(200);
    assertThat(remainingOf(promotion)).isEqualTo(300);
    assertThat(remainingOf(pack)).isEqualTo(1000);
    assertBalances(1500, 1500, 0, 0);
  }

  @Test
  void a_settled_reservation_is_reversed_along_what_the_settlement_consumed() {
    ReservationResult hold = reserve(600, Duration.ofSeconds(30));
    assertThat(postingsOf(hold.transaction()))
        .containsExactly(
            tuple(on(allowance), -200L),
            tuple(on(promotion), -300L),
            tuple(on(pack), -100L),
            tuple("RESERVED", 600L));
    SettlementResult settled = settle(hold, 450);
    // Used: the allowance's 200 and 250 of the promotion; back: the pack's 100, 50 of the promo.
    assertThat(postingsOf(settled.transaction()))
        .containsExactly(
            tuple("RESERVED", -600L),
            tuple(on(pack), 100L),
            tuple(on(promotion), 50L),
            tuple("CONSUMED", 450L));
    assertBalances(1050, 1050, 0, 0);

    TransactionId settlement = settled.transaction().id();
    ReversalResult part = reverse(settlement, 300);
    assertThat(part.transaction().corrects()).contains(settlement);
    assertThat(postingsOf(part.transaction()))
        .containsExactly(
            tuple(on(promotion), 250L), tuple(on(allowance), 50L), tuple("CONSUMED", -300L));
    assertThat(part.remaining()).isEqualTo(credits(150));
    assertBalances(1350, 1350, 0, 0);

    ReversalLimitExceededException e =
        refused(ReversalLimitExceededException.class, () -> reverse(settlement, 151));
    assertThat(e.reversible()).isEqualTo(credits(150));

    reverseAll(settlement);
    assertBalances(1500, 1500, 0, 0);
    assertLedger(GRANT, GRANT, GRANT, HOLD, USAGE_DEBIT, REVERSAL, REVERSAL);
  }

  @Test
  void reversing_a_debit_that_went_into_the_overdraft_reduces_the_debt_first() {
    // Another lab, one that may owe up to 100.
    start();
    openAccount(OverdraftPolicy.allowDownTo(credits(100)));
    GrantResult small = grant(promo(100));
    ChargeResult debit = use(150);
    assertThat(debit.fromOverdraft()).isEqualTo(credits(50));
    assertThat(postingsOf(debit.transaction()))
        .containsExactly(
            tuple(on(small), -100L), tuple("OVERDRAFT", -50L), tuple("CONSUMED", 150L));
    assertBalances(-50, 0, 0, 50);

    // Reversing 80: the 50 that came from the overdraft last goes back first, repaying the debt.
    ReversalResult part = reverse(debit.transaction().id(), 80);
    assertThat(postingsOf(part.transaction()))
        .containsExactly(tuple("OVERDRAFT", 50L), tuple(on(small), 30L), tuple("CONSUMED", -80L));
    assertThat(part.restorations())
        .extracting(Restoration::grant, x -> x.restored().minor())
        .containsExactly(tuple(Optional.empty(), 50L), tuple(Optional.of(small.grant().id()), 30L));
    assertBalances(30, 30, 0, 0);

    reverseAll(debit.transaction().id());
    assertBalances(100, 100, 0, 0);
  }
}
