package dev.billingsdk.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.tck.BrokenProviderEventStore.Mistake;
import dev.billingsdk.tck.KitCatchesBrokenStoresTest.Run;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The provider-event kit must be able to fail: each mistake a hand-written store of webhook
 * deliveries makes is reported by the rules about it, and only by them; a correct store passes
 * every rule.
 */
class ProviderEventKitCatchesBrokenStoresTest {

  private static final String ONCE = "required_anEventIsStoredOncePerProviderAndEventId";
  private static final String PROVIDERS =
      "required_theSameEventIdUnderAnotherProviderIsAnotherEvent";
  private static final String EXACT = "required_anEventReadsBackExactly";
  private static final String MARK_ONCE = "required_markProcessedMarksOnceAndTheFirstOutcomeStays";
  private static final String UNKNOWN = "required_markingAnUnknownEventChangesNothing";
  private static final String REFUSED =
      "required_valuesOutsideTheContractAreRefusedAndWriteNothing";
  private static final String RECORD_RACE = "required_deliveriesRacingForOneEventStoreItOnce";
  private static final String MARK_RACE = "required_markersRacingForOneEventLeaveOneOutcome";

  private static synchronized Run with(Mistake mistake) {
    BrokenPurchaseKits.eventMistake = mistake;
    return KitCatchesBrokenStoresTest.run("junit-jupiter", BrokenPurchaseKits.BrokenEvents.class);
  }

  @Test
  @DisplayName("the kit has the eight rules this test names")
  void theKitHasTheRulesNamedHere() {
    Set<String> names = new TreeSet<>();
    for (Class<?> group : ProviderEventStoreTck.class.getDeclaredClasses()) {
      for (Method m : group.getDeclaredMethods()) {
        if (m.isAnnotationPresent(Test.class)) {
          names.add(m.getName());
        }
      }
    }
    assertThat(names)
        .containsExactlyInAnyOrder(
            ONCE, PROVIDERS, EXACT, MARK_ONCE, UNKNOWN, REFUSED, RECORD_RACE, MARK_RACE);
  }

  @Test
  @DisplayName("a correct store passes every rule")
  void correctStorePasses() {
    Run run = with(Mistake.NONE);
    assertThat(run.failed()).isEmpty();
    assertThat(run.succeeded()).isEqualTo(8);
  }

  @ParameterizedTest
  @EnumSource(value = Mistake.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
  @DisplayName("each mistake is caught by its rules")
  void everyMistakeIsCaught(Mistake mistake) {
    Set<String> expected =
        switch (mistake) {
          case NONE -> Set.of();
          case OVERWRITES -> Set.of(ONCE, MARK_ONCE, RECORD_RACE);
          case CHECK_THEN_RECORD -> Set.of(RECORD_RACE);
          case KEYED_BY_EVENT_ID -> Set.of(PROVIDERS, UNKNOWN);
          case IDS_IGNORE_CASE -> Set.of(PROVIDERS, UNKNOWN);
          case CUTS_PAYLOAD_AT_64_KIB -> Set.of(EXACT);
          case TIMES_TO_THE_MILLISECOND -> Set.of(EXACT, MARK_ONCE);
          case TIMES_ROUNDED -> Set.of(EXACT, MARK_ONCE);
          case MARKS_AGAIN -> Set.of(MARK_ONCE, MARK_RACE);
          case CHECK_THEN_MARK -> Set.of(MARK_RACE);
          case CHECKS_ONLY_STORED_EVENTS -> Set.of(REFUSED);
        };
    assertThat(with(mistake).failed()).isEqualTo(expected);
  }
}
