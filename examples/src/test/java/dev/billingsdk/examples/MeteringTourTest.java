package dev.billingsdk.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.metering.DeductionPosting;
import dev.billingsdk.money.Amount;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The metering tour must run and print the figures its story promises. */
class MeteringTourTest {

  private record Run(String output, List<DeductionPosting> postings) {}

  private static Run run() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    List<DeductionPosting> postings;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      postings = MeteringTour.run(out);
    }
    return new Run(bytes.toString(StandardCharsets.UTF_8), postings);
  }

  @Test
  void the_deployment_is_billed_per_second_and_split_at_the_month_boundary() {
    String out = run().output();
    assertThat(out)
        // 21:30:17 to 22:00:00 is 1,783 s at 12 credits an hour: 5.9433 -> 5.94
        .contains("gpu-time   [2026-10-31T21:30:17Z, 2026-10-31T22:00:00Z) CREDIT 5.94")
        // 02:00:00 to the stop at 02:10:17 is 617 s: 2.0567, and the carried remainder makes 2.06
        .contains("gpu-time   [2026-11-01T02:00:00Z, 2026-11-01T03:00:00Z) CREDIT 2.06")
        // October: 8,983 s (29.9433 credits); November: 7,817 s (26.0567 credits)
        .containsPattern("2026-10 gpu-time .* 8983 +CREDIT 29.94 +USD 0.30")
        .containsPattern("2026-11 gpu-time .* 7817 +CREDIT 26.06 +USD 0.26");
  }

  @Test
  void tokens_are_priced_per_model_and_direction() {
    String out = run().output();
    // 40,000 x 0.0025 + 9,000 x 0.01 + 25,000 x 0.003 + 7,777 x 0.015 + 300,000 x 0.0001
    // = 100 + 90 + 75 + 116.655 + 30 = 411.655 -> 411.66 (half-even)
    assertThat(out)
        .contains("llm-tokens [2026-10-31T21:30:17Z, 2026-10-31T22:00:00Z) CREDIT 411.66")
        .containsPattern(
            "2026-10 llm-tokens \\{direction=output, model=claude, user=grace\\} +23331 +CREDIT 349.96");
  }

  @Test
  void the_postings_add_up_to_what_left_the_account() {
    Run run = run();
    Amount posted =
        run.postings().stream().map(DeductionPosting::amount).reduce(Amount::plus).orElseThrow();
    // 5,000 granted, 2,436.57 left
    assertThat(posted).isEqualTo(Amount.of(MeteringTour.CREDITS, "2563.43"));
    assertThat(run.output()).contains("balance CREDIT 2436.57");
  }
}
