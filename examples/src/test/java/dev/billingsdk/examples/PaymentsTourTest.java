package dev.billingsdk.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.purchase.WebhookOutcome.Effect;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The payments tour must run and grant the package once, however often the webhook comes. */
class PaymentsTourTest {

  @Test
  void the_package_is_granted_once_for_two_deliveries() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    List<Effect> effects;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      effects = PaymentsTour.run(out);
    }
    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertThat(effects).containsExactly(Effect.PAID, Effect.DUPLICATE);
    assertThat(printed)
        .contains("CONNECTED to http://127.0.0.1:")
        .contains("purchase order-1001 is PENDING")
        .contains("delivery 1: PAID, purchase PAID")
        .contains("delivery 2: DUPLICATE, purchase PAID")
        .containsPattern("PURCHASED +Growth +CREDIT 5000")
        .containsPattern("PROMOTIONAL +Growth \\(bonus\\) +CREDIT 1000")
        .contains("available: CREDIT 6000");
    assertThat(printed.lines().filter(l -> l.startsWith("PURCHASE "))).hasSize(1);
  }
}
