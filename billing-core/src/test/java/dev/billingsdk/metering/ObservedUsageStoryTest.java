package dev.billingsdk.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.AccountId;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.testing.RecordingObserver;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the observer is told about usage: each ingest batch's accepted, duplicate and refused events
 * per tenant, and each deduction run with its lag, the age of the oldest window a failure left
 * unrated.
 */
class ObservedUsageStoryTest extends DeductionStory {
  static final String TOKENS = "tokens";
  static final TenantId GLOBEX = TenantId.of("globex");

  final RecordingObserver observed = new RecordingObserver();
  AccountId lab;

  @Override
  Billing billingOn(BillingStore on) {
    return Billing.builder()
        .store(on)
        .clock(clock)
        .listener(heard::add)
        .metering(settings)
        .observer(observed, observed.ticker())
        .build();
  }

  @BeforeEach
  void world() {
    start(at("2026-03-01T10:20:00Z"), hourly(TOKENS, "0.01"));
    define(Meter.builder(ACME, TOKENS, Aggregation.SUM).unit("tokens").build());
    lab = open("lab", OverdraftPolicy.reject());
    observed.calls.clear();
  }

  UsageEvent tokens(String id, String quantity) {
    return usage(id, lab, TOKENS, quantity, at("2026-03-01T10:15:00Z"), Map.of());
  }

  @Test
  void a_batch_with_a_repeat_counts_accepted_and_duplicate_events() {
    send(tokens("e1", "100"));
    observed.calls.clear();

    billing
        .metering()
        .ingest(List.of(tokens("e1", "100"), tokens("e2", "50"), tokens("e2", "50")), COLLECTOR);

    assertThat(observed.calls).containsExactly("usageIngested(acme, 1, 2, 0)");
  }

  @Test
  void a_refused_batch_counts_every_event_refused_per_tenant() {
    billing
        .metering()
        .defineMeter(Meter.builder(GLOBEX, TOKENS, Aggregation.SUM).unit("tokens").build(), ADMIN);
    AccountId other = AccountId.of("other");
    billing
        .credits()
        .openAccount(OpenAccountRequest.builder(GLOBEX, other, CREDITS).actor(ADMIN).build());
    UsageEvent globex =
        UsageEvent.builder(GLOBEX, other, TOKENS)
            .id("g1")
            .quantity(java.math.BigDecimal.ONE)
            .occurredAt(at("2026-03-01T10:15:00Z"))
            .build();
    UsageEvent unknownMeter =
        usage("x", lab, "no-such-meter", "1", at("2026-03-01T10:15:00Z"), Map.of());

    billing.metering().ingest(List.of(tokens("e1", "1"), globex), COLLECTOR);
    assertThatThrownBy(
            () ->
                billing
                    .metering()
                    .ingest(List.of(tokens("e2", "1"), globex, unknownMeter), COLLECTOR))
        .isInstanceOf(UnknownMeterException.class);
    assertThatThrownBy(() -> billing.metering().ingest((List<UsageEvent>) null, COLLECTOR))
        .isInstanceOf(dev.billingsdk.InvalidRequestException.class);

    assertThat(observed.calls)
        .containsExactly(
            "usageIngested(acme, 1, 0, 0)",
            "usageIngested(globex, 1, 0, 0)",
            "usageIngested(acme, 0, 0, 2)",
            "usageIngested(globex, 0, 0, 1)");
  }

  @Test
  void a_run_that_cannot_post_reports_how_far_behind_its_oldest_window_is() {
    send(tokens("e1", "100"));
    observed.calls.clear();

    DeductionReport failed = runAt(at("2026-03-01T12:05:00Z"));

    assertThat(failed.failures()).hasSize(1);
    assertThat(observed.of("chargeRefused"))
        .as("the usage debit is a refused charge")
        .containsExactly("chargeRefused(acme, insufficient_credits)");
    assertThat(observed.of("deductionRan"))
        .containsExactly("deductionRan(0 postings, 1 failures, lag PT1H45M)");
    assertThat(observed.deductions).containsExactly(failed);

    grant(lab, "10.00");
    observed.calls.clear();
    DeductionReport caughtUp = runAt(at("2026-03-01T12:06:00Z"));

    assertThat(caughtUp.failures()).isEmpty();
    assertThat(observed.of("deductionRan"))
        .containsExactly(
            "deductionRan(" + caughtUp.postings().size() + " postings, 0 failures, lag PT0S)");
    assertThat(caughtUp.postings()).isNotEmpty();
  }

  @Test
  void a_cursor_whose_state_cannot_be_read_lags_from_its_watermark() {
    send(tokens("e1", "100"));
    dev.billingsdk.spi.RatingCursor cursor =
        store.findRatingCursor(ACME, lab, TOKENS).orElseThrow();
    assertThat(
            store.advanceRatingCursor(
                cursor.advanced(cursor.ratedUntil(), cursor.ratedSequence(), "not json"),
                List.of()))
        .isTrue();
    observed.calls.clear();

    DeductionReport failed = runAt(at("2026-03-01T12:05:00Z"));

    assertThat(failed.failures()).hasSize(1);
    assertThat(observed.of("deductionRan"))
        .containsExactly("deductionRan(0 postings, 1 failures, lag PT1H45M)");
  }

  @Test
  void a_dry_run_is_told_too() {
    send(tokens("e1", "100"));
    grant(lab, "10.00");
    clock.set(at("2026-03-01T12:05:00Z"));
    observed.deductions.clear();

    DeductionReport dry = billing.deductions().dryRun();

    assertThat(observed.deductions).containsExactly(dry);
    assertThat(dry.dryRun()).isTrue();
  }
}
