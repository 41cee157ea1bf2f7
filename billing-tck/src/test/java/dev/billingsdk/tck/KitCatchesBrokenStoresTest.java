package dev.billingsdk.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The kit must be able to fail: run against stores that are broken the way real adapters break, it
 * reports the rules they break, and against a plain correct store it reports nothing.
 */
class KitCatchesBrokenStoresTest {

  /** What one run of a kit class reported. */
  record Run(Set<String> failed, long succeeded) {}

  /**
   * Runs a kit class on a launcher of its own, with listener auto-registration off, so that the
   * build's test reporting never sees the deliberately failing inner runs.
   */
  static Run run(String engine, Class<?> kit) {
    return run(engine, selectClass(kit));
  }

  /** Runs one property of a properties kit. */
  private static Run runProperty(Class<? extends BillingStoreProperties> kit, String property) {
    Method m =
        Arrays.stream(BillingStoreProperties.class.getDeclaredMethods())
            .filter(x -> x.getName().equals(property))
            .findFirst()
            .orElseThrow();
    return run("jqwik", selectMethod(kit, m));
  }

  /** The rules of one group of the kit, by test name. */
  private static Set<String> rulesOf(Class<?> group) {
    Set<String> names = new TreeSet<>();
    for (Method m : group.getDeclaredMethods()) {
      if (m.isAnnotationPresent(Test.class)) {
        names.add(m.getName());
      }
    }
    return names;
  }

