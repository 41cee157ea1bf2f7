package dev.billingsdk.internal.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.AccountId;
import dev.billingsdk.BillingException;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.AccountNotFoundException;
import dev.billingsdk.credit.ConcurrentUpdateException;
import dev.billingsdk.event.BillingObserver;
import dev.billingsdk.metering.DeductionReport;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.UnitMismatchException;
import dev.billingsdk.spi.StoreFailureException;
import dev.billingsdk.spi.StoreRejectedException;
import dev.billingsdk.testing.RecordingObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The observer plumbing: reason tokens, the guard around the host's observer, the ticker. */
class ObservationTest {
  static final TenantId ACME = TenantId.of("acme");
  static final AccountId LAB = AccountId.of("lab");

  @Test
  void every_typed_refusal_has_its_token_and_the_rest_fall_into_two() {
    assertThat(Observation.reasonOf(new AccountNotFoundException(ACME, LAB)))
        .isEqualTo("account_not_found");
    assertThat(
            Observation.reasonOf(
                new UnitMismatchException(CreditUnit.of("A", 0), CreditUnit.of("B", 0))))
        .isEqualTo("unit_mismatch");
    assertThat(Observation.reasonOf(new ConcurrentUpdateException(ACME, LAB, 3)))
        .isEqualTo("concurrent_update");
    assertThat(Observation.reasonOf(new StoreRejectedException("no"))).isEqualTo("store_rejected");
    assertThat(Observation.reasonOf(new StoreFailureException("down", new RuntimeException())))
        .isEqualTo("store_failure");
    assertThat(Observation.reasonOf(new BillingException("something else"))).isEqualTo("other");
    assertThat(Observation.reasonOf(new IllegalStateException("a bug"))).isEqualTo("error");
  }

  @Test
  void a_rejected_webhook_with_another_refusal_is_told_by_that_refusals_token() {
    RecordingObserver observed = new RecordingObserver();
    Observation o = new Observation(observed, observed.ticker());

    o.webhookRejected("stripe", new StoreFailureException("down", new RuntimeException()));

    assertThat(observed.calls).containsExactly("webhookRejected(stripe, store_failure)");
  }

  @Test
  void the_lag_and_report_of_a_run_are_passed_as_they_are() {
    RecordingObserver observed = new RecordingObserver();
    Observation o = new Observation(observed, observed.ticker());
    Instant at = Instant.parse("2026-03-01T12:00:00Z");
    DeductionReport report = new DeductionReport(at, at, false, List.of(), List.of());

    o.deductionRan(report, Duration.ofMinutes(5));

    assertThat(observed.calls).containsExactly("deductionRan(0 postings, 0 failures, lag PT5M)");
    assertThat(observed.deductions).containsExactly(report);
  }

  @Test
  void a_virtual_machine_error_is_not_swallowed() {
    BillingObserver dying =
        new BillingObserver() {
          @Override
          public void ledgerWriteRetried(TenantId tenant, int nextAttempt) {
            throw new OutOfMemoryError("the JVM is going down");
          }
        };
    Observation o = new Observation(dying, () -> 0);

    assertThatThrownBy(() -> o.ledgerWriteRetried(ACME, 2)).isInstanceOf(OutOfMemoryError.class);
  }

  @Test
  void an_inactive_observation_reads_no_ticker_and_calls_nothing() {
    Observation none = Observation.none();

    assertThat(none.active()).isFalse();
    assertThat(none.ticks()).isZero();
    none.chargeRefused(ACME, new IllegalStateException());
    none.usageIngested(ACME, 1, 0, 0);
    none.ledgerCommitted(1, 0, false);
    none.ledgerWriteRetried(ACME, 2);
    none.ledgerWriteFailed(ACME, new IllegalStateException());
    none.webhookRejected(null, new IllegalStateException());
    none.deductionRan(
        new DeductionReport(Instant.EPOCH, Instant.EPOCH, true, List.of(), List.of()),
        Duration.ZERO);
    assertThat(none).hasToString("Observation[BillingObserver.none()]");
  }

  @Test
  void a_ticker_that_runs_backwards_never_gives_a_negative_latency() {
    RecordingObserver observed = new RecordingObserver();
    Observation o = new Observation(observed, () -> 5);

    o.ledgerCommitted(1, 10, false);

    assertThat(observed.calls).containsExactly("ledgerCommitted(1, 0, false)");
  }
}
