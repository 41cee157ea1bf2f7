package dev.billingsdk.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.billingsdk.AccessDeniedException;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.Operation;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantResult;
import dev.billingsdk.credit.LowBalanceAlert;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.credit.ReservationResult;
import dev.billingsdk.credit.ReversalResult;
import dev.billingsdk.credit.SettlementResult;
import dev.billingsdk.credit.SweepResult;
import dev.billingsdk.credit.VoidResult;
import dev.billingsdk.event.BalanceBelowThreshold;
import dev.billingsdk.event.BalanceRecovered;
import dev.billingsdk.event.BillingEvent;
import dev.billingsdk.event.BillingEventListener;
import dev.billingsdk.event.ChargePosted;
import dev.billingsdk.event.DebitReversed;
import dev.billingsdk.event.GrantCreated;
import dev.billingsdk.event.GrantExpired;
import dev.billingsdk.event.GrantVoided;
import dev.billingsdk.event.ReservationCreated;
import dev.billingsdk.event.ReservationExpired;
import dev.billingsdk.event.ReservationReleased;
import dev.billingsdk.event.ReservationSettled;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.TransactionType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The host reacts to what happens in billing: listeners hear typed events after each write has
 * committed, a broken listener never breaks billing, a low-balance alert fires once per crossing
 * with hysteresis, and a relay delivers the outbox (written atomically with each change) at least
 * once.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EventsAndAlertsStoryTest extends LifecycleStory {

  /** A listener failure as the failure handler was told of it. */
  record Failure(BillingEventListener listener, BillingEvent event, Throwable failure) {}

  List<BillingEvent> outbox() {
    List<BillingEvent> delivered = new ArrayList<>();
    billing.outbox().deliver(delivered::add, 1000);
    return delivered;
  }

  <E extends BillingEvent> List<E> heard(Class<E> type) {
    synchronized (heard) {
      return heard.stream().filter(type::isInstance).map(type::cast).toList();
    }
  }

  // ------------------------------------------------------------------ typed events

  @Test
  void listeners_hear_a_typed_event_for_every_change_after_it_committed() {
    start();
    openAccount(OverdraftPolicy.reject());
    Instant tomorrow = T0.plus(Duration.ofDays(1));
    GrantResult promo = grant(promo(500).priority(10).expiresAt(tomorrow));
    GrantResult pack = grant(purchased(500).priority(20));
    ChargeResult charge = use(100);
    ReservationResult settledHold = reserve(200, Duration.ofSeconds(30));
    SettlementResult settled = settle(settledHold, 150);
    ReservationResult releasedHold = reserve(50, Duration.ofSeconds(30));
    ReservationResult released = release(releasedHold);
    ReservationResult forgottenHold = reserve(30, Duration.ofSeconds(10));
    clock.advance(Duration.ofSeconds(20));
    assertBalances(750, 750, 0, 0); // the read expires the forgotten hold
    ReversalResult reversal = reverse(charge.transaction().id(), 50);
    VoidResult voided = voidGrant(pack);
    clock.set(tomorrow.plus(Duration.ofHours(1)));
    SweepResult swept = billing.sweeps().expireGrants(ACME, SWEEPER, false);
    assertBalances(0, 0, 0, 0);

    assertThat(heard)
        .extracting(e -> e.getClass().getSimpleName())
        .containsExactly(
            "GrantCreated",
            "GrantCreated",
            "ChargePosted",
            "ReservationCreated",
            "ChargePosted",
            "ReservationSettled",
            "ReservationCreated",
            "ReservationReleased",
            "ReservationCreated",
            "ReservationExpired",
            "DebitReversed",
            "GrantVoided",
            "GrantExpired");
    assertThat(heard).allSatisfy(e -> assertThat(e.tenant()).isEqualTo(ACME));
    assertThat(heard).allSatisfy(e -> assertThat(e.account()).isEqualTo(LAB));
    assertThat(heard).extracting(BillingEvent::id).doesNotHaveDuplicates();

    GrantCreated created = heard(GrantCreated.class).get(0);
    assertThat(created.grant()).isEqualTo(promo.grant().id());
    assertThat(created.category()).isEqualTo(GrantCategory.PROMOTIONAL);
    assertThat(created.amount()).isEqualTo(credits(500));
    assertThat(created.transaction()).isEqualTo(promo.transaction().id());
    assertThat(created.occurredAt()).isEqualTo(T0);
    assertThat(created.id()).isEqualTo(promo.transaction().id().value() + "/grant-created");

    ChargePosted posted = heard(ChargePosted.class).get(0);
    assertThat(posted.transaction()).isEqualTo(charge.transaction().id());
    assertThat(posted.type()).isEqualTo(TransactionType.USAGE_DEBIT);
    assertThat(posted.kind()).isEqualTo(ChargeKind.USAGE);
    assertThat(posted.itemCode()).isEqualTo(LLM);
    assertThat(posted.requested()).isEqualTo(credits(100));
    assertThat(posted.charged()).isEqualTo(credits(100));

    ReservationCreated reserved = heard(ReservationCreated.class).get(0);
    assertThat(reserved.reservation()).isEqualTo(settledHold.reservation().id());
    assertThat(reserved.held()).isEqualTo(credits(200));
    assertThat(reserved.expiresAt()).isEqualTo(T0.plusSeconds(30));
    assertThat(reserved.transaction()).isEqualTo(settledHold.transaction().id());

    ChargePosted settlementPosted = heard(ChargePosted.class).get(1);
    assertThat(settlementPosted.transaction()).isEqualTo(settled.transaction().id());
    assertThat(settlementPosted.charged()).isEqualTo(credits(150));
    ReservationSettled settledEvent = heard(ReservationSettled.class).get(0);
    assertThat(settledEvent.held()).isEqualTo(credits(200));
    assertThat(settledEvent.settled()).isEqualTo(credits(150));
    assertThat(settledEvent.transaction()).isEqualTo(settled.transaction().id());

    ReservationReleased releasedEvent = heard(ReservationReleased.class).get(0);
    assertThat(releasedEvent.reservation()).isEqualTo(releasedHold.reservation().id());
    assertThat(releasedEvent.released()).isEqualTo(credits(50));
    assertThat(releasedEvent.transaction()).isEqualTo(released.transaction().id());

    ReservationExpired expiredEvent = heard(ReservationExpired.class).get(0);
    assertThat(expiredEvent.reservation()).isEqualTo(forgottenHold.reservation().id());
    assertThat(expiredEvent.released()).isEqualTo(credits(30));
    assertThat(expiredEvent.expiredAt()).isEqualTo(T0.plusSeconds(10));
    assertThat(expiredEvent.occurredAt()).isEqualTo(T0.plusSeconds(20));

    DebitReversed reversed = heard(DebitReversed.class).get(0);
    assertThat(reversed.reversal()).isEqualTo(reversal.transaction().id());
    assertThat(reversed.original()).isEqualTo(charge.transaction().id());
    assertThat(reversed.amount()).isEqualTo(credits(50));

    GrantVoided voidedEvent = heard(GrantVoided.class).get(0);
    assertThat(voidedEvent.grant()).isEqualTo(pack.grant().id());
    assertThat(voidedEvent.voided()).isEqualTo(credits(500));
    assertThat(voidedEvent.transaction()).isEqualTo(voided.transaction().id());

    GrantExpired expiredGrant = heard(GrantExpired.class).get(0);
    assertThat(expiredGrant.grant()).isEqualTo(promo.grant().id());
    assertThat(expiredGrant.expired()).isEqualTo(credits(300));
    assertThat(expiredGrant.expiredAt()).isEqualTo(tomorrow);
    assertThat(expiredGrant.transaction()).isEqualTo(swept.items().get(0).transaction().id());

    // Every event names a transaction that is in the ledger.
    List<String> ledgerIds = ledger().stream().map(t -> t.id().value()).toList();
    assertThat(heard)
        .allSatisfy(e -> assertThat(ledgerIds).contains(e.id().substring(0, e.id().indexOf('/'))));

    // The same events, in the same order, wait in the outbox.
    assertThat(outbox()).containsExactlyElementsOf(heard);
  }

  // ------------------------------------------------------------------ broken listeners

  @Test
  void a_listener_that_throws_does_not_break_or_roll_back_the_operation() {
    List<BillingEvent> later = Collections.synchronizedList(new ArrayList<>());
    List<Failure> failures = Collections.synchronizedList(new ArrayList<>());
    BillingEventListener broken =
        e -> {
          throw new IllegalStateException("the CRM webhook is down");
        };
    BillingEventListener assertive =
        e -> {
          throw new AssertionError("a listener's own bug");
        };
    start(
        builder ->
            builder
                .listener(broken)
                .listener(assertive)
                .listener(later::add)
                .listenerFailureHandler((l, e, f) -> failures.add(new Failure(l, e, f))),
        s -> s);
    openAccount(OverdraftPolicy.reject());
    grant(promo(500));

    ChargeResult charge = use(120);
    assertThat(charge.charged()).isEqualTo(credits(120));
    assertThat(billing.ledger().find(ACME, charge.transaction().id()))
        .contains(charge.transaction());
    assertBalances(380, 380, 0, 0);

    assertThat(later)
        .extracting(e -> e.getClass().getSimpleName())
        .containsExactly("GrantCreated", "ChargePosted");
    assertThat(heard).containsExactlyElementsOf(later);
    assertThat(failures).hasSize(4);
    assertThat(failures)
        .extracting(Failure::listener)
        .containsExactly(broken, assertive, broken, assertive);
    assertThat(failures)
        .extracting(Failure::event)
        .containsExactly(later.get(0), later.get(0), later.get(1), later.get(1));
    assertThat(failures.get(2).failure())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the CRM webhook is down");
    assertThat(failures.get(3).failure()).isInstanceOf(AssertionError.class);

    // The outbox has them regardless: a relay delivers what the listener missed.
    assertThat(outbox()).containsExactlyElementsOf(later);
  }

  @Test
  void a_failure_handler_that_throws_too_is_dropped_and_the_operation_still_returns() {
    start(
        builder ->
            builder
                .listener(
                    e -> {
                      throw new IllegalStateException("listener down");
                    })
                .listenerFailureHandler(
                    (l, e, f) -> {
                      throw new IllegalStateException("pager down too");
                    }),
        s -> s);
    openAccount(OverdraftPolicy.reject());
    GrantResult promo = grant(promo(500));
    assertThat(promo.grant().amount()).isEqualTo(credits(500));
    ReservationResult hold = reserve(100, Duration.ofMinutes(1));
    assertThat(settle(hold, 80).charged()).isEqualTo(credits(80));
    assertBalances(420, 420, 0, 0);
    assertThat(heard).hasSize(4);
  }

  // ------------------------------------------------------------------ low-balance alerts

  @Test
  void the_low_balance_alert_fires_once_per_crossing_and_rearms_only_at_the_rearm_level() {
    start();
    openAccount(OverdraftPolicy.reject());
    grant(promo(1000));
    billing
        .credits()
        .configureLowBalanceAlert(
            ACME, LAB, Optional.of(new LowBalanceAlert(credits(200), credits(500))), FINANCE);
    heard.clear();

    use(500); // 500 left
    use(250); // 250 left
    assertThat(heard(BalanceBelowThreshold.class)).isEmpty();

    // Down to 150: below 200, the alert fires, once.
    ChargeResult crossing = use(100);
    assertBalances(150, 150, 0, 0);
    assertThat(heard(BalanceBelowThreshold.class)).hasSize(1);
    BalanceBelowThreshold below = heard(BalanceBelowThreshold.class).get(0);
    assertThat(below.balance()).isEqualTo(credits(150));
    assertThat(below.threshold()).isEqualTo(credits(200));
    assertThat(below.transaction()).isEqualTo(crossing.transaction().id());
    assertThat(below.id())
        .isEqualTo(crossing.transaction().id().value() + "/balance-below-threshold");
    assertThat(below.occurredAt()).isEqualTo(clock.instant());

    // Further debits below the threshold do not fire again.
    use(50); // 100
    assertThat(heard(BalanceBelowThreshold.class)).hasSize(1);

    // A small top-up to 300 is above the threshold but below the re-arm level: no recovery...
    grant(purchased(200));
    assertThat(heard(BalanceRecovered.class)).isEmpty();
    // ...so dipping under 200 again does not fire (hysteresis).
    use(150); // 150
    assertThat(heard(BalanceBelowThreshold.class)).hasSize(1);

    // A real top-up to 550 reaches the re-arm level: recovered, armed again.
    GrantResult topUp = grant(purchased(400));
    assertThat(heard(BalanceRecovered.class)).hasSize(1);
    BalanceRecovered recovered = heard(BalanceRecovered.class).get(0);
    assertThat(recovered.balance()).isEqualTo(credits(550));
    assertThat(recovered.rearmAt()).isEqualTo(credits(500));
    assertThat(recovered.transaction()).isEqualTo(topUp.transaction().id());

    // The next crossing fires again; here a reservation takes the spendable balance down.
    ReservationResult hold = reserve(400, Duration.ofMinutes(1));
    assertThat(heard(BalanceBelowThreshold.class)).hasSize(2);
    BalanceBelowThreshold again = heard(BalanceBelowThreshold.class).get(1);
    assertThat(again.balance()).isEqualTo(credits(150));
    assertThat(again.transaction()).isEqualTo(hold.transaction().id());

    // Releasing brings it back to 550: recovered again.
    release(hold);
    assertThat(heard(BalanceRecovered.class)).hasSize(2);
    assertBalances(550, 550, 0, 0);

    // The alerts were written to the outbox with the transactions that caused them.
    List<BillingEvent> relayed = outbox();
    assertThat(relayed.stream().filter(e -> e instanceof BalanceBelowThreshold).toList())
        .containsExactlyElementsOf(heard(BalanceBelowThreshold.class));
    assertThat(relayed.stream().filter(e -> e instanceof BalanceRecovered).toList())
        .containsExactlyElementsOf(heard(BalanceRecovered.class));

    // Removing the alert silences it.
    billing.credits().configureLowBalanceAlert(ACME, LAB, Optional.empty(), FINANCE);
    use(500);
    assertThat(heard(BalanceBelowThreshold.class)).hasSize(2);
    assertBalances(50, 50, 0, 0);
  }

  @Test
  void only_admins_and_finance_configure_alerts() {
    start();
    openAccount(OverdraftPolicy.reject());
    AccessDeniedException denied =
        catchThrowableOfType(
            AccessDeniedException.class,
            () ->
                billing
                    .credits()
                    .configureLowBalanceAlert(
                        ACME, LAB, Optional.of(LowBalanceAlert.below(credits(10))), GATEWAY));
    assertThat(denied).isNotNull();
    assertThat(denied.operation()).isEqualTo(Operation.CONFIGURE_ALERTS);
    InvalidRequestException rearm =
        catchThrowableOfType(
            InvalidRequestException.class, () -> new LowBalanceAlert(credits(200), credits(100)));
    assertThat(rearm.field()).isEqualTo("rearmAt");
  }

  // ------------------------------------------------------------------ the outbox relay

  @Test
  void the_outbox_delivers_every_event_at_least_once_with_stable_ids() {
    start();
    openAccount(OverdraftPolicy.reject());
    grant(promo(1000));
    ChargeResult first = charge("charge-a", dev.billingsdk.credit.Charge.usage(LLM, credits(10)));
    charge("charge-b", dev.billingsdk.credit.Charge.usage(LLM, credits(20)));
    charge("charge-c", dev.billingsdk.credit.Charge.usage(LLM, credits(30)));
    // A retried request adds no event: the id of an event is the id of its change.
    ChargeResult retried = charge("charge-a", dev.billingsdk.credit.Charge.usage(LLM, credits(10)));
    assertThat(retried.replayed()).isTrue();
    assertThat(heard).hasSize(4);
    List<String> ids = heard.stream().map(BillingEvent::id).toList();
    assertThat(ids.get(1)).isEqualTo(first.transaction().id().value() + "/charge-posted");

    // The relay takes two, then the sink fails on the next one.
    List<BillingEvent> sent = new ArrayList<>();
    assertThat(billing.outbox().deliver(sent::add, 2)).isEqualTo(2);
    RuntimeException brokerDown = new IllegalStateException("broker unavailable");
    RuntimeException thrown =
        catchThrowableOfType(
            RuntimeException.class,
            () ->
                billing
                    .outbox()
                    .deliver(
                        e -> {
                          throw brokerDown;
                        },
                        10));
    assertThat(thrown).isSameAs(brokerDown);

    // Next time the failed event is offered again, then the rest; acknowledged ones never again.
    assertThat(billing.outbox().deliver(sent::add, 10)).isEqualTo(2);
    assertThat(sent).extracting(BillingEvent::id).containsExactlyElementsOf(ids);
    assertThat(sent).containsExactlyElementsOf(heard);
    assertThat(billing.outbox().deliver(sent::add, 10)).isZero();

    // A sink that fails half-way: what it took before failing is acknowledged, the rest waits.
    use(40);
    use(50);
    List<BillingEvent> partial = new ArrayList<>();
    catchThrowableOfType(
        IllegalStateException.class,
        () ->
            billing
                .outbox()
                .deliver(
                    e -> {
                      if (!partial.isEmpty()) {
                        throw new IllegalStateException("disk full");
                      }
                      partial.add(e);
                    },
                    10));
    assertThat(partial).hasSize(1);
    List<BillingEvent> rest = outbox();
    assertThat(rest).hasSize(1);
    assertThat(List.of(partial.get(0), rest.get(0))).containsExactlyElementsOf(heard.subList(4, 6));

    InvalidRequestException badMax =
        catchThrowableOfType(
            InvalidRequestException.class, () -> billing.outbox().deliver(e -> {}, 0));
    assertThat(badMax.field()).isEqualTo("max");
    List<LedgerTransaction> all = ledger();
    assertThat(all).hasSize(6);
  }
}