  private static Run run(String engine, DiscoverySelector selector) {
    Launcher launcher =
        LauncherFactory.create(
            LauncherConfig.builder()
                .enableTestExecutionListenerAutoRegistration(false)
                .enableLauncherSessionListenerAutoRegistration(false)
                .enableLauncherDiscoveryListenerAutoRegistration(false)
                .enablePostDiscoveryFilterAutoRegistration(false)
                .build());
    Set<String> failed = new TreeSet<>();
    AtomicLong succeeded = new AtomicLong();
    TestExecutionListener listener =
        new TestExecutionListener() {
          @Override
          public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (!id.isTest()) {
              return;
            }
            if (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
              succeeded.incrementAndGet();
            } else {
              failed.add(
                  id.getSource()
                      .filter(MethodSource.class::isInstance)
                      .map(src -> ((MethodSource) src).getMethodName())
                      .orElse(id.getLegacyReportingName()));
            }
          }
        };
    launcher.execute(
        LauncherDiscoveryRequestBuilder.request()
            .selectors(selector)
            .filters(EngineFilter.includeEngines(engine))
            // Which rules fail is all a self-test asks, so a failing property is not shrunk, and
            // a property that failed in the run before (another broken store, the same property)
            // starts from a fresh seed instead of recreating that sample, which jqwik does without
            // a time bound (one such replay ran for over ten minutes).
            .configurationParameter("jqwik.shrinking.default", "OFF")
            .configurationParameter("jqwik.failures.after.default", "RANDOM_SEED")
            .build(),
        listener);
    return new Run(failed, succeeded.get());
  }

  private static Set<String> failed(Run run) {
    return run.failed();
  }

  @Test
  @DisplayName("a plain correct store passes every rule and property of the kit")
  void aCorrectStorePasses() {
    Run tck = run("junit-jupiter", BrokenStoreKits.Correct.class);
    assertThat(tck.failed()).isEmpty();
    assertThat(tck.succeeded()).isGreaterThanOrEqualTo(68);
    Run props = run("jqwik", BrokenStoreKits.CorrectProperties.class);
    assertThat(props.failed()).isEmpty();
    assertThat(props.succeeded()).isEqualTo(7);
  }

  @Test
  @DisplayName("a store that loses concurrent updates fails the concurrency and precondition rules")
  void lostUpdatesAreCaught() {
    // A lost update only shows when two threads actually interleave inside the window the broken
    // store leaves open; a race rule catches it in most runs, not in every one (CI once saw the
    // settle/release/expiry race pass). So the kit gets up to five runs, and every rule below must
    // have caught the store in at least one of them.
    Set<String> failed = new TreeSet<>();
    for (int runs = 0; runs < 5 && !failed.containsAll(LOST_UPDATE_RULES); runs++) {
      failed.addAll(failed(run("junit-jupiter", BrokenStoreKits.LosesConcurrentUpdates.class)));
    }
    assertThat(failed).containsAll(LOST_UPDATE_RULES);
  }

  private static final List<String> LOST_UPDATE_RULES =
      List.of(
          "required_manyThreadsOnOneAccountNeverOverdraw",
          "required_aStaleVersionIsAConflictAndWritesNothing",
          "required_theStoreRefusesAWriteThatTakesAGrantBelowZero",
          // The lifecycle's races rest on the version check too.
          "required_settleRacingReleaseAndExpiryResolvesEachReservationExactlyOnce",
          "required_manyThreadsReservingNeverHoldMoreThanTheAccountHas",
          "required_concurrentPartialReversalsNeverExceedTheOriginal",
          "required_concurrentDebitsCrossingTheThresholdFireExactlyOneAlert");

  @Test
  @DisplayName("a store that ignores idempotency keys fails the exactly-once rules and property")
  void ignoredKeysAreCaught() {
    Set<String> failed = failed(run("junit-jupiter", BrokenStoreKits.IgnoresIdempotencyKeys.class));
    assertThat(failed)
        .contains(
            "required_theStoreAnswersAReusedKeyWithTheExistingTransaction",
            "required_theSameKeyOnTwoAccountsOfATenantPostsOnce");
    assertThat(failed(run("jqwik", BrokenStoreKits.IgnoresIdempotencyKeysProperties.class)))
        .contains("required_exactlyOnceByIdempotencyKey");
  }

  @Test
  @DisplayName("a store that skips the balance rules fails the store-level overdraft rules")
  void skippedBalanceRulesAreCaught() {
    Set<String> failed = failed(run("junit-jupiter", BrokenStoreKits.SkipsBalanceRules.class));
    assertThat(failed)
        .containsAll(
            List.of(
                "required_theStoreRefusesAWriteThatTakesAGrantBelowZero",
                "required_theStoreRefusesAnOverdraftBeyondThePolicy"));
  }

  @Test
  @DisplayName("a store whose check and write are two steps fails under concurrency")
  void nonAtomicCheckAndWriteIsCaught() {
    Set<String> failed =
        failed(run("junit-jupiter", BrokenStoreKits.ChecksVersionButNotAtomically.class));
    assertThat(failed).isNotEmpty();
    assertThat(failed)
        .containsAnyOf(
            "required_manyThreadsOnOneAccountNeverOverdraw",
            "required_threadsSpreadOverManyAccountsKeepEveryAccountConsistent",
            "required_theSameRequestFromManyThreadsPostsOnce");
    assertThat(failed)
        .containsAnyOf(
            "required_settleRacingReleaseAndExpiryResolvesEachReservationExactlyOnce",
            "required_manyThreadsReservingNeverHoldMoreThanTheAccountHas",
            "required_aGrantSweepPostsEachExpiryOnceEvenWhenSweepsRace",
            "required_aReservationSweepReleasesEachExpiredReservationOnceEvenWhenSweepsRace");
  }

  // ------------------------------------------------------------------ the credit lifecycle

  @Test
  @DisplayName("interleaved reserve/settle/release/expiry on a non-atomic store fail the property")
  void theLifecyclePropertyCatchesANonAtomicStore() {
    String property = "required_reservationLifecycleUnderConcurrencySpendsEveryCreditOnce";
    assertThat(runProperty(BrokenStoreKits.CorrectProperties.class, property).failed()).isEmpty();
    assertThat(
            runProperty(BrokenStoreKits.ChecksVersionButNotAtomicallyProperties.class, property)
                .failed())
        .containsExactly(property);
  }

  @Test
  @DisplayName("a store that resolves any reservation fails the store-level reservation rules")
  void reservationChecksAreCaught() {
    Set<String> failed = failed(run("junit-jupiter", BrokenStoreKits.ResolvesAnyReservation.class));
    assertThat(failed)
        .containsAll(
            List.of(
                "required_theStoreRefusesToResolveAReservationThatIsNotActive",
                "required_theStoreRefusesAReservedPostingThatDoesNotMatchTheReservations",
                "required_aDuplicateReservationIdIsRejected",
                "required_aReservationIdIsClaimedOnceAcrossConcurrentWrites"))
        .isSubsetOf(rulesOf(BillingStoreTck.Reservations.class));
  }

  @Test
  @DisplayName("a store that never indexes corrections fails the reversal rules")
  void forgottenCorrectionsAreCaught() {
    Set<String> failed = failed(run("junit-jupiter", BrokenStoreKits.ForgetsCorrections.class));
    assertThat(failed)
        .containsAll(
            List.of(
                "required_correctionsListEveryReversalOfATransactionOldestFirst",
                "required_aPartialReversalNeverGivesBackMoreThanWasTaken",
                "required_concurrentPartialReversalsNeverExceedTheOriginal"))
        .isSubsetOf(rulesOf(BillingStoreTck.Reversals.class));
  }

  @Test
  @DisplayName("expiry queries that ignore voids, balances, states and the instant are caught")
  void sloppyExpiryQueriesAreCaught() {
    Set<String> failed =
        failed(run("junit-jupiter", BrokenStoreKits.ExpiryQueriesIgnoreTheirTerms.class));
    assertThat(failed)
        .containsAll(
            List.of(
                "required_expiredGrantsNamesOnlyUnvoidedGrantsWithCreditLeftThatExpireByThen",
                "required_expiredReservationsNamesOnlyActiveReservationsPastTheirTimeToLive"))
        .isSubsetOf(rulesOf(BillingStoreTck.Expiry.class));
  }

  @Test
  @DisplayName("an outbox written apart from its write fails the outbox rules")
  void outboxOutsideTheWriteIsCaught() {
    Set<String> failed = failed(run("junit-jupiter", BrokenStoreKits.OutboxOutsideTheWrite.class));
    assertThat(failed)
        .containsAll(
            List.of(
                "required_aRefusedWriteLeavesNoEvents",
                "required_theOutboxCommitsAtomicallyWithItsWrite"))
        .isSubsetOf(rulesOf(BillingStoreTck.Events.class));
  }

  @Test
  @DisplayName("alert state kept outside the versioned write fires the alert more than once")
  void unversionedAlertsAreCaught() {
    Set<String> failed = failed(run("junit-jupiter", BrokenStoreKits.UnversionedAlerts.class));
    assertThat(failed)
        .containsAll(
            List.of(
                "required_anAlertChangesOnlyAtTheVersionItWasDecidedOn",
                "required_concurrentDebitsCrossingTheThresholdFireExactlyOneAlert"))
        .isSubsetOf(rulesOf(BillingStoreTck.Events.class));
  }

  @Test
  @DisplayName("history paged oldest first fails every history rule")
  void historyOldestFirstIsCaught() {
    Set<String> failed = failed(run("junit-jupiter", BrokenStoreKits.HistoryOldestFirst.class));
    assertThat(failed).isEqualTo(rulesOf(BillingStoreTck.History.class));
  }
}
