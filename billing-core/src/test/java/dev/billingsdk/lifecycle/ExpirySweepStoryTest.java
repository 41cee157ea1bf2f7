package dev.billingsdk.lifecycle;

import static dev.billingsdk.ledger.TransactionType.EXPIRY;
import static dev.billingsdk.ledger.TransactionType.GRANT;
import static dev.billingsdk.ledger.TransactionType.HOLD;
import static dev.billingsdk.ledger.TransactionType.RELEASE;
import static dev.billingsdk.ledger.TransactionType.USAGE_DEBIT;
import static dev.billingsdk.ledger.TransactionType.VOID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.credit.Allocation;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.GrantResult;
import dev.billingsdk.credit.InsufficientCreditException;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.credit.ReservationResult;
import dev.billingsdk.credit.SweepItem;
import dev.billingsdk.credit.SweepResult;
import dev.billingsdk.credit.VoidResult;
import dev.billingsdk.ledger.LedgerTransaction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Grants end at their expiry instant, and the nightly sweep makes that durable: one EXPIRY per
 * grant's unused remainder, effective at the instant the grant ended, exactly once however often
 * (or however interrupted) the sweep runs. Voids take a grant's unused remainder away at once.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ExpirySweepStoryTest extends LifecycleStory {
  static final Instant DAY_10 = T0.plus(Duration.ofDays(10));
  static final Instant DAY_20 = T0.plus(Duration.ofDays(20));

  @BeforeEach
  void the_ai_lab_on_an_in_memory_store_with_a_story_clock() {
    start();
  }

  SweepResult sweep(boolean dryRun) {
    SweepResult result = billing.sweeps().expireGrants(ACME, SWEEPER, dryRun);
    assertThat(result.dryRun()).isEqualTo(dryRun);
    assertThat(result.at()).isEqualTo(clock.instant());
    return result;
  }

  static List<Tuple> itemsOf(SweepResult result) {
    return result.items().stream()
        .map(i -> tuple(i.account(), i.subject(), i.amount().minor(), i.effectiveAt()))
        .toList();
  }

  long expiriesOf(GrantResult grant) {
    return ledger().stream()
        .filter(t -> t.type() == EXPIRY)
        .filter(t -> grant.grant().id().value().equals(t.references().get("billing.grant")))
        .count();
  }

  @Test
  void grants_stop_paying_at_their_expiry_instant_and_the_sweep_makes_it_durable_exactly_once() {
    openAccount(OverdraftPolicy.reject());
    GrantResult promo = grant(promo(300).priority(10).expiresAt(DAY_10));
    GrantResult allowance = grant(partner(200).priority(10).expiresAt(DAY_20));
    GrantResult pack = grant(purchased(500).priority(20));

    // The sooner-ending promotion pays first.
    ChargeResult early = use(100);
    assertThat(early.allocations())
        .extracting(Allocation::grant, a -> a.amount().minor())
        .containsExactly(tuple(promo.grant().id(), 100L));
    assertBalances(900, 900, 0, 0);

    // A nanosecond before day 10 the promotion still pays; at day 10 it no longer does. Its
    // remainder stays in the total until the sweep posts the expiry.
    clock.set(DAY_10.minusNanos(1_000));
    assertBalances(900, 900, 0, 0);
    clock.set(DAY_10);
    assertBalances(900, 700, 0, 0);
    InsufficientCreditException e = refused(InsufficientCreditException.class, () -> use(750));
    assertThat(e.available()).isEqualTo(credits(700));

    // Day 25: the allowance has ended too. The dry run shows both expiries and writes nothing.
    clock.set(T0.plus(Duration.ofDays(25)));
    assertBalances(900, 500, 0, 0);
    List<LedgerTransaction> before = ledger();
    List<GrantBalance> grantsBefore = billing.credits().grants(ACME, LAB);
    SweepResult dry = sweep(true);
    assertThat(itemsOf(dry))
        .containsExactly(
            tuple(LAB, promo.grant().id().value(), 200L, DAY_10),
            tuple(LAB, allowance.grant().id().value(), 200L, DAY_20));
    assertThat(postingsOf(dry.items().get(0).transaction()))
        .containsExactly(tuple(on(promo), -200L), tuple("EXPIRED", 200L));
    assertThat(ledger()).isEqualTo(before);
    assertThat(billing.credits().grants(ACME, LAB)).isEqualTo(grantsBefore);
    assertBalances(900, 500, 0, 0);

    // The real sweep posts exactly those, effective when each grant ended.
    SweepResult swept = sweep(false);
    assertThat(itemsOf(swept)).isEqualTo(itemsOf(dry));
    for (SweepItem item : swept.items()) {
      LedgerTransaction t = item.transaction();
      assertThat(t.type()).isEqualTo(EXPIRY);
      assertThat(t.effectiveAt()).isEqualTo(item.effectiveAt());
      assertThat(t.recordedAt()).isEqualTo(clock.instant());
      assertThat(t.actor()).isEqualTo(SWEEPER);
      assertThat(t.reason()).isEqualTo("grant expired");
      assertThat(t.references()).containsEntry("billing.grant", item.subject());
      assertThat(t.idempotencyKey())
          .isEqualTo(IdempotencyKey.of("billing:grant-expiry:" + item.subject()));
    }
    assertThat(postingsOf(swept.items().get(1).transaction()))
        .containsExactly(tuple(on(allowance), -200L), tuple("EXPIRED", 200L));
    assertThat(remainingOf(promo)).isZero();
    assertThat(remainingOf(allowance)).isZero();
    assertThat(remainingOf(pack)).isEqualTo(500);
    assertBalances(500, 500, 0, 0);
    assertThat(replay().expired()).isEqualTo(400);
    assertLedger(GRANT, GRANT, GRANT, USAGE_DEBIT, EXPIRY, EXPIRY);

    // Run again (the cron fired twice): nothing to post, and a dry run agrees.
    assertThat(sweep(false).items()).isEmpty();
    assertThat(sweep(true).items()).isEmpty();
    assertLedger(GRANT, GRANT, GRANT, USAGE_DEBIT, EXPIRY, EXPIRY);
    assertThat(expiriesOf(promo)).isEqualTo(1);
    assertThat(expiriesOf(allowance)).isEqualTo(1);
    assertBalances(500, 500, 0, 0);
  }

  @Test
  void voided_and_fully_spent_grants_are_not_swept() {
    openAccount(OverdraftPolicy.reject());
    GrantResult spent = grant(promo(300).priority(10).expiresAt(DAY_10));
    GrantResult voided = grant(promo(200).priority(20).expiresAt(DAY_10));
    GrantResult pack = grant(purchased(100).priority(30));
    use(300);
    voidGrant(voided);
    assertBalances(100, 100, 0, 0);

    clock.set(DAY_20);
    assertThat(sweep(true).items()).isEmpty();
    assertThat(sweep(false).items()).isEmpty();
    assertLedger(GRANT, GRANT, GRANT, USAGE_DEBIT, VOID);
    assertThat(remainingOf(spent)).isZero();
    assertThat(remainingOf(voided)).isZero();
    assertThat(remainingOf(pack)).isEqualTo(100);
    assertBalances(100, 100, 0, 0);
  }

  @Test
  void the_grant_sweep_first_releases_a_reservation_past_its_ttl_that_holds_the_grants_credit() {
    openAccount(OverdraftPolicy.reject());
    Instant inAnHour = T0.plus(Duration.ofHours(1));
    GrantResult promo = grant(promo(500).expiresAt(inAnHour));
    ReservationResult hold = reserve(200, Duration.ofMinutes(10));
    clock.set(T0.plus(Duration.ofHours(2)));

    SweepResult dry = sweep(true);
    assertThat(itemsOf(dry))
        .containsExactly(tuple(LAB, promo.grant().id().value(), 300L, inAnHour));

    SweepResult swept = sweep(false);
    assertThat(itemsOf(swept)).isEqualTo(itemsOf(dry));
    assertLedger(GRANT, HOLD, RELEASE, EXPIRY);
    LedgerTransaction release = ledger().get(2);
    assertThat(release.effectiveAt()).isEqualTo(hold.reservation().expiresAt());
    assertThat(postingsOf(release))
        .containsExactly(
            tuple("RESERVED", -200L),
            tuple(on(promo), 200L),
            tuple(on(promo), -200L),
            tuple("EXPIRED", 200L));
    assertThat(postingsOf(ledger().get(3)))
        .containsExactly(tuple(on(promo), -300L), tuple("EXPIRED", 300L));
    assertBalances(0, 0, 0, 0);
    assertThat(replay().expired()).isEqualTo(500);
  }

  @ParameterizedTest
  @EnumSource(CrashingStore.When.class)
  void a_sweep_cut_off_by_a_crash_is_finished_by_running_it_again(CrashingStore.When when) {
    CrashingStore[] crashing = new CrashingStore[1];
    start(builder -> {}, real -> crashing[0] = new CrashingStore(real));
    openAccount(OverdraftPolicy.reject());
    List<GrantResult> grants = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      grants.add(grant(promo(100L * i).priority(10).expiresAt(T0.plus(Duration.ofDays(i)))));
    }
    GrantResult pack = grant(purchased(1000).priority(20));
    use(150); // 100 of the first grant, 50 of the second
    assertBalances(2950, 2950, 0, 0);

    clock.set(T0.plus(Duration.ofDays(7)));
    SweepResult dry = sweep(true);
    assertThat(dry.items())
        .extracting(i -> i.amount().minor())
        .containsExactly(150L, 300L, 400L, 500L, 600L);

    // The process dies during the third expiry's commit.
    crashing[0].crashOnCommit(3, when);
    int committedBefore = crashing[0].commits();
    CrashingStore.Crash crash = catchThrowableOfType(CrashingStore.Crash.class, () -> sweep(false));
    assertThat(crash).isNotNull();
    int survived = crashing[0].commits() - committedBefore;
    assertThat(survived).isEqualTo(when == CrashingStore.When.BEFORE_COMMIT ? 2 : 3);
    assertThat(ledgerTypes().stream().filter(t -> t == EXPIRY).count()).isEqualTo(survived);

    // It restarts and runs the sweep again: the rest is posted, nothing twice.
    SweepResult resumed = sweep(false);
    assertThat(resumed.items()).hasSize(5 - survived);
    assertThat(sweep(false).items()).isEmpty();
    assertThat(grants.subList(1, 6)).allSatisfy(g -> assertThat(expiriesOf(g)).isEqualTo(1));
    assertThat(expiriesOf(grants.get(0))).as("the first grant was spent").isZero();
    assertThat(grants).allSatisfy(g -> assertThat(remainingOf(g)).isZero());
    assertThat(remainingOf(pack)).isEqualTo(1000);
    assertThat(replay().expired()).isEqualTo(150 + 300 + 400 + 500 + 600);
    List<Instant> effective =
        ledger().stream()
            .filter(t -> t.type() == EXPIRY)
            .map(LedgerTransaction::effectiveAt)
            .sorted()
            .toList();
    assertThat(effective)
        .containsExactly(
            T0.plus(Duration.ofDays(2)),
            T0.plus(Duration.ofDays(3)),
            T0.plus(Duration.ofDays(4)),
            T0.plus(Duration.ofDays(5)),
            T0.plus(Duration.ofDays(6)));
    assertBalances(1000, 1000, 0, 0);
  }

  @Test
  void voiding_takes_only_the_unused_remainder_is_idempotent_and_a_voided_grant_pays_for_nothing() {
    openAccount(OverdraftPolicy.reject());
    GrantResult promo = grant(promo(500).priority(10));
    GrantResult pack = grant(purchased(300).priority(20));
    use(200);
    assertBalances(600, 600, 0, 0);

    // Finance voids the promotion: its unused 300 leaves; the 200 spent stays spent.
    VoidResult voided = voidGrant("void-promo", promo.grant().id());
    assertThat(voided.replayed()).isFalse();
    assertThat(voided.grant()).isEqualTo(promo.grant().id());
    assertThat(voided.voided()).isEqualTo(credits(300));
    assertThat(voided.transaction().type()).isEqualTo(VOID);
    assertThat(voided.transaction().actor()).isEqualTo(FINANCE);
    assertThat(postingsOf(voided.transaction()))
        .containsExactly(tuple(on(promo), -300L), tuple("VOIDED", 300L));
    GrantBalance after = grantBalance(promo.grant().id());
    assertThat(after.voided()).isTrue();
    assertThat(after.remaining()).isEqualTo(credits(0));
    assertBalances(300, 300, 0, 0);
    assertThat(replay().consumed()).isEqualTo(200);
    assertThat(replay().voided()).isEqualTo(300);

    // Voiding again, with the same key or another: the first void, nothing new.
    VoidResult sameKey = voidGrant("void-promo", promo.grant().id());
    assertThat(sameKey.replayed()).isTrue();
    assertThat(sameKey.transaction()).isEqualTo(voided.transaction());
    VoidResult otherKey = voidGrant("void-promo-again", promo.grant().id());
    assertThat(otherKey.replayed()).isTrue();
    assertThat(otherKey.transaction()).isEqualTo(voided.transaction());
    assertThat(otherKey.voided()).isEqualTo(credits(300));
    assertLedger(GRANT, GRANT, USAGE_DEBIT, VOID);

    // The voided grant pays for nothing: charges and holds go to the pack only.
    ChargeResult next = use(100);
    assertThat(next.allocations())
        .extracting(Allocation::grant, a -> a.amount().minor())
        .containsExactly(tuple(pack.grant().id(), 100L));
    refused(InsufficientCreditException.class, () -> reserve(250, Duration.ofMinutes(1)));
    assertBalances(200, 200, 0, 0);
    assertThat(sweep(false).items()).isEmpty();
    assertLedger(GRANT, GRANT, USAGE_DEBIT, VOID, USAGE_DEBIT);
  }
}
