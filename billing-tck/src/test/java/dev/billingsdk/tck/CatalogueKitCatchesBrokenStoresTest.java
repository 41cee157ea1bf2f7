package dev.billingsdk.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.tck.BrokenCatalogueStore.Mistake;
import dev.billingsdk.tck.KitCatchesBrokenStoresTest.Run;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The catalogue kit must be able to fail: each mistake a hand-written catalogue store makes is
 * reported by the rule about it; a correct store passes every rule.
 */
class CatalogueKitCatchesBrokenStoresTest {

  private static final String EXACT = "required_aVersionReadsBackExactlyAsAdded";
  private static final String EXACT_ID = "required_anItemIsFoundByItsExactIdOnly";
  private static final String ORDER = "required_versionsAreKeptInOrderAndTheLatestIsTheHighest";
  private static final String APART =
      "required_latestOfEachListsEveryItemOnceByIdAndKeepsKindsAndTenantsApart";
  private static final String REFUSED = "required_aTakenOrSkippedVersionIsRefusedAndNothingChanges";
  private static final String RACE = "required_writersRacingForOneVersionLeaveExactlyOneWinner";

  private static synchronized Run with(Mistake mistake) {
    BrokenCatalogueKits.mistake = mistake;
    return KitCatchesBrokenStoresTest.run("junit-jupiter", BrokenCatalogueKits.Broken.class);
  }

  @Test
  @DisplayName("the kit has the six rules this test names")
  void theKitHasTheRulesNamedHere() {
    Set<String> names = new TreeSet<>();
    for (Class<?> group : CatalogueStoreTck.class.getDeclaredClasses()) {
      for (Method m : group.getDeclaredMethods()) {
        if (m.isAnnotationPresent(Test.class)) {
          names.add(m.getName());
        }
      }
    }
    assertThat(names).containsExactlyInAnyOrder(EXACT, EXACT_ID, ORDER, APART, REFUSED, RACE);
  }

  @Test
  @DisplayName("a correct store passes every rule")
  void correctStorePasses() {
    Run run = with(Mistake.NONE);
    assertThat(run.failed()).isEmpty();
    assertThat(run.succeeded()).isEqualTo(6);
  }

  @ParameterizedTest
  @EnumSource(value = Mistake.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
  @DisplayName("each mistake is caught by its rule")
  void everyMistakeIsCaught(Mistake mistake) {
    Set<String> expected =
        switch (mistake) {
          case NONE -> Set.of();
          case OVERWRITES -> Set.of(REFUSED, RACE);
          case CHECK_THEN_ADD -> Set.of(RACE);
          case KINDS_MIXED -> Set.of(APART);
          case LATEST_IS_FIRST -> Set.of(ORDER, APART);
          case DROPS_PROVIDER_REFS -> Set.of(EXACT, EXACT_ID, ORDER, APART, REFUSED);
          case LOOSE_IDS -> Set.of(EXACT_ID);
        };
    assertThat(with(mistake).failed()).isEqualTo(expected);
  }
}
