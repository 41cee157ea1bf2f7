package dev.billingsdk.subscription;

import static dev.billingsdk.subscription.SubscriptionWorld.ACME;
import static dev.billingsdk.subscription.SubscriptionWorld.CARA;
import static dev.billingsdk.subscription.SubscriptionWorld.CUSTOMER;
import static dev.billingsdk.subscription.SubscriptionWorld.JOB;
import static dev.billingsdk.subscription.SubscriptionWorld.STARTER;
import static dev.billingsdk.subscription.SubscriptionWorld.USD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.memory.InMemoryCatalogueStore;
import dev.billingsdk.memory.InMemoryEconomyStore;
import dev.billingsdk.memory.InMemoryPurchaseStore;
import dev.billingsdk.memory.InMemorySubscriptionStore;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.SubscriptionStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * However renewal runs interleave between two instances, and wherever a process dies (before a
 * ledger commit, before a subscription change is stored), every period is charged once and its
 * allowance granted once, and the subscription ends up paid through every period begun.
 */
class AllowanceOncePropertiesTest {
  static final Instant START = Instant.parse("2026-01-31T10:00:00Z");

  /** One step: time passes, one instance runs the job, maybe dying at its n-th write of a kind. */
  record Step(int hours, boolean second, int crashLedger, int crashChange) {}

  @Provide
  Arbitrary<List<Step>> steps() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 24 * 20),
            Arbitraries.of(true, false),
            Arbitraries.integers().between(0, 3),
            Arbitraries.integers().between(0, 3))
        .as(Step::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(30);
  }

  /** Dies at the armed call of the named method, before it reaches the real object. */
  static final class Crash extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  @SuppressWarnings("unchecked")
  static <T> T dying(Class<T> type, T real, String method, AtomicInteger countdown) {
    return (T)
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, m, args) -> {
              if (m.getName().equals(method)
                  && countdown.get() > 0
                  && countdown.decrementAndGet() == 0) {
                throw new Crash();
              }
              try {
                return m.invoke(real, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @Property(tries = 200)
  void everyPeriodIsPaidAndGrantedOnce(@ForAll("steps") List<Step> steps) {
    AtomicInteger ledgerCrash = new AtomicInteger();
    AtomicInteger changeCrash = new AtomicInteger();
    BillingStore ledger =
        dying(BillingStore.class, InMemoryBillingStore.create(), "commit", ledgerCrash);
    SubscriptionStore subs =
        dying(SubscriptionStore.class, InMemorySubscriptionStore.create(), "update", changeCrash);
    SubscriptionWorld w =
        new SubscriptionWorld(
            START,
            ZoneOffset.UTC,
            DunningSchedule.standard(),
            ledger,
            subs,
            InMemoryPurchaseStore.create(),
            InMemoryCatalogueStore.create(),
            InMemoryEconomyStore.create());
    Billing second = w.instance(DunningSchedule.standard());
    w.subscriptions()
        .subscribe(
            SubscribeRequest.builder(ACME, CARA, SubscriptionId.of("s"), STARTER, USD)
                .provider("recurring")
                .savedMethod("cus_1", "pm_card")
                .actor(CUSTOMER)
                .build());
    for (Step step : steps) {
      w.clock.advance(Duration.ofHours(step.hours()));
      ledgerCrash.set(step.crashLedger());
      changeCrash.set(step.crashChange());
      Billing through = step.second() ? second : w.billing;
      try {
        through.subscriptions().runRenewals(ACME, JOB);
      } catch (Crash e) {
        // The process died; the next run (on either instance) finishes its work.
      }
    }
    ledgerCrash.set(0);
    changeCrash.set(0);
    w.renew();
    Subscription s = w.subscription("s");
    Instant now = w.clock.instant();
    int begun = 0;
    while (!s.periodStart(begun).isAfter(now)) {
      begun++;
    }
    assertThat(s.state()).isEqualTo(SubscriptionState.ACTIVE);
    assertThat(s.paidPeriods()).isEqualTo(begun);
    List<GrantBalance> grants = w.allowances();
    Set<String> periods = new HashSet<>();
    for (GrantBalance g : grants) {
      assertThat(periods.add(g.grant().metadata().get("subscription.period")))
          .as("period %s granted twice", g.grant().metadata().get("subscription.period"))
          .isTrue();
    }
    // A period over by the time it was paid (a long crash) is paid but not granted: spent credits
    // could not be used any more. Every period still running is granted.
    assertThat(grants.size()).isLessThanOrEqualTo(begun);
    assertThat(periods).contains(Integer.toString(begun - 1));
    Set<String> keys = new HashSet<>();
    w.provider.charged.forEach(c -> assertThat(keys.add(c.idempotencyKey().value())).isTrue());
    assertThat(w.provider.charged).hasSize(begun);
  }
}
