package dev.billingsdk.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.AccessDeniedException;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeOutcome;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.ConcurrentUpdateException;
import dev.billingsdk.credit.InsufficientCreditException;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.event.BillingObserver;
import dev.billingsdk.event.ChargePosted;
import dev.billingsdk.ledger.IdempotencyConflictException;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.testing.RecordingObserver;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * What the {@link BillingObserver} is told about charges and ledger commits: each refusal once,
 * with its reason token; each commit with its latency on the injected ticker; each retry and each
 * write given up. An observer that throws changes nothing of the money.
 */
class ObservedWritesStoryTest extends LifecycleStory {
  /** A ticker that throws whenever it is read. */
  static final LongSupplier BROKEN_TICKER =
      () -> {
        throw new IllegalStateException("no ticker");
      };

  final RecordingObserver observed = new RecordingObserver();

  void startObserved(UnaryOperator<dev.billingsdk.spi.BillingStore> wrap, int maxAttempts) {
    start(b -> b.observer(observed, observed.ticker()).maxAttempts(maxAttempts), wrap);
    openAccount(OverdraftPolicy.reject());
    grant(promo(100));
    observed.calls.clear();
  }

  @Test
  void a_charge_that_posts_is_one_commit_timed_on_the_ticker_and_no_refusal() {
    startObserved(s -> s, 5);

    use(30);

    // The ticker reads once before the commit and once after it: one tick apart.
    assertThat(observed.calls)
        .containsExactly("ledgerCommitted(1, " + RecordingObserver.TICK + ", false)");
    assertThat(heard).filteredOn(ChargePosted.class::isInstance).hasSize(1);
  }

  @Test
  void each_refusal_is_told_once_with_its_reason_and_posts_nothing() {
    startObserved(s -> s, 5);

    refused(InsufficientCreditException.class, () -> use(500));
    refused(
        AccessDeniedException.class,
        () ->
            billing
                .credits()
                .charge(
                    ChargeRequest.builder(ACME, LAB, Charge.usage(LLM, credits(1)))
                        .idempotencyKey(IdempotencyKey.of("by-a-user"))
                        .actor(Actor.of("mallory", Role.USER))
                        .reason("not allowed")
                        .build()));
    charge("same-key", Charge.usage(LLM, credits(10)));
    refused(
        IdempotencyConflictException.class,
        () -> charge("same-key", Charge.usage(LLM, credits(11))));
    refused(InvalidRequestException.class, () -> billing.credits().charge(null));

    assertThat(observed.of("chargeRefused"))
        .containsExactly(
            "chargeRefused(acme, insufficient_credits)",
            "chargeRefused(acme, access_denied)",
            "chargeRefused(acme, idempotency_conflict)",
            "chargeRefused(null, invalid_request)");
    assertThat(observed.of("ledgerCommitted")).as("only the one charge committed").hasSize(1);
  }

  @Test
  void a_replayed_charge_is_neither_refused_nor_committed_again() {
    startObserved(s -> s, 5);
    charge("once", Charge.usage(LLM, credits(10)));
    observed.calls.clear();

    assertThat(charge("once", Charge.usage(LLM, credits(10))).replayed()).isTrue();

    assertThat(observed.calls).isEmpty();
  }

  @Test
  void in_a_list_each_refused_request_is_told_and_a_list_refused_whole_tells_every_request() {
    startObserved(s -> s, 5);

    List<ChargeOutcome> outcomes =
        billing.credits().chargeAll(List.of(request("a", 40), request("b", 500), request("c", 50)));

    assertThat(outcomes)
        .extracting(o -> o instanceof ChargeOutcome.Charged)
        .containsExactly(true, false, true);
    assertThat(observed.of("chargeRefused"))
        .containsExactly("chargeRefused(acme, insufficient_credits)");
    assertThat(observed.of("ledgerCommitted"))
        .as("one batch of two writes")
        .containsExactly("ledgerCommitted(2, " + RecordingObserver.TICK + ", false)");

    observed.calls.clear();
    ChargeRequest byUser =
        ChargeRequest.builder(ACME, LAB, Charge.usage(LLM, credits(1)))
            .idempotencyKey(IdempotencyKey.of("user"))
            .actor(Actor.of("mallory", Role.USER))
            .reason("not allowed")
            .build();
    assertThatThrownBy(() -> billing.credits().chargeAll(List.of(request("d", 1), byUser)))
        .isInstanceOf(AccessDeniedException.class);
    assertThat(observed.calls)
        .containsExactly(
            "chargeRefused(acme, access_denied)", "chargeRefused(acme, access_denied)");

    observed.calls.clear();
    assertThatThrownBy(() -> billing.credits().chargeAll(null))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(observed.calls).containsExactly("chargeRefused(null, invalid_request)");
  }

