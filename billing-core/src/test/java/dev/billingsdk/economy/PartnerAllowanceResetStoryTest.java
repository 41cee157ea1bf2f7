package dev.billingsdk.economy;

import static dev.billingsdk.economy.EconomyWorld.ACME;
import static dev.billingsdk.economy.EconomyWorld.SIGNUPS;
import static dev.billingsdk.economy.EconomyWorld.credits;
import static dev.billingsdk.economy.EconomyWorld.hundredForADollar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.credit.Allocation;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.economy.ResetMovement.Kind;
import dev.billingsdk.economy.ResetMovement.State;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.memory.InMemoryEconomyStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.setup.Billing;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Partner credits are a monthly allowance (seed 000): at each month start last month's unused
 * remainder expires and the new allowance is granted, once per partner and month, with the dry run
 * finance runs first.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PartnerAllowanceResetStoryTest {
  static final Instant JAN_1 = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant FEB_1 = Instant.parse("2026-02-01T00:00:00Z");
  static final Instant MAR_1 = Instant.parse("2026-03-01T00:00:00Z");
  static final YearMonth JAN = YearMonth.of(2026, 1);
  static final YearMonth FEB = YearMonth.of(2026, 2);
  static final Actor SCHEDULER = Actor.system("month-start-job");

  static AllowanceResetRequest.Builder reset(YearMonth month) {
    return AllowanceResetRequest.builder(ACME, month)
        .allowance(AccountId.of("pat"), credits(1000))
        .allowance(AccountId.of("pia"), credits(400))
        .actor(SCHEDULER);
  }

  static List<Tuple> movements(AllowanceReset r) {
    return r.movements().stream()
        .map(
            m ->
                tuple(
                    m.account().value(), m.kind(), m.amount().minor(), m.effectiveAt(), m.state()))
        .toList();
  }

  static EconomyWorld platform(EconomyWorld w, boolean dryRunSwitch) {
    w.save(
        0,
        EconomySettings.builder(hundredForADollar()).dryRunMonthlyReset(dryRunSwitch).build(),
        "launch");
    w.open("pat");
    w.open("pia");
    return w;
  }

  @Test
  void the_month_start_expires_what_is_left_and_grants_the_new_allowance_after_a_dry_run() {
    EconomyWorld w = platform(new EconomyWorld(JAN_1), false);
    AllowanceReset january = w.economy().resetPartnerAllowances(reset(JAN).build());
    assertThat(movements(january))
        .containsExactly(
            tuple("pat", Kind.GRANT_ALLOWANCE, 1000L, JAN_1, State.POSTED),
            tuple("pia", Kind.GRANT_ALLOWANCE, 400L, JAN_1, State.POSTED));
    w.clock.set(Instant.parse("2026-01-20T12:00:00Z"));
    w.use("pat", 300);
    assertThat(w.availableIn("pat", GrantCategory.PARTNER_ALLOWANCE)).isEqualTo(700);

    // February 1st, midnight: finance runs the dry run first. It lists every movement and writes
    // nothing.
    w.clock.set(FEB_1);
    List<LedgerTransaction> before = w.ledger("pat", "pia");
    AllowanceReset dry = w.economy().resetPartnerAllowances(reset(FEB).dryRun(true).build());
    assertThat(dry.dryRun()).isTrue();
    assertThat(dry.dryRunBySettings()).isFalse();
    assertThat(movements(dry))
        .containsExactly(
            tuple("pat", Kind.EXPIRE_REMAINDER, 700L, FEB_1, State.WOULD_POST),
            tuple("pat", Kind.GRANT_ALLOWANCE, 1000L, FEB_1, State.WOULD_POST),
            tuple("pia", Kind.EXPIRE_REMAINDER, 400L, FEB_1, State.WOULD_POST),
            tuple("pia", Kind.GRANT_ALLOWANCE, 400L, FEB_1, State.WOULD_POST));
    assertThat(w.ledger("pat", "pia")).isEqualTo(before);

    // The real run posts exactly that.
    AllowanceReset real = w.economy().resetPartnerAllowances(reset(FEB).build());
    assertThat(movements(real))
        .containsExactly(
            tuple("pat", Kind.EXPIRE_REMAINDER, 700L, FEB_1, State.POSTED),
            tuple("pat", Kind.GRANT_ALLOWANCE, 1000L, FEB_1, State.POSTED),
            tuple("pia", Kind.EXPIRE_REMAINDER, 400L, FEB_1, State.POSTED),
            tuple("pia", Kind.GRANT_ALLOWANCE, 400L, FEB_1, State.POSTED));
    assertThat(w.balance("pat").total()).isEqualTo(credits(1000));
    assertThat(w.availableIn("pat", GrantCategory.PARTNER_ALLOWANCE)).isEqualTo(1000);

    // A charge at exactly the month's first instant is paid by February's allowance (OpenMeter
    // left a grant made at the exact reset instant out of the balance).
    List<Allocation> paid = w.use("pat", 50).allocations();
    assertThat(paid)
        .extracting(Allocation::grant)
        .containsExactly(real.movements().get(1).grant().orElseThrow());

    // Running it again (a retry, a second scheduler) posts nothing and says what was posted.
    int count = w.ledger("pat", "pia").size();
    AllowanceReset again = w.economy().resetPartnerAllowances(reset(FEB).build());
    assertThat(movements(again))
        .containsExactly(
            tuple("pat", Kind.EXPIRE_REMAINDER, 700L, FEB_1, State.POSTED_BEFORE),
            tuple("pat", Kind.GRANT_ALLOWANCE, 1000L, FEB_1, State.POSTED_BEFORE),
            tuple("pia", Kind.EXPIRE_REMAINDER, 400L, FEB_1, State.POSTED_BEFORE),
            tuple("pia", Kind.GRANT_ALLOWANCE, 400L, FEB_1, State.POSTED_BEFORE));
    assertThat(w.ledger("pat", "pia")).hasSize(count);
  }

  @Test
  void the_settings_dry_run_switch_keeps_every_run_dry() {
    EconomyWorld w = platform(new EconomyWorld(JAN_1), true);
    AllowanceReset r = w.economy().resetPartnerAllowances(reset(JAN).dryRun(false).build());
    assertThat(r.dryRun()).isTrue();
    assertThat(r.dryRunBySettings()).isTrue();
    assertThat(r.movements()).allMatch(m -> m.state() == State.WOULD_POST).hasSize(2);
    assertThat(w.ledger("pat", "pia")).isEmpty();
  }

  @Test
  void a_month_not_started_or_already_over_is_refused_and_so_is_a_bad_partner_before_any_write() {
    EconomyWorld w = platform(new EconomyWorld(JAN_1.minusNanos(1000)), false);
    assertThatThrownBy(() -> w.economy().resetPartnerAllowances(reset(JAN).build()))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("month"));
    w.clock.set(FEB_1);
    assertThatThrownBy(() -> w.economy().resetPartnerAllowances(reset(JAN).build()))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("month"));
    // The second partner is unknown, the third's allowance in another unit: nothing is granted to
    // the first either.
    AllowanceResetRequest ghost = reset(FEB).allowance(AccountId.of("ghost"), credits(1)).build();
    assertThatThrownBy(() -> w.economy().resetPartnerAllowances(ghost))
        .isInstanceOf(dev.billingsdk.credit.AccountNotFoundException.class);
    w.open("odd");
    AllowanceResetRequest odd =
        reset(FEB).allowance(AccountId.of("odd"), Amount.of(CreditUnit.of("TOKEN", 0), 5)).build();
    assertThatThrownBy(() -> w.economy().resetPartnerAllowances(odd))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("allowance"));
    assertThat(w.ledger("pat", "pia", "odd")).isEmpty();
    // Each partner once per request.
    assertThatThrownBy(() -> reset(FEB).allowance(AccountId.of("pat"), credits(5)))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> assertThat(e.getMessage()).contains("already set to CREDIT 1000"));
  }

  @Test
  void a_run_that_crashed_half_way_is_finished_by_running_it_again() {
    CrashOnCommit crashing = new CrashOnCommit(InMemoryBillingStore.create());
    EconomyWorld w =
        platform(new EconomyWorld(JAN_1, crashing.store, InMemoryEconomyStore.create()), false);
    w.economy().resetPartnerAllowances(reset(JAN).build());
    w.clock.set(FEB_1.plusSeconds(30));
    // Pat's expiry commits, then the process dies before Pat's new grant.
    crashing.arm(2);
    assertThatThrownBy(() -> w.economy().resetPartnerAllowances(reset(FEB).build()))
        .isInstanceOf(CrashOnCommit.Crash.class);
    assertThat(w.balance("pat").total()).isEqualTo(credits(0));
    AllowanceReset resumed = w.economy().resetPartnerAllowances(reset(FEB).build());
    assertThat(movements(resumed))
        .containsExactly(
            tuple("pat", Kind.EXPIRE_REMAINDER, 1000L, FEB_1, State.POSTED_BEFORE),
            tuple("pat", Kind.GRANT_ALLOWANCE, 1000L, FEB_1, State.POSTED),
            tuple("pia", Kind.EXPIRE_REMAINDER, 400L, FEB_1, State.POSTED),
            tuple("pia", Kind.GRANT_ALLOWANCE, 400L, FEB_1, State.POSTED));
    assertThat(w.balance("pat").total()).isEqualTo(credits(1000));
    assertThat(w.balance("pia").total()).isEqualTo(credits(400));
  }

  @Test
  void two_instances_running_the_reset_at_once_post_each_movement_once() throws Exception {
    InMemoryBillingStore store = InMemoryBillingStore.create();
    InMemoryEconomyStore economy = InMemoryEconomyStore.create();
    EconomyWorld w = platform(new EconomyWorld(JAN_1, store, economy), false);
    for (int i = 0; i < 6; i++) {
      w.open("p" + i);
    }
    Billing other = Billing.builder().store(store).economy(economy).clock(w.clock).build();
    AllowanceResetRequest.Builder b = AllowanceResetRequest.builder(ACME, JAN).actor(SCHEDULER);
    for (int i = 0; i < 6; i++) {
      b.allowance(AccountId.of("p" + i), credits(100 + i));
    }
    AllowanceResetRequest january = b.build();
    int threads = 8;
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<AllowanceReset>> runs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Billing through = t % 2 == 0 ? w.billing : other;
        Callable<AllowanceReset> run =
            () -> {
              start.await();
              return through.economy().resetPartnerAllowances(january);
            };
        runs.add(pool.submit(run));
      }
      long posted = 0;
      for (Future<AllowanceReset> f : runs) {
        posted += f.get().movements().stream().filter(m -> m.state() == State.POSTED).count();
      }
      assertThat(posted).isEqualTo(6);
    } finally {
      pool.shutdownNow();
    }
    for (int i = 0; i < 6; i++) {
      assertThat(w.balance("p" + i).total()).isEqualTo(credits(100 + i));
      assertThat(w.ledger("p" + i)).hasSize(1);
    }
  }

  @Test
  void the_referral_grant_lost_in_a_crash_is_made_by_recording_the_referral_again() {
    CrashOnCommit crashing = new CrashOnCommit(InMemoryBillingStore.create());
    EconomyWorld w = new EconomyWorld(JAN_1, crashing.store, InMemoryEconomyStore.create());
    w.save(
        0,
        EconomySettings.builder(hundredForADollar()).referralCredits(credits(200)).build(),
        "programme");
    w.open("agent");
    w.open("user");
    ReferralRequest referral =
        ReferralRequest.of(ACME, AccountId.of("agent"), AccountId.of("user"), JAN_1, SIGNUPS);
    crashing.arm(1);
    assertThatThrownBy(() -> w.economy().recordReferral(referral))
        .isInstanceOf(CrashOnCommit.Crash.class);
    assertThat(w.available("agent")).isZero();
    assertThat(w.economy().referralOf(ACME, AccountId.of("user")).orElseThrow().rewarded())
        .isTrue();
    // The sign-up flow retries: the referral is already recorded, and its reward is granted now.
    assertThat(w.economy().recordReferral(referral))
        .isInstanceOf(ReferralOutcome.AlreadyRecorded.class);
    assertThat(w.economy().recordReferral(referral))
        .isInstanceOf(ReferralOutcome.AlreadyRecorded.class);
    assertThat(w.availableIn("agent", GrantCategory.REFERRAL)).isEqualTo(200);
    assertThat(w.ledger("agent")).hasSize(1);
  }
}
