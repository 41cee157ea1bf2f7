package dev.billingsdk.lifecycle;

import static dev.billingsdk.ledger.TransactionType.GRANT;
import static dev.billingsdk.ledger.TransactionType.HOLD;
import static dev.billingsdk.ledger.TransactionType.RELEASE;
import static dev.billingsdk.ledger.TransactionType.USAGE_DEBIT;
import static dev.billingsdk.ledger.TransactionType.VOID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.credit.Allocation;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeQuote;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantResult;
import dev.billingsdk.credit.InsufficientCreditException;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.credit.Reservation;
import dev.billingsdk.credit.ReservationId;
import dev.billingsdk.credit.ReservationNotActiveException;
import dev.billingsdk.credit.ReservationResult;
import dev.billingsdk.credit.ReservationState;
import dev.billingsdk.credit.Scope;
import dev.billingsdk.credit.SettlementResult;
import dev.billingsdk.credit.SweepItem;
import dev.billingsdk.credit.SweepResult;
import dev.billingsdk.credit.VoidResult;
import dev.billingsdk.ledger.IdempotencyConflictException;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.TransactionId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * An AI platform reserves credits before each LLM call, with a time-to-live, and settles the actual
 * cost when the call returns (or releases the hold when it fails). Told on an injected clock; after
 * every step the story checks the exact postings and balances and replays the ledger.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ReserveAndSettleStoryTest extends LifecycleStory {
  static final Duration THIRTY_SECONDS = Duration.ofSeconds(30);

  ExecutorService pool;

  @BeforeEach
  void the_ai_lab_on_an_in_memory_store_with_a_story_clock() {
    start();
  }

  @AfterEach
  void stop_the_threads() throws InterruptedException {
    if (pool != null) {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  // ------------------------------------------------------------------ holding

  @Test
  void reserved_credit_is_not_available_to_a_concurrent_charge() {
    openAccount(OverdraftPolicy.reject());
    GrantResult promo = grant(promo(1000).priority(10));
    GrantResult pack = grant(purchased(500).priority(20));
    assertBalances(1500, 1500, 0, 0);

    // The gateway reserves 800 for a long completion, for 30 seconds.
    ReservationResult hold = reserve(800, THIRTY_SECONDS);
    Reservation r = hold.reservation();
    assertThat(hold.replayed()).isFalse();
    assertThat(r.state()).isEqualTo(ReservationState.ACTIVE);
    assertThat(r.held()).isEqualTo(credits(800));
    assertThat(r.createdAt()).isEqualTo(T0);
    assertThat(r.expiresAt()).isEqualTo(T0.plus(THIRTY_SECONDS));
    assertThat(r.resolution()).isEmpty();
    assertThat(hold.allocations())
        .extracting(Allocation::grant, a -> a.amount().minor())
        .containsExactly(tuple(promo.grant().id(), 800L));
    assertThat(hold.fromOverdraft()).isEqualTo(credits(0));
    assertThat(hold.transaction().type()).isEqualTo(HOLD);
    assertThat(hold.transaction().actor()).isEqualTo(GATEWAY);
    assertThat(hold.transaction().references())
        .containsEntry("billing.reservation", r.id().value());
    assertThat(postingsOf(hold.transaction()))
        .containsExactly(tuple(on(promo), -800L), tuple("RESERVED", 800L));

    // The total still counts the held credit; what can be spent does not.
    var b = assertBalances(1500, 700, 800, 0);
    assertThat(b.available()).isEqualTo(b.total().minus(b.reserved()));
    assertThat(billing.reservations().active(ACME, LAB)).containsExactly(r);

    // Meanwhile another request of the same lab wants 900: only 700 can be spent.
    InsufficientCreditException refused =
        refused(InsufficientCreditException.class, () -> use(900));
    assertThat(refused.requested()).isEqualTo(credits(900));
    assertThat(refused.available()).isEqualTo(credits(700));
    assertBalances(1500, 700, 800, 0);

    // 700 it may have: the promotion's unheld 200 first, then the pack.
    ChargeResult other = use(700);
    assertThat(other.allocations())
        .extracting(Allocation::grant, a -> a.amount().minor())
        .containsExactly(tuple(promo.grant().id(), 200L), tuple(pack.grant().id(), 500L));
    assertBalances(800, 0, 800, 0);

    // The LLM call used all it reserved.
    SettlementResult settled = settle(hold, 800);
    assertThat(postingsOf(settled.transaction()))
        .containsExactly(tuple("RESERVED", -800L), tuple("CONSUMED", 800L));
    assertBalances(0, 0, 0, 0);
    assertLedger(GRANT, GRANT, HOLD, USAGE_DEBIT, USAGE_DEBIT);
  }

  @Test
  void many_threads_charging_while_credit_is_held_can_spend_only_what_is_not_held()
      throws Exception {
    openAccount(OverdraftPolicy.reject());
    grant(promo(1000));
    reserve(800, Duration.ofMinutes(5));
    assertBalances(1000, 200, 800, 0);

    pool = Executors.newFixedThreadPool(8);
    CyclicBarrier start = new CyclicBarrier(8);
    List<Future<Boolean>> charges = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String key = "concurrent-" + i;
      charges.add(
          pool.submit(
              () -> {
                start.await();
                try {
                  charge(key, Charge.usage(LLM, credits(100)));
                  return true;
                } catch (InsufficientCreditException e) {
                  return false;
                }
              }));
    }
    int paid = 0;
    for (Future<Boolean> f : charges) {
      paid += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
    }
    assertThat(paid).as("200 unheld credits pay for exactly two charges of 100").isEqualTo(2);
    assertBalances(800, 0, 800, 0);
  }

  // ------------------------------------------------------------------ settling

  @Test
  void settling_for_less_gives_the_rest_back_to_the_same_grants_last_taken_first() {
    openAccount(OverdraftPolicy.reject());
    Instant promoEnds = T0.plus(Duration.ofDays(30));
    GrantResult promo = grant(promo(300).priority(10).expiresAt(promoEnds));
    GrantResult pack = grant(purchased(500).priority(20));

    ReservationResult hold = reserve(600, THIRTY_SECONDS);
    assertThat(postingsOf(hold.transaction()))
        .containsExactly(tuple(on(promo), -300L), tuple(on(pack), -300L), tuple("RESERVED", 600L));
    assertBalances(800, 200, 600, 0);

    // Two seconds later the call returns: it cost 250.
    clock.advance(Duration.ofSeconds(2));
    SettlementResult settled = settle(hold, 250);
    assertThat(settled.replayed()).isFalse();
    assertThat(settled.held()).isEqualTo(credits(600));
    assertThat(settled.actual()).isEqualTo(credits(250));
    assertThat(settled.charged()).isEqualTo(credits(250));
    assertThat(settled.released()).isEqualTo(credits(350));
    assertThat(settled.shortfall()).isEqualTo(credits(0));
    assertThat(settled.reservation().state()).isEqualTo(ReservationState.SETTLED);
    assertThat(settled.reservation().resolution()).contains(settled.transaction().id());
    LedgerTransaction t = settled.transaction();
    assertThat(t.type()).isEqualTo(USAGE_DEBIT);
    assertThat(t.recordedAt()).isEqualTo(T0.plusSeconds(2));
    // The 350 not used goes back last taken first: the pack's 300, then 50 of the promotion.
    assertThat(postingsOf(t))
        .containsExactly(
            tuple("RESERVED", -600L),
            tuple(on(pack), 300L),
            tuple(on(promo), 50L),
            tuple("CONSUMED", 250L));
    assertThat(t.references())
        .containsEntry("billing.reservation", hold.reservation().id().value())
        .containsEntry("billing.itemCode", LLM)
        .containsEntry("billing.requested", "250");

    // The credit is back on the same grants, with their category, priority and expiry.
    GrantBalance promoNow = grantBalance(promo.grant().id());
    assertThat(promoNow.remaining()).isEqualTo(credits(50));
    assertThat(promoNow.grant()).isEqualTo(promo.grant());
    assertThat(promoNow.grant().expiresAt()).contains(promoEnds);
    assertThat(remainingOf(pack)).isEqualTo(500);
    assertThat(billing.reservations().find(ACME, hold.reservation().id()).state())
        .isEqualTo(ReservationState.SETTLED);
    assertBalances(550, 550, 0, 0);
    assertLedger(GRANT, GRANT, HOLD, USAGE_DEBIT);
  }

  @Test
  void settling_for_more_than_held_under_the_reject_policy_is_refused_and_the_hold_stays() {
    openAccount(OverdraftPolicy.reject());
    GrantResult promo = grant(promo(300));
    ReservationResult hold = reserve(200, THIRTY_SECONDS);
    use(50);
    assertBalances(250, 50, 200, 0);

    // The call cost 300: 100 more than held, but only 50 is left.
    InsufficientCreditException e =
        refused(InsufficientCreditException.class, () -> settle(hold, 300));
    assertThat(e.requested()).as("what went beyond the hold").isEqualTo(credits(100));
    assertThat(e.available()).isEqualTo(credits(50));
    Reservation still = billing.reservations().find(ACME, hold.reservation().id());
    assertThat(still.state()).isEqualTo(ReservationState.ACTIVE);
    assertThat(still.held()).isEqualTo(credits(200));
    assertBalances(250, 50, 200, 0);

    // Settled for 250 instead, the extra 50 comes from the promotion like any charge.
    SettlementResult settled = settle(hold, 250);
    assertThat(postingsOf(settled.transaction()))
        .containsExactly(tuple("RESERVED", -200L), tuple(on(promo), -50L), tuple("CONSUMED", 250L));
    assertThat(settled.charged()).isEqualTo(credits(250));
    assertThat(settled.released()).isEqualTo(credits(0));
    assertBalances(0, 0, 0, 0);
    assertLedger(GRANT, HOLD, USAGE_DEBIT, USAGE_DEBIT);
  }

  @Test
  void settling_for_more_under_an_overdraft_limit_owes_the_extra_down_to_the_limit() {
    openAccount(OverdraftPolicy.allowDownTo(credits(100)));
    GrantResult promo = grant(promo(300));
    ReservationResult hold = reserve(300, THIRTY_SECONDS);
    assertThat(postingsOf(hold.transaction()))
        .containsExactly(tuple(on(promo), -300L), tuple("RESERVED", 300L));
    assertBalances(300, 0, 300, 0);

    // 200 beyond the hold would owe past the limit of 100.
    InsufficientCreditException e =
        refused(InsufficientCreditException.class, () -> settle(hold, 500));
    assertThat(e.requested()).isEqualTo(credits(200));
    assertThat(e.available()).as("no grant, 100 of overdraft headroom").isEqualTo(credits(100));
    assertBalances(300, 0, 300, 0);

    SettlementResult settled = settle(hold, 350);
    assertThat(postingsOf(settled.transaction()))
        .containsExactly(
            tuple("RESERVED", -300L), tuple("OVERDRAFT", -50L), tuple("CONSUMED", 350L));
    assertThat(settled.charged()).isEqualTo(credits(350));
    assertThat(settled.shortfall()).isEqualTo(credits(0));
    assertBalances(-50, 0, 0, 50);
  }

  @Test
  void settling_for_more_under_the_partial_policy_charges_what_there_is_and_reports_the_rest() {
    openAccount(OverdraftPolicy.partial());
    GrantResult promo = grant(promo(300));
    ReservationResult hold = reserve(250, THIRTY_SECONDS);
    assertBalances(300, 50, 250, 0);

    SettlementResult settled = settle(hold, 420);
    assertThat(settled.actual()).isEqualTo(credits(420));
    assertThat(settled.charged()).isEqualTo(credits(300));
    assertThat(settled.shortfall()).isEqualTo(credits(120));
    assertThat(settled.released()).isEqualTo(credits(0));
    assertThat(postingsOf(settled.transaction()))
        .containsExactly(tuple("RESERVED", -250L), tuple(on(promo), -50L), tuple("CONSUMED", 300L));
    assertBalances(0, 0, 0, 0);
  }

  @Test
  void settling_for_exactly_what_was_held_consumes_the_hold() {
    openAccount(OverdraftPolicy.reject());
    grant(promo(300));
    ReservationResult hold = reserve(300, THIRTY_SECONDS);

    SettlementResult settled = settle(hold, 300);
    assertThat(settled.charged()).isEqualTo(credits(300));
    assertThat(settled.released()).isEqualTo(credits(0));
    assertThat(settled.shortfall()).isEqualTo(credits(0));
    assertThat(postingsOf(settled.transaction()))
        .containsExactly(tuple("RESERVED", -300L), tuple("CONSUMED", 300L));
    assertBalances(0, 0, 0, 0);
  }

  @Test
  void settling_twice_returns_the_first_settlement_and_a_different_amount_is_refused() {
    openAccount(OverdraftPolicy.reject());
    grant(promo(1000));
    ReservationResult hold = reserve(400, THIRTY_SECONDS);
    ReservationId id = hold.reservation().id();

    SettlementResult first = settle("call-7-settle", id, 300);
    assertThat(first.replayed()).isFalse();
    assertBalances(700, 700, 0, 0);

    // The gateway retries with the same key (its response was lost): the same settlement.
    SettlementResult sameKey = settle("call-7-settle", id, 300);
    assertThat(sameKey.replayed()).isTrue();
    assertThat(sameKey.transaction()).isEqualTo(first.transaction());
    assertThat(sameKey.charged()).isEqualTo(credits(300));
    assertThat(sameKey.released()).isEqualTo(credits(100));

    // A second worker settles the same call with its own key and the same amount: the first.
    SettlementResult newKey = settle("call-7-settle-again", id, 300);
    assertThat(newKey.replayed()).isTrue();
    assertThat(newKey.transaction()).isEqualTo(first.transaction());
    assertThat(newKey.charged()).isEqualTo(credits(300));

    // ...but with a different amount it is refused: the reservation is settled already.
    ReservationNotActiveException e =
        refused(ReservationNotActiveException.class, () -> settle("call-7-other", id, 350));
    assertThat(e.state()).isEqualTo(ReservationState.SETTLED);
    assertThat(e.reservation().resolution()).contains(first.transaction().id());
    assertThat(e)
        .hasMessage(
            "reservation "
                + id.value()
                + " is SETTLED (by "
                + first.transaction().id().value()
                + "): it was settled for CREDIT 300, not CREDIT 350");

    // The same key with a different amount is a key conflict, never a second write.
    refused(IdempotencyConflictException.class, () -> settle("call-7-settle", id, 350));

    assertBalances(700, 700, 0, 0);
    assertLedger(GRANT, HOLD, USAGE_DEBIT);
  }

  // ------------------------------------------------------------------ releasing

  @Test
  void releasing_gives_everything_back_last_taken_first_and_is_idempotent() {
    openAccount(OverdraftPolicy.reject());
    GrantResult promo = grant(promo(300).priority(10));
    GrantResult pack = grant(purchased(500).priority(20));
    ReservationResult hold = reserve(600, THIRTY_SECONDS);
    ReservationId id = hold.reservation().id();
    assertBalances(800, 200, 600, 0);

    // The LLM call failed: nothing was used.
    ReservationResult released = release("call-8-release", id);
    assertThat(released.replayed()).isFalse();
    assertThat(released.reservation().state()).isEqualTo(ReservationState.RELEASED);
    assertThat(released.reservation().resolution()).contains(released.transaction().id());
    assertThat(released.transaction().type()).isEqualTo(RELEASE);
    assertThat(released.transaction().effectiveAt()).isEqualTo(clock.instant());
    assertThat(postingsOf(released.transaction()))
        .containsExactly(tuple("RESERVED", -600L), tuple(on(pack), 300L), tuple(on(promo), 300L));
    assertBalances(800, 800, 0, 0);

    // Same key again, and another key: the first release, nothing new.
    ReservationResult again = release("call-8-release", id);
    assertThat(again.replayed()).isTrue();
    assertThat(again.transaction()).isEqualTo(released.transaction());
    ReservationResult otherKey = release("call-8-release-retry", id);
    assertThat(otherKey.replayed()).isTrue();
    assertThat(otherKey.transaction()).isEqualTo(released.transaction());
    assertThat(otherKey.reservation().state()).isEqualTo(ReservationState.RELEASED);

    // A released reservation cannot be settled.
    ReservationNotActiveException e =
        refused(ReservationNotActiveException.class, () -> settle(hold, 100));
    assertThat(e.state()).isEqualTo(ReservationState.RELEASED);

    assertBalances(800, 800, 0, 0);
    assertLedger(GRANT, GRANT, HOLD, RELEASE);
  }

  @Test
  void a_settled_reservation_cannot_be_released() {
    openAccount(OverdraftPolicy.reject());
    grant(promo(500));
    ReservationResult hold = reserve(200, THIRTY_SECONDS);
    SettlementResult settled = settle(hold, 150);

    ReservationNotActiveException e =
        refused(ReservationNotActiveException.class, () -> release(hold));
    assertThat(e.state()).isEqualTo(ReservationState.SETTLED);
    assertThat(e.reservation().resolution()).contains(settled.transaction().id());
    assertBalances(350, 350, 0, 0);
    assertLedger(GRANT, HOLD, USAGE_DEBIT);
  }

  // ------------------------------------------------------------------ time-to-live

  @Test
  void a_time_to_live_past_the_last_instant_a_clock_can_show_is_refused_naming_the_field() {
    openAccount(OverdraftPolicy.reject());
    grant(promo(1000));

    for (Duration forever :
        List.of(Duration.ofDays(10_000_000_000_000L), Duration.ofSeconds(Long.MAX_VALUE))) {
      InvalidRequestException e =
          refused(InvalidRequestException.class, () -> reserve(100, forever));
      assertThat(e.field()).isEqualTo("timeToLive");
      assertThat(e.value()).isEqualTo(forever.toString());
    }
    assertBalances(1000, 1000, 0, 0);
    assertLedger(GRANT);
  }

  @Test
  void reserving_again_with_the_same_key_returns_the_first_hold() {
    openAccount(OverdraftPolicy.reject());
    GrantResult promo = grant(promo(1000));
    ReservationResult first = reserve("call-9-hold", 300, THIRTY_SECONDS);
    ReservationResult again = reserve("call-9-hold", 300, THIRTY_SECONDS);
    assertThat(again.replayed()).isTrue();
    assertThat(again.reservation()).isEqualTo(first.reservation());
    assertThat(again.transaction()).isEqualTo(first.transaction());
    assertThat(again.allocations())
        .extracting(Allocation::grant, a -> a.amount().minor())
        .containsExactly(tuple(promo.grant().id(), 300L));
    refused(IdempotencyConflictException.class, () -> reserve("call-9-hold", 301, THIRTY_SECONDS));
    assertBalances(1000, 700, 300, 0);
    assertLedger(GRANT, HOLD);
  }

  @Test
  void a_quote_sees_what_a_charge_would_see_before_and_after_a_hold_passes_its_ttl() {
    openAccount(OverdraftPolicy.reject());
    GrantResult promo = grant(promo(100));
    reserve(80, Duration.ofSeconds(10));
    Charge fifty = Charge.usage(LLM, credits(50));

    // While the hold lives, only 20 is available: the quote says the charge would be refused.
    ChargeQuote held = billing.credits().quote(ACME, LAB, fifty);
    assertThat(held.wouldBeRejected()).isTrue();
    assertThat(held.shortfall()).isEqualTo(credits(30));
    refused(InsufficientCreditException.class, () -> use(50));

    // Once its time-to-live has passed, the charge would release it first and be paid: the quote
    // must say so too (it reads the account, which releases the hold, as a balance read does).
    clock.advance(Duration.ofSeconds(11));
    ChargeQuote after = billing.credits().quote(ACME, LAB, fifty);
    assertThat(after.wouldBeRejected()).isFalse();
    assertThat(after.shortfall()).isEqualTo(credits(0));
    assertThat(after.allocations())
        .extracting(Allocation::grant, a -> a.amount().minor())
        .containsExactly(tuple(promo.grant().id(), 50L));
    assertThat(after.balanceAfter()).isEqualTo(credits(50));
    ChargeResult charged = use(50);
    assertThat(charged.allocations()).isEqualTo(after.allocations());
    assertBalances(50, 50, 0, 0);
    assertLedger(GRANT, HOLD, RELEASE, USAGE_DEBIT);
  }

  @Test
  void a_reservation_past_its_time_to_live_is_released_by_the_next_read() {
    openAccount(OverdraftPolicy.reject());
    GrantResult promo = grant(promo(1000));
    ReservationResult hold = reserve(400, THIRTY_SECONDS);
    ReservationId id = hold.reservation().id();

    clock.advance(Duration.ofSeconds(29));
    assertBalances(1000, 600, 400, 0);
    assertLedger(GRANT, HOLD);

    // The gateway crashed and never settled. 45 seconds in, nothing has written yet...
    clock.advance(Duration.ofSeconds(16));
    assertThat(stored(id).state()).isEqualTo(ReservationState.ACTIVE);
    assertLedger(GRANT, HOLD);

    // ...and reading the balance releases it, effective at its expiry instant.
    assertBalances(1000, 1000, 0, 0);
    assertLedger(GRANT, HOLD, RELEASE);
    LedgerTransaction expiry = ledger().get(2);
    assertThat(expiry.recordedAt()).isEqualTo(T0.plusSeconds(45));
    assertThat(expiry.effectiveAt()).isEqualTo(T0.plusSeconds(30));
    assertThat(expiry.actor().id()).isEqualTo("billing-reservation-expiry");
    assertThat(expiry.reason()).isEqualTo("reservation passed its time-to-live");
    assertThat(postingsOf(expiry))
        .containsExactly(tuple("RESERVED", -400L), tuple(on(promo), 400L));

    Reservation found = billing.reservations().find(ACME, id);
    assertThat(found.state()).isEqualTo(ReservationState.EXPIRED);
    assertThat(found.resolution()).contains(expiry.id());
    assertThat(billing.reservations().active(ACME, LAB)).isEmpty();

    // The late settlement is refused; a late release answers with the expiry.
    ReservationNotActiveException e =
        refused(ReservationNotActiveException.class, () -> settle(hold, 400));
    assertThat(e.state()).isEqualTo(ReservationState.EXPIRED);
    ReservationResult lateRelease = release(hold);
    assertThat(lateRelease.replayed()).isTrue();
    assertThat(lateRelease.transaction()).isEqualTo(expiry);
    assertThat(lateRelease.reservation().state()).isEqualTo(ReservationState.EXPIRED);

    assertBalances(1000, 1000, 0, 0);
    assertLedger(GRANT, HOLD, RELEASE);
  }

  @Test
  void the_time_to_live_is_exclusive_a_settlement_at_the_expiry_instant_is_too_late() {
    openAccount(OverdraftPolicy.reject());
    grant(promo(1000));
    ReservationResult hold = reserve(400, THIRTY_SECONDS);

    clock.set(hold.reservation().expiresAt().minusNanos(1_000));
    assertBalances(1000, 600, 400, 0);

    clock.set(hold.reservation().expiresAt());
    // Settling expires the reservation first (that write stands), then refuses.
    ReservationNotActiveException e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            ReservationNotActiveException.class, () -> settle(hold, 400));
    assertThat(e).isNotNull();
    assertThat(e.state()).isEqualTo(ReservationState.EXPIRED);
    assertLedger(GRANT, HOLD, RELEASE);
    assertThat(ledger().get(2).effectiveAt()).isEqualTo(hold.reservation().expiresAt());
    assertBalances(1000, 1000, 0, 0);
  }

  @Test
  void the_reservation_sweep_expires_each_reservation_exactly_once_and_a_dry_run_writes_nothing() {
    openAccount(OverdraftPolicy.reject());
    GrantResult promo = grant(promo(1000));
    ReservationResult shortCall = reserve(100, Duration.ofSeconds(10));
    ReservationResult longCall = reserve(200, Duration.ofSeconds(60));
    clock.advance(Duration.ofSeconds(20));

    // Dry run: what would be posted, without writing.
    List<LedgerTransaction> before = ledger();
    SweepResult dry = billing.sweeps().expireReservations(ACME, SWEEPER, true);
    assertThat(dry.dryRun()).isTrue();
    assertThat(dry.at()).isEqualTo(clock.instant());
    assertThat(dry.items())
        .extracting(
            SweepItem::account, SweepItem::subject, SweepItem::amount, SweepItem::effectiveAt)
        .containsExactly(
            tuple(LAB, shortCall.reservation().id().value(), credits(100), T0.plusSeconds(10)));
    assertThat(postingsOf(dry.items().get(0).transaction()))
        .containsExactly(tuple("RESERVED", -100L), tuple(on(promo), 100L));
    assertThat(ledger()).isEqualTo(before);
    assertThat(stored(shortCall.reservation().id()).state()).isEqualTo(ReservationState.ACTIVE);
    assertThat(memory.loadAccount(ACME, LAB).orElseThrow().reserved()).isEqualTo(credits(300));

    // The real sweep posts exactly what the dry run showed.
    SweepResult swept = billing.sweeps().expireReservations(ACME, SWEEPER, false);
    assertThat(swept.dryRun()).isFalse();
    assertThat(swept.items())
        .extracting(
            SweepItem::account, SweepItem::subject, SweepItem::amount, SweepItem::effectiveAt)
        .containsExactly(
            tuple(LAB, shortCall.reservation().id().value(), credits(100), T0.plusSeconds(10)));
    LedgerTransaction expiry = swept.items().get(0).transaction();
    assertThat(expiry.type()).isEqualTo(RELEASE);
    assertThat(expiry.actor()).isEqualTo(SWEEPER);
    assertThat(postingsOf(expiry))
        .containsExactly(tuple("RESERVED", -100L), tuple(on(promo), 100L));
    assertThat(stored(shortCall.reservation().id()).state()).isEqualTo(ReservationState.EXPIRED);
    assertThat(stored(longCall.reservation().id()).state()).isEqualTo(ReservationState.ACTIVE);
    assertLedger(GRANT, HOLD, HOLD, RELEASE);

    // Run again: nothing is left to expire, nothing is posted.
    SweepResult again = billing.sweeps().expireReservations(ACME, SWEEPER, false);
    assertThat(again.items()).isEmpty();
    assertLedger(GRANT, HOLD, HOLD, RELEASE);
    assertBalances(1000, 800, 200, 0);
  }

  // ------------------------------------------------------------------ grants that end while held

  @Test
  void a_grant_that_expires_while_its_credit_is_held_expires_the_moment_the_credit_comes_back() {
    openAccount(OverdraftPolicy.reject());
    Instant inAnHour = T0.plus(Duration.ofHours(1));
    GrantResult promo = grant(promo(500).priority(10).expiresAt(inAnHour));
    GrantResult pack = grant(purchased(300).priority(20));
    ReservationResult hold = reserve(600, Duration.ofHours(2));
    assertThat(postingsOf(hold.transaction()))
        .containsExactly(tuple(on(promo), -500L), tuple(on(pack), -100L), tuple("RESERVED", 600L));
    assertBalances(800, 200, 600, 0);

    // The promotion ends while all of it is held: the grant sweep has nothing of it to expire.
    clock.set(inAnHour);
    assertThat(billing.sweeps().expireGrants(ACME, SWEEPER, false).items()).isEmpty();
    assertBalances(800, 200, 600, 0);

    // The call is cancelled: the pack gets its 100 back, the promotion its 500, which expire at
    // once, in the same RELEASE transaction.
    ReservationResult released = release(hold);
    assertThat(postingsOf(released.transaction()))
        .containsExactly(
            tuple("RESERVED", -600L),
            tuple(on(pack), 100L),
            tuple(on(promo), 500L),
            tuple(on(promo), -500L),
            tuple("EXPIRED", 500L));
    assertThat(remainingOf(promo)).isZero();
    assertBalances(300, 300, 0, 0);
    assertLedger(GRANT, GRANT, HOLD, RELEASE);
    assertThat(billing.sweeps().expireGrants(ACME, SWEEPER, false).items()).isEmpty();
    assertThat(replay().expired()).isEqualTo(500);
  }

  @Test
  void a_grant_voided_while_its_credit_is_held_has_the_released_credit_voided_at_once() {
    openAccount(OverdraftPolicy.reject());
    GrantResult promo = grant(promo(500).priority(10));
    grant(purchased(300).priority(20));
    ReservationResult hold = reserve(400, THIRTY_SECONDS);
    assertBalances(800, 400, 400, 0);

    // Finance voids the promotion: only its unheld 100 leaves now.
    VoidResult voided = voidGrant(promo);
    assertThat(voided.voided()).isEqualTo(credits(100));
    assertThat(postingsOf(voided.transaction()))
        .containsExactly(tuple(on(promo), -100L), tuple("VOIDED", 100L));
    assertBalances(700, 300, 400, 0);

    // The held 400 comes back to a void grant: voided at once, in the RELEASE.
    ReservationResult released = release(hold);
    assertThat(postingsOf(released.transaction()))
        .containsExactly(
            tuple("RESERVED", -400L),
            tuple(on(promo), 400L),
            tuple(on(promo), -400L),
            tuple("VOIDED", 400L));
    assertThat(grantBalance(promo.grant().id()).voided()).isTrue();
    assertBalances(300, 300, 0, 0);
    assertLedger(GRANT, GRANT, HOLD, VOID, RELEASE);
    assertThat(replay().voided()).isEqualTo(500);
  }

  @Test
  void a_hold_into_the_overdraft_released_after_the_debt_was_repaid_becomes_restored_credit() {
    openAccount(OverdraftPolicy.allowDownTo(credits(100)));
    GrantResult promo = grant(promo(50));
    ReservationResult hold = reserve(120, THIRTY_SECONDS);
    assertThat(hold.allocations())
        .extracting(Allocation::grant, a -> a.amount().minor())
        .containsExactly(tuple(promo.grant().id(), 50L));
    assertThat(hold.fromOverdraft()).isEqualTo(credits(70));
    assertThat(postingsOf(hold.transaction()))
        .containsExactly(tuple(on(promo), -50L), tuple("OVERDRAFT", -70L), tuple("RESERVED", 120L));
    assertBalances(50, 0, 120, 70);

    // A credit pack arrives and repays the 70 owed first.
    GrantResult pack = grant(purchased(200));
    assertThat(postingsOf(pack.transaction()))
        .containsExactly(
            tuple("ISSUED", -200L),
            tuple(on(pack), 200L),
            tuple(on(pack), -70L),
            tuple("OVERDRAFT", 70L));
    assertBalances(250, 130, 120, 0);

    // The call is cancelled. The 70 that came from the overdraft cannot reduce a debt that is
    // gone: it becomes restored credit (an ADJUSTMENT grant), so nothing is lost.
    ReservationResult released = release(hold);
    List<GrantBalance> restored =
        billing.credits().grants(ACME, LAB).stream()
            .filter(g -> !g.grant().id().equals(promo.grant().id()))
            .filter(g -> !g.grant().id().equals(pack.grant().id()))
            .toList();
    assertThat(restored).hasSize(1);
    GrantBalance r = restored.get(0);
    assertThat(r.grant().category()).isEqualTo(GrantCategory.ADJUSTMENT);
    assertThat(r.grant().name()).isEqualTo("Restored credit");
    assertThat(r.grant().amount()).isEqualTo(credits(70));
    assertThat(r.grant().expiresAt()).isEmpty();
    assertThat(r.grant().scope()).isEqualTo(Scope.everything());
    assertThat(r.grant().costBasis().isFree()).isTrue();
    assertThat(r.grant().createdBy()).isEqualTo(GATEWAY);
    assertThat(r.remaining()).isEqualTo(credits(70));
    assertThat(postingsOf(released.transaction()))
        .containsExactly(
            tuple("RESERVED", -120L), tuple(on(promo), 50L), tuple(on(r.grant().id()), 70L));
    assertBalances(250, 250, 0, 0);
    assertThat(replay().issued()).isEqualTo(250);
    assertThat(replay().consumed()).isZero();
  }

  // ------------------------------------------------------------------ the race at the boundary

  @Test
  void eight_settlers_and_a_sweep_racing_at_the_time_to_live_resolve_the_reservation_once()
      throws Exception {
    openAccount(OverdraftPolicy.reject());
    grant(promo(1_000_000));
    pool = Executors.newFixedThreadPool(9);
    int rounds = 40;
    int settledRounds = 0;
    for (int round = 0; round < rounds; round++) {
      ReservationResult hold = reserve(100, Duration.ofSeconds(1));
      ReservationId id = hold.reservation().id();
      Instant boundary = hold.reservation().expiresAt();
      clock.set(boundary.minusNanos(1_000));
      CyclicBarrier start = new CyclicBarrier(9);
      List<Future<Object>> settlers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String key = "round-" + round + "-settler-" + i;
        Callable<Object> settler =
            () -> {
              start.await();
              try {
                return settle(key, id, 60);
              } catch (ReservationNotActiveException e) {
                return e;
              }
            };
        settlers.add(pool.submit(settler));
      }
      Future<SweepResult> sweep =
          pool.submit(
              () -> {
                start.await();
                clock.set(boundary);
                return billing.sweeps().expireReservations(ACME, SWEEPER, false);
              });

      List<Object> outcomes = new ArrayList<>();
      for (Future<Object> f : settlers) {
        outcomes.add(f.get(30, TimeUnit.SECONDS));
      }
      SweepResult swept = sweep.get(30, TimeUnit.SECONDS);

      Reservation end = stored(id);
      List<LedgerTransaction> resolutions =
          ledger().stream()
              .filter(t -> id.value().equals(t.references().get("billing.reservation")))
              .filter(t -> t.type() != HOLD)
              .toList();
      assertThat(resolutions).as("round %s resolves once", round).hasSize(1);
      TransactionId resolution = resolutions.get(0).id();
      assertThat(end.resolution()).contains(resolution);
      if (end.state() == ReservationState.SETTLED) {
        settledRounds++;
        assertThat(resolutions.get(0).type()).isEqualTo(USAGE_DEBIT);
        assertThat(outcomes)
            .as("every settler gets the one settlement")
            .allSatisfy(
                o -> {
                  assertThat(o).isInstanceOf(SettlementResult.class);
                  assertThat(((SettlementResult) o).transaction().id()).isEqualTo(resolution);
                });
        assertThat(swept.items()).isEmpty();
      } else {
        assertThat(end.state()).isEqualTo(ReservationState.EXPIRED);
        assertThat(resolutions.get(0).type()).isEqualTo(RELEASE);
        assertThat(resolutions.get(0).effectiveAt()).isEqualTo(boundary);
        assertThat(outcomes)
            .as("every settler is told it expired")
            .allSatisfy(
                o -> {
                  assertThat(o).isInstanceOf(ReservationNotActiveException.class);
                  assertThat(((ReservationNotActiveException) o).state())
                      .isEqualTo(ReservationState.EXPIRED);
                });
        assertThat(swept.items()).hasSizeLessThanOrEqualTo(1);
        swept.items().forEach(i -> assertThat(i.transaction().id()).isEqualTo(resolution));
      }
      clock.advance(Duration.ofSeconds(1));
    }
    long consumed = 60L * settledRounds;
    assertBalances(1_000_000 - consumed, 1_000_000 - consumed, 0, 0);
    assertThat(replay().consumed()).isEqualTo(consumed);
    assertThat(ledger()).hasSize(1 + 2 * rounds);
  }
}
