package dev.billingsdk.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.credit.AccountBalance;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The month of a small platform must run and leave the balances its story says. */
class PlatformMonthTourTest {

  @Test
  void a_month_of_sign_ups_referrals_a_subscription_a_top_up_and_the_reset() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Map<String, AccountBalance> balances;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      balances = PlatformMonthTour.run(out);
    }
    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertThat(printed)
        .contains("noa: recorded, not rewarded: MONTHLY_CAP_REACHED")
        .contains("lee-pro: ACTIVE, renews 2027-01-01T")
        .contains("top-up for max: PAID (max-topup-1)")
        .contains("reset 2026-12 (dry run: true)")
        .contains("reset 2026-12 (dry run: false)")
        .contains("lee-pro: RENEWED")
        .contains("pat EXPIRE_REMAINDER CREDIT 2000 POSTED")
        .contains("max-topup-1    boost  USD 50.00  PAID")
        .contains("lee-pro-p1-a1  pro    USD 30.00  PAID");
    // Kim: 500 sign-up + 2 × 200 referral. Lee: 500 sign-up and January's 4000 (December's
    // remainder ended with its period). Max: 50 left of the sign-up credit, and the Boost. Pat:
    // December's allowance expired; January's.
    assertThat(balances.get("kim").available().minor()).isEqualTo(900);
    assertThat(balances.get("lee").available().minor()).isEqualTo(500 + 4_000);
    assertThat(balances.get("max").available().minor()).isEqualTo(50 + 5_000);
    assertThat(balances.get("pat").available().minor()).isEqualTo(500 + 3_000);
  }
}