  @Test
  void a_write_that_keeps_losing_the_race_is_retried_then_given_up() {
    CrashingStore[] racing = new CrashingStore[1];
    startObserved(real -> racing[0] = new CrashingStore(real), 3);
    racing[0].conflictOnEveryCommit();

    refused(ConcurrentUpdateException.class, () -> use(10));

    String commit = "ledgerCommitted(1, " + RecordingObserver.TICK + ", false)";
    assertThat(observed.calls)
        .containsExactly(
            commit,
            "ledgerWriteRetried(acme, 2)",
            commit,
            "ledgerWriteRetried(acme, 3)",
            commit,
            "ledgerWriteFailed(acme, concurrent_update)",
            "chargeRefused(acme, concurrent_update)");
  }

  @Test
  void a_commit_that_throws_is_timed_as_thrown_and_the_write_as_failed() {
    CrashingStore[] crashing = new CrashingStore[1];
    startObserved(real -> crashing[0] = new CrashingStore(real), 3);
    crashing[0].crashOnCommit(1, CrashingStore.When.BEFORE_COMMIT);

    assertThatThrownBy(() -> use(10)).isInstanceOf(CrashingStore.Crash.class);

    assertThat(observed.calls)
        .containsExactly(
            "ledgerCommitted(1, " + RecordingObserver.TICK + ", true)",
            "ledgerWriteFailed(acme, error)",
            "chargeRefused(acme, error)");
  }

  @Test
  void an_observer_that_throws_breaks_no_charge_and_no_refusal() {
    BillingObserver broken =
        new BillingObserver() {
          @Override
          public void chargeRefused(TenantId tenant, String reason) {
            throw new IllegalStateException("metrics backend down");
          }

          @Override
          public void ledgerCommitted(int writes, long nanos, boolean threw) {
            throw new AssertionError("an error, not an exception");
          }
        };
    start(b -> b.observer(broken, BROKEN_TICKER), s -> s);
    openAccount(OverdraftPolicy.reject());
    grant(promo(100));

    assertThat(use(30).charged()).isEqualTo(credits(30));
    refused(InsufficientCreditException.class, () -> use(500));

    assertBalances(70, 70, 0, 0);
    assertThat(heard).filteredOn(ChargePosted.class::isInstance).hasSize(1);
  }

  @Test
  void the_observer_is_given_once() {
    Billing.Builder builder = Billing.builder().observer(observed);

    assertThatThrownBy(() -> builder.observer(BillingObserver.none()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("observer")
        .hasMessageContaining("already set to " + observed);
    assertThatThrownBy(() -> Billing.builder().observer(null))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("observer");
    assertThatThrownBy(() -> Billing.builder().observer(observed, null))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("nanoTime");
    assertThat(BillingObserver.none()).hasToString("BillingObserver.none()");
  }

  @Test
  void with_no_observer_nothing_is_measured() {
    start(b -> b.observer(BillingObserver.none(), BROKEN_TICKER), s -> s);
    openAccount(OverdraftPolicy.reject());
    grant(promo(100));

    // The ticker would throw if read; with the no-op observer it never is.
    assertThat(use(30).charged()).isEqualTo(credits(30));
    refused(InsufficientCreditException.class, () -> use(500));
  }

  ChargeRequest request(String key, long n) {
    return ChargeRequest.builder(ACME, LAB, Charge.usage(LLM, credits(n)))
        .idempotencyKey(IdempotencyKey.of(key))
        .actor(GATEWAY)
        .reason("LLM usage")
        .build();
  }
}
