package dev.billingsdk.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.billingsdk.AccountId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * A usage collector that makes mistakes: usage for a meter nobody defined, a meter defined twice
 * two different ways, and event ids sent again with other payloads. Each refusal is typed, names
 * what was wrong, and stores nothing.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class IngestRefusalsStoryTest extends DeductionStory {
  static final String TOKENS = "llm-tokens";
  static final Instant MONDAY = at("2026-11-02T10:00:00Z");

  AccountId team;

  @BeforeEach
  void startTheWeek() {
    start(MONDAY, hourly(TOKENS, "0.001"));
    team = open("team-labs");
    grant(team, "10.00");
    define(Meter.builder(ACME, TOKENS, Aggregation.SUM).unit("tokens").dimensions("model").build());
  }

  @Test
  void usage_for_a_meter_nobody_defined_names_the_meter_and_the_tenant() {
    UnknownMeterException e =
        catchThrowableOfType(
            UnknownMeterException.class,
            () -> send(usage("e-1", team, "gpu-hours", "2", MONDAY, Map.of())));

    assertThat(e.meter()).isEqualTo("gpu-hours");
    assertThat(e.tenant()).isEqualTo(ACME);
    assertThat(e.getMessage()).isEqualTo("no meter gpu-hours in tenant acme");
  }

  @Test
  void a_meter_defined_again_differently_is_refused_and_the_first_definition_stands() {
    Meter first = billing.metering().findMeter(ACME, TOKENS).orElseThrow();
    Meter other =
        Meter.builder(ACME, TOKENS, Aggregation.MAX).unit("tokens").dimensions("model").build();

    MeterConflictException e =
        catchThrowableOfType(MeterConflictException.class, () -> define(other));

    assertThat(e.existing()).isEqualTo(first);
    assertThat(e.requested()).isEqualTo(other);
    assertThat(e.getMessage()).startsWith("meter llm-tokens in tenant acme is already defined as");
    assertThat(billing.metering().findMeter(ACME, TOKENS)).contains(first);
    // The same definition again is no conflict.
    assertThat(
            define(
                Meter.builder(ACME, TOKENS, Aggregation.SUM)
                    .unit("tokens")
                    .dimensions("model")
                    .build()))
        .isEqualTo(first);
  }

  @Test
  void ids_sent_again_with_other_usage_are_named_in_request_order_and_nothing_is_stored() {
    send(usage("e-1", team, TOKENS, "100", MONDAY, Map.of("model", "gpt-4o")));
    send(usage("e-2", team, TOKENS, "200", MONDAY, Map.of("model", "gpt-4o")));

    UsageEventConflictException e =
        catchThrowableOfType(
            UsageEventConflictException.class,
            () ->
                billing
                    .metering()
                    .ingest(
                        List.of(
                            usage("e-3", team, TOKENS, "5", MONDAY, Map.of("model", "gpt-4o")),
                            usage("e-2", team, TOKENS, "201", MONDAY, Map.of("model", "gpt-4o")),
                            usage("e-1", team, TOKENS, "100", MONDAY, Map.of("model", "o3"))),
                        COLLECTOR));

    assertThat(e.ids()).containsExactly("e-2", "e-1");
    assertThat(e.tenant()).isEqualTo(ACME);
    // e-3 was not stored either: sending it now counts it for the first time.
    assertThat(send(usage("e-3", team, TOKENS, "5", MONDAY, Map.of("model", "gpt-4o"))).duplicate())
        .isFalse();
    // 100 + 200 + 5 tokens at 0.001: 0.305, rounded half-even to 0.30.
    runAt(at("2026-11-02T11:05:00Z"));
    assertThat(postedAmounts(team)).containsExactly(30L);
  }
}
