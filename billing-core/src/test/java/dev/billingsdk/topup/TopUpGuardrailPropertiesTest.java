package dev.billingsdk.topup;

import static dev.billingsdk.topup.TopUpWorld.ACME;
import static dev.billingsdk.topup.TopUpWorld.LAB;
import static dev.billingsdk.topup.TopUpWorld.USD;
import static dev.billingsdk.topup.TopUpWorld.WORKER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.credit.InsufficientCreditException;
import dev.billingsdk.money.Amount;
import dev.billingsdk.payment.OffSessionCharge;
import dev.billingsdk.payment.OffSessionOutcome;
import dev.billingsdk.payment.PaymentStatus;
import dev.billingsdk.purchase.Purchase;
import dev.billingsdk.purchase.PurchaseState;
import dev.billingsdk.setup.Billing;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever the usage, the time between runs, the instance that runs the worker and how each payment
 * ends (paid, declined, processing then settled, authentication asked), an account never has more
 * than one top-up pending, and the top-ups paid in a calendar month never cost more than the
 * monthly cap.
 */
class TopUpGuardrailPropertiesTest {
  static final Instant T0 = Instant.parse("2026-01-25T00:00:00Z");

  record Step(int use, int minutes, boolean second, int outcome, boolean settle) {}

  @Provide
  Arbitrary<List<Step>> steps() {
    return Combinators.combine(
            Arbitraries.integers().between(1, 900),
            Arbitraries.integers().between(0, 60 * 24 * 3),
            Arbitraries.of(true, false),
            Arbitraries.integers().between(0, 9),
            Arbitraries.of(true, false))
        .as(Step::new)
        .list()
        .ofMaxSize(40);
  }

  @Property(tries = 150)
  void neverTwoPendingNeverAboveTheMonthlyCap(@ForAll("steps") List<Step> steps) {
    TopUpWorld w = new TopUpWorld(T0);
    w.billing.autoTopUps().configure(w.rule(Duration.ofMinutes(30)).maxFailures(5).build());
    Billing second = w.instance();
    for (Step s : steps) {
      w.clock.advance(Duration.ofMinutes(s.minutes()));
      // 0-5: paid; 6-7: declined; 8: processing; 9: authentication asked.
      OffSessionOutcome next =
          switch (s.outcome()) {
            case 6, 7 -> new OffSessionOutcome.Declined("card_declined", "");
            case 8 -> new OffSessionOutcome.Processing("pi_x");
            case 9 -> new OffSessionOutcome.AuthenticationRequired("pi_y");
            default -> new OffSessionOutcome.Succeeded("pi_z");
          };
      w.provider.queue(next);
      try {
        w.use(s.use());
      } catch (InsufficientCreditException e) {
        // Not enough credit: the usage is refused; the top-up still follows the balance.
      }
      if (s.settle()) {
        w.provider.offSession.forEach(
            (ref, view) -> {
              if (view.status() == PaymentStatus.PENDING) {
                w.provider.settle(ref, PaymentStatus.PAID);
              }
            });
      }
      (s.second() ? second : w.billing).autoTopUps().run(ACME, WORKER);
      TopUpRule rule = w.billing.autoTopUps().rule(ACME, LAB).orElseThrow();
      long pending = 0;
      for (long n = 1; n <= rule.requested(); n++) {
        pending +=
            w
                .billing
                .purchases()
                .purchase(ACME, dev.billingsdk.purchase.PurchaseId.of("lab-topup-" + n))
                .filter(
                    p -> p.state() == PurchaseState.PENDING || p.state() == PurchaseState.CREATED)
                .stream()
                .count();
      }
      assertThat(pending).as("pending top-ups").isLessThanOrEqualTo(1);
      assertThat(rule.spent()).isLessThanOrEqualTo(rule.monthlyCap());
      if (rule.state() == TopUpState.PAUSED_FOR_AUTHENTICATION) {
        w.billing.autoTopUps().configure(w.rule(Duration.ofMinutes(30)).maxFailures(5).build());
      }
    }
    // Paid top-ups per month, from what the provider was charged and the purchases paid.
    Map<YearMonth, Amount> paid = new HashMap<>();
    for (OffSessionCharge c : w.provider.charged) {
      Purchase p =
          w.billing
              .purchases()
              .purchase(ACME, dev.billingsdk.purchase.PurchaseId.of(c.purchaseRef()))
              .orElseThrow();
      if (p.state() == PurchaseState.PAID) {
        YearMonth month = YearMonth.from(p.createdAt().atZone(ZoneOffset.UTC));
        paid.merge(month, c.amount(), Amount::plus);
      }
    }
    paid.values().forEach(total -> assertThat(total).isLessThanOrEqualTo(Amount.of(USD, "30.00")));
  }
}
