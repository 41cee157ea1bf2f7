package dev.billingsdk.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.event.BalanceBelowThreshold;
import dev.billingsdk.event.BalanceRecovered;
import dev.billingsdk.event.BillingEvent;
import dev.billingsdk.event.ChargePosted;
import dev.billingsdk.event.DebitReversed;
import dev.billingsdk.event.GrantCreated;
import dev.billingsdk.event.GrantExpired;
import dev.billingsdk.event.ReservationCreated;
import dev.billingsdk.event.ReservationExpired;
import dev.billingsdk.event.ReservationSettled;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lifecycle tour must run and print the figures its story promises. */
class LifecycleTourTest {

  private record Run(String output, List<BillingEvent> events) {}

  private static Run run() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    List<BillingEvent> events;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      events = LifecycleTour.run(out);
    }
    return new Run(bytes.toString(StandardCharsets.UTF_8), events);
  }

  @Test
  void balances_follow_the_story() {
    String out = run().output();
    assertThat(out)
        // the hold takes 120 out of the available balance, and settling gives back 32.60
        .contains("total 500.00, available 380.00, reserved 120.00")
        .contains("settled CREDIT 87.40, released CREDIT 32.60")
        .contains("total 412.60, available 412.60, reserved 0.00")
        // 270 + 10 of GPU hours come from the purchased grant (grt_3; the promotion, grt_1, is for
        // tokens only)
        .contains("total 132.60, available 132.60, reserved 0.00")
        .contains("restored CREDIT 80.00 to grt_3")
        .contains("total 212.60, available 212.60, reserved 0.00")
        // what is left of the promotion expires, and the dry run said so first
        .contains("would expire CREDIT 12.60 of grt_1")
        .contains("expired CREDIT 12.60 of grt_1")
        .contains("total 200.00, available 200.00, reserved 0.00");
  }

  @Test
  void the_forgotten_reservation_expired_by_itself_and_the_history_is_newest_first() {
    String out = run().output();
    String history = out.substring(out.indexOf("== 7."), out.indexOf("== 8."));
    assertThat(history.lines().skip(1).map(l -> l.split("\\s+")[0]).toList())
        .containsExactly("EXPIRY", "REVERSAL", "USAGE_DEBIT", "USAGE_DEBIT", "RELEASE");
  }

  @Test
  void the_alert_fires_once_and_recovers_once() {
    List<Class<?>> kinds = run().events().stream().<Class<?>>map(BillingEvent::getClass).toList();
    assertThat(kinds)
        .containsExactly(
            GrantCreated.class,
            GrantCreated.class,
            ReservationCreated.class,
            ChargePosted.class,
            ReservationSettled.class,
            ReservationCreated.class,
            ReservationExpired.class,
            ChargePosted.class,
            BalanceBelowThreshold.class,
            ChargePosted.class,
            DebitReversed.class,
            BalanceRecovered.class,
            GrantExpired.class);
  }
}
