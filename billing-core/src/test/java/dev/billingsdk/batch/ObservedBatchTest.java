package dev.billingsdk.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdGenerator;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeOutcome;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.spi.StoreFailureException;
import dev.billingsdk.testing.RecordingObserver;
import dev.billingsdk.testing.TestClock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the observer is told about a list of charges committed together. */
class ObservedBatchTest {
  static final TenantId ACME = TenantId.of("acme");
  static final AccountId LAB = AccountId.of("lab");
  static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 0);
  static final Actor ADMIN = Actor.of("ops", Role.ADMIN);

  /**
   * The batch commit the other writer slipped into: its own commit ran inside the batch's call and
   * read the ticker twice, so the batch took three ticks.
   */
  static final String SLOWED_BATCH =
      "ledgerCommitted(2, " + 3 * RecordingObserver.TICK + ", false)";

  final TestClock clock = new TestClock(Instant.parse("2026-03-01T00:00:00Z"));
  final CountingStore store = new CountingStore(InMemoryBillingStore.create());
  final RecordingObserver observed = new RecordingObserver();

  Billing billing(int maxAttempts) {
    Billing billing =
        Billing.builder()
            .store(store)
            .clock(clock)
            .ids(IdGenerator.sequential())
            .maxAttempts(maxAttempts)
            .observer(observed, observed.ticker())
            .build();
    billing
        .credits()
        .openAccount(
            OpenAccountRequest.builder(ACME, LAB, CREDIT)
                .actor(ADMIN)
                .overdraftPolicy(OverdraftPolicy.reject())
                .build());
    billing
        .credits()
        .grant(
            GrantRequest.builder(ACME, LAB, Amount.ofMinor(CREDIT, 1_000))
                .idempotencyKey(IdempotencyKey.of("grant"))
                .actor(ADMIN)
                .reason("test grant")
                .build());
    observed.calls.clear();
    return billing;
  }

  static ChargeRequest usage(String key, long n) {
    return ChargeRequest.builder(ACME, LAB, Charge.usage("llm", Amount.ofMinor(CREDIT, n)))
        .idempotencyKey(IdempotencyKey.of(key))
        .actor(ADMIN)
        .reason("usage")
        .build();
  }

  /** Another writer charges the account just before the batch reaches the store, once. */
  void anotherWriterSlipsInOnce(Billing billing) {
    boolean[] once = {true};
    store.beforeBatch =
        writes -> {
          if (once[0]) {
            once[0] = false;
            billing.credits().charge(usage("sneaky", 1));
            observed.calls.clear();
          }
          return writes;
        };
  }

  @Test
  void a_batch_that_lost_a_race_is_retried_and_then_commits() {
    Billing billing = billing(5);
    anotherWriterSlipsInOnce(billing);

    List<ChargeOutcome> outcomes =
        billing.credits().chargeAll(List.of(usage("a", 10), usage("b", 20)));

    assertThat(outcomes).allMatch(ChargeOutcome::charged);
    assertThat(observed.calls)
        .containsExactly(
            SLOWED_BATCH,
            "ledgerWriteRetried(acme, 2)",
            "ledgerWriteRetried(acme, 2)",
            "ledgerCommitted(2, " + RecordingObserver.TICK + ", false)");
  }

  @Test
  void a_batch_out_of_attempts_gives_every_write_up() {
    Billing billing = billing(1);
    anotherWriterSlipsInOnce(billing);

    List<ChargeOutcome> outcomes =
        billing.credits().chargeAll(List.of(usage("a", 10), usage("b", 20)));

    assertThat(outcomes).noneMatch(ChargeOutcome::charged);
    assertThat(observed.calls)
        .containsExactly(
            SLOWED_BATCH,
            "ledgerWriteFailed(acme, concurrent_update)",
            "ledgerWriteFailed(acme, concurrent_update)",
            "chargeRefused(acme, concurrent_update)",
            "chargeRefused(acme, concurrent_update)");
  }

  @Test
  void a_batch_commit_that_throws_fails_every_write_and_refuses_every_charge() {
    Billing billing = billing(5);
    store.beforeBatch =
        writes -> {
          throw new StoreFailureException("database gone", new RuntimeException("io"));
        };

    assertThatThrownBy(() -> billing.credits().chargeAll(List.of(usage("a", 10), usage("b", 20))))
        .isInstanceOf(StoreFailureException.class);

    assertThat(observed.calls)
        .containsExactly(
            "ledgerCommitted(2, " + RecordingObserver.TICK + ", true)",
            "ledgerWriteFailed(acme, store_failure)",
            "ledgerWriteFailed(acme, store_failure)",
            "chargeRefused(acme, store_failure)",
            "chargeRefused(acme, store_failure)");
  }
}
