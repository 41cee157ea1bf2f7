package dev.billingsdk.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.tck.KitCatchesBrokenStoresTest.Run;
import dev.billingsdk.tck.LossyStore.Loss;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The hostile-input kit must be able to fail: behind a driver that loses characters outside the
 * BMP, microseconds, case or trailing spaces it reports the rules that loss breaks, and behind no
 * loss it reports nothing. The refusals are core's, so they pass whatever the store does.
 */
class HostileKitCatchesLossyStoresTest {

  private static synchronized Run[] run(Loss loss) {
    BrokenHostileKits.loss = loss;
    return new Run[] {
      KitCatchesBrokenStoresTest.run("junit-jupiter", BrokenHostileKits.Switched.class),
      KitCatchesBrokenStoresTest.run("jqwik", BrokenHostileKits.SwitchedProperties.class)
    };
  }

  private static Set<String> rulesOf(Class<?> group) {
    Set<String> names = new TreeSet<>();
    for (Method m : group.getDeclaredMethods()) {
      if (m.isAnnotationPresent(Test.class)) {
        names.add(m.getName());
      }
    }
    return names;
  }

  @Test
  void aStoreThatLosesNothingPassesEveryRuleAndProperty() {
    Run[] runs = run(Loss.NONE);
    assertThat(runs[0].failed()).isEmpty();
    assertThat(runs[0].succeeded()).isEqualTo(16);
    assertThat(runs[1].failed()).isEmpty();
    assertThat(runs[1].succeeded()).isEqualTo(4);
  }

  @ParameterizedTest
  @EnumSource(value = Loss.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
  void everyLossIsCaughtByItsRulesAndNeverByTheRefusals(Loss loss) {
    Run[] runs = run(loss);
    Set<String> failed = new TreeSet<>(runs[0].failed());
    failed.addAll(runs[1].failed());
    assertThat(failed).containsAll(expected(loss));
    assertThat(failed).doesNotContainAnyElementsOf(rulesOf(HostileInputTck.Refusals.class));
  }

  private static Set<String> expected(Loss loss) {
    return switch (loss) {
      case NONE -> Set.of();
      case SUPPLEMENTARY_AS_QUESTION_MARK ->
          Set.of(
              "required_idsThatDifferOnlyInLookalikeWaysAreSeparateAccounts",
              "required_lookalikeIdempotencyKeysNeverCollide",
              "required_idsKeysAndActorsAtTheLongestAreKeptByteForByte",
              "required_reasonsNamesAndMetadataAreKeptByteForByteTrailingSpacesIncluded",
              "required_referencesAreKeptByteForByte",
              "required_lookalikeEventIdsMeterKeysAndDimensionValuesStayApartAndAreKept",
              "required_generatedHostileTextIsKeptByteForByte",
              "required_lookalikeIdsAndKeysStayApart");
      case MILLISECOND_INSTANTS ->
          Set.of(
              "required_edgeInstantsAreKeptAsEffectiveTimesExpiriesAndRecordingTimes",
              "required_finerThanAMicrosecondIsDroppedTheSameWayOnEveryStore",
              "required_grantsOneMicrosecondApartPayInTheSameOrderAsInMemory",
              "required_usageTimesAtTheContractsEdgesAreKeptExactly",
              "required_generatedInstantsAreKeptToTheMicrosecond");
      case CASE_FOLDED_KEYS ->
          Set.of(
              "required_idsThatDifferOnlyInLookalikeWaysAreSeparateAccounts",
              "required_lookalikeIdempotencyKeysNeverCollide",
              "required_lookalikeEventIdsMeterKeysAndDimensionValuesStayApartAndAreKept",
              "required_generatedHostileTextIsKeptByteForByte",
              "required_lookalikeIdsAndKeysStayApart");
      case TRIMMED_TEXT ->
          Set.of(
              "required_reasonsNamesAndMetadataAreKeptByteForByteTrailingSpacesIncluded",
              "required_referencesAreKeptByteForByte",
              "required_generatedHostileTextIsKeptByteForByte");
    };
  }
}
