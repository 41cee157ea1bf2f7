package dev.billingsdk.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.purchase.WebhookOutcome.Effect;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Flutterwave tour must run: the return verified and paid, both webhook deliveries adding
 * nothing, the refund taking a third of the credits, and the Stripe purchase beside it.
 */
class FlutterwaveTourTest {

  @Test
  void the_package_is_granted_once_and_a_third_refunded() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    List<Effect> effects;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      effects = FlutterwaveTour.run(out);
    }
    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertThat(effects).containsExactly(Effect.PAID, Effect.NO_CHANGE, Effect.DUPLICATE);
    assertThat(printed)
        .contains("flutterwave CONNECTED, stripe CONNECTED")
        .contains("purchase order-2001 is PENDING")
        .containsPattern("redirect to http://127\\.0\\.0\\.1:\\d+/v3/hosted/pay/")
        .contains("return: PAID, purchase PAID (verified through the API)")
        .contains("delivery 1: NO_CHANGE")
        .contains("delivery 2: DUPLICATE")
        .contains("refunded NGN 15000.00, credits taken CREDIT 2000, purchase PARTIALLY_REFUNDED")
        .contains("lagos available: CREDIT 4000")
        .contains("purchase order-2002 through stripe: PAID")
        .contains("boston available: CREDIT 6000");
  }
}
