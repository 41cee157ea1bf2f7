package dev.billingsdk.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.billingsdk.tck.SwitchableMetering.Break;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
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
 * The metering kit must be able to fail: against {@link SwitchableMetering} with one thing broken
 * it reports that thing's rules, and only rules of that family; with nothing broken it reports
 * nothing.
 */
class MeteringKitCatchesBrokenStoresTest {
  /** What one run of the kit reported. */
  private record Run(Set<String> failed, long succeeded) {}

  /**
   * Runs the kit on a store with {@code breaks}, on a launcher of its own with listener
   * auto-registration off, so that the build's test reporting never sees the failing inner runs.
   */
  private static synchronized Run run(Set<Break> breaks) {
    BrokenMeteringKits.breaks = breaks;
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
    launcher.execute(
        LauncherDiscoveryRequestBuilder.request()
            .selectors(selectClass(BrokenMeteringKits.Switched.class))
            .filters(EngineFilter.includeEngines("junit-jupiter"))
            .build(),
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
                      .map(s -> ((MethodSource) s).getMethodName())
                      .orElse(id.getLegacyReportingName()));
            }
          }
        });
    return new Run(failed, succeeded.get());
  }

  /** The rules of some groups of the kit, by test name. */
  private static Set<String> rulesOf(Class<?>... groups) {
    Set<String> names = new TreeSet<>();
    for (Class<?> group : groups) {
      for (Method m : group.getDeclaredMethods()) {
        if (m.isAnnotationPresent(Test.class)) {
          names.add(m.getName());
        }
      }
    }
    return names;
  }

  /**
   * Runs the kit with {@code broken} until every rule of {@code mustFail} has failed (at most
   * {@code runs} times: a race is caught in most runs, not in every one) and requires every failure
   * to be a rule of {@code family}.
   */
  private static void assertCaught(
      Break broken, int runs, List<String> mustFail, Class<?>... family) {
    Set<String> failed = new TreeSet<>();
    for (int i = 0; i < runs && !failed.containsAll(mustFail); i++) {
      failed.addAll(run(Set.of(broken)).failed());
    }
    assertThat(failed).as("%s is caught", broken).containsAll(mustFail);
    assertThat(failed).as("%s fails only its own family", broken).isSubsetOf(rulesOf(family));
  }

  private static void assertCaught(Break broken, List<String> mustFail, Class<?>... family) {
    assertCaught(broken, 1, mustFail, family);
  }

  @Test
  @DisplayName("a plain correct metering store passes every rule of the kit")
  void aCorrectStorePasses() {
    Run run = run(Set.of());
    assertThat(run.failed()).isEmpty();
    assertThat(run.succeeded())
        .isEqualTo(
            rulesOf(
                    Arrays.stream(MeteringStoreTck.class.getDeclaredClasses())
                        .toArray(Class<?>[]::new))
                .size());
  }

  @Test
  @DisplayName("meters shared across tenants, or redefined by the last caller, are caught")
  void meterMistakesAreCaught() {
    assertCaught(
        Break.METERS_ACROSS_TENANTS,
        List.of("required_metersAreTenantScoped"),
        MeteringStoreTck.Meters.class);
    assertCaught(
        Break.METER_LAST_WINS,
        List.of(
            "required_insertMeterIfAbsentKeepsTheFirstDefinitionAndReturnsIt",
            "required_concurrentDefinitionsOfAKeyAgreeOnOneMeter"),
        MeteringStoreTck.Meters.class);
  }

  @Test
  @DisplayName("a conflict that keeps the rest of its list, and no dedup within a list, are caught")
  void dedupMistakesAreCaught() {
    assertCaught(
        Break.CONFLICT_WRITES_THE_REST,
        List.of(
            "required_anIdResentWithADifferentFingerprintWritesNothingOfItsList",
            "required_anIdRepeatedWithinOneListWithADifferentFingerprintWritesNothing",
            "required_aConflictingIdIsRefusedByNameAndStoresNothingOfItsBatch"),
        MeteringStoreTck.Ingest.class,
        MeteringStoreTck.ServiceIngest.class);
    assertCaught(
        Break.NO_DEDUP_WITHIN_A_LIST,
        List.of(
            "required_anIdRepeatedWithinOneListIsADuplicateOfItsFirstOccurrence",
            "required_anIdRepeatedWithinOneListWithADifferentFingerprintWritesNothing",
            "required_duplicatesAcrossBillingInstancesAreAcknowledgedNeverCountedTwice"),
        MeteringStoreTck.Ingest.class,
        MeteringStoreTck.ServiceIngest.class);
  }

  @Test
  @DisplayName(
      "a claim checked and written in two steps, and sequences ahead of readable events, are caught")
  void ingestRacesAreCaught() {
    assertCaught(
        Break.CHECK_THEN_INSERT,
        5,
        List.of("required_overlappingIngestFromManyThreadsStoresEachIdOnceWithGaplessSequences"),
        MeteringStoreTck.Concurrency.class,
        MeteringStoreTck.ServiceIngest.class);
    assertCaught(
        Break.SEQUENCE_BEFORE_VISIBLE,
        5,
        List.of("required_aReaderNeverSeesAGapBelowACommittedSequence"),
        MeteringStoreTck.Concurrency.class);
  }

  @Test
  @DisplayName("times kept to the millisecond are caught")
  void millisecondTimesAreCaught() {
    assertCaught(
        Break.MILLISECOND_TIMES,
        List.of("required_eventsReadBackEqualToWhatWasSent"),
        MeteringStoreTck.Ingest.class,
        MeteringStoreTck.Reads.class);
  }

  @Test
  @DisplayName("window and late reads that ignore their bounds or page wrongly are caught")
  void sloppyReadsAreCaught() {
    assertCaught(
        Break.SLOPPY_WINDOW,
        List.of("required_windowUsageKeepsToItsWindowAndSequenceBoundInTimeThenSequenceOrder"),
        MeteringStoreTck.Reads.class);
    assertCaught(
        Break.WINDOW_PAGES_BY_SEQUENCE,
        List.of("required_windowUsagePagesFromAPositionGivingEveryEventOnce"),
        MeteringStoreTck.Reads.class);
    assertCaught(
        Break.LATE_IGNORES_TIME,
        List.of("required_lateUsageKeepsToItsSequenceRangeAndTimeInSequenceOrder"),
        MeteringStoreTck.Reads.class);
  }

  @Test
  @DisplayName(
      "rating steps without a version check, over ingest's sequence or with lines when refused, are caught")
  void cursorMistakesAreCaught() {
    assertCaught(
        Break.ADVANCE_OVERWRITES_INGESTED,
        List.of("required_advancingFromTheStoredVersionStoresTheStepKeepingIngestedSequence"),
        MeteringStoreTck.Cursors.class);
    assertCaught(
        Break.NO_VERSION_CHECK,
        List.of(
            "required_aStaleVersionIsRefusedAndStoresNoLines",
            "required_exactlyOneOfManyConcurrentAdvancesFromOneVersionWins",
            "required_advancingAnUnknownCursorFails"),
        MeteringStoreTck.Cursors.class,
        MeteringStoreTck.CursorPages.class);
    assertCaught(
        Break.LINES_EVEN_WHEN_REFUSED,
        List.of(
            "required_aStaleVersionIsRefusedAndStoresNoLines",
            "required_advancingAnUnknownCursorFails"),
        MeteringStoreTck.Cursors.class,
        MeteringStoreTck.CursorPages.class);
  }

  @Test
  @DisplayName("a page's pending read past the cursor's sequence or without its limit is caught")
  void pendingReadMistakesAreCaught() {
    assertCaught(
        Break.PENDING_IGNORES_THE_CURSORS_BOUND,
        List.of("required_pendingUsageOfAPageIsEachCursorsOwnLateAndAheadReads"),
        MeteringStoreTck.PendingReads.class);
    assertCaught(
        Break.PENDING_WITHOUT_LIMIT,
        List.of("required_pendingUsageOfAPageIsEachCursorsOwnLateAndAheadReads"),
        MeteringStoreTck.PendingReads.class);
  }

  @Test
  @DisplayName(
      "pages of cursor steps that are all or nothing, keep refused lines or take a cursor twice, are caught")
  void cursorPageMistakesAreCaught() {
    assertCaught(
        Break.PAGE_ALL_OR_NOTHING,
        List.of("required_aPageMovesEveryCursorAtItsVersionAndRefusesOnlyTheStaleStep"),
        MeteringStoreTck.CursorPages.class);
    assertCaught(
        Break.PAGE_LINES_OF_REFUSED,
        List.of(
            "required_aPageMovesEveryCursorAtItsVersionAndRefusesOnlyTheStaleStep",
            "required_aPageNamingACursorTwiceOrAnUnknownCursorIsRefusedAsSuch"),
        MeteringStoreTck.CursorPages.class);
    assertCaught(
        Break.PAGE_TAKES_A_CURSOR_TWICE,
        List.of("required_aPageNamingACursorTwiceOrAnUnknownCursorIsRefusedAsSuch"),
        MeteringStoreTck.CursorPages.class);
  }

  @Test
  @DisplayName("a cursor scan whose 'after' is inclusive is caught, and does not hang the kit")
  void inclusiveScanIsCaught() {
    assertCaught(
        Break.SCAN_AFTER_INCLUSIVE,
        List.of("required_ratingCursorsPagesInAStableOrderCoveringEveryCursorOnce"),
        MeteringStoreTck.CursorScan.class);
  }

  @Test
  @DisplayName(
      "summaries across tenants, without month or dimensions, in doubles or of charges only, are caught")
  void summaryMistakesAreCaught() {
    assertCaught(
        Break.SUMMARY_ACROSS_TENANTS,
        List.of("required_usageSummaryNeverReturnsAnotherTenantsLines"),
        MeteringStoreTck.Summaries.class);
    assertCaught(
        Break.SUMMARY_IGNORES_MONTH,
        List.of("required_usageSummaryFiltersByAccountYearMonthAndMeter"),
        MeteringStoreTck.Summaries.class);
    assertCaught(
        Break.SUMMARY_WITHOUT_DIMENSIONS,
        List.of("required_usageSummarySumsLinesPerAccountMonthMeterAndDimensions"),
        MeteringStoreTck.Summaries.class);
    assertCaught(
        Break.SUMMARY_IN_DOUBLES,
        List.of("required_usageSummarySumsLinesPerAccountMonthMeterAndDimensions"),
        MeteringStoreTck.Summaries.class);
    assertCaught(
        Break.SUMMARY_ONLY_CHARGES,
        List.of("required_negativeCreditsAndQuantitiesSumCorrectly"),
        MeteringStoreTck.Summaries.class);
  }
}
