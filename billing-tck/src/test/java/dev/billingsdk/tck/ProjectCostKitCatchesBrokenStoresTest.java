package dev.billingsdk.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.tck.BrokenProjectCostStore.Mistake;
import dev.billingsdk.tck.KitCatchesBrokenStoresTest.Run;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The project cost kit must be able to fail: each mistake a hand-written project cost store makes
 * is reported by the rule about it; a correct store passes every rule.
 */
class ProjectCostKitCatchesBrokenStoresTest {

  private static final String EXACT = "required_rowsReadBackExactlyAsImported";
  private static final String DUPLICATE = "required_aRowSentAgainIsADuplicateAndNothingChanges";
  private static final String CONFLICT = "required_aConflictNamesTheRowAndStoresNothingOfTheBatch";
  private static final String RACE = "required_importsRacingForOneRowStoreItOnce";
  private static final String RANGE =
      "required_aRangeReadsUsageStartsFromIncludedToExcludedInOrder";
  private static final String LABEL = "required_aLabelQueryMatchesExactlyThatKeyAndValue";
  private static final String SUMS = "required_sumsAreExactPerProjectNameAndCurrency";
  private static final String APART = "required_tenantsAreKeptApart";

  private static synchronized Run with(Mistake mistake) {
    BrokenProjectCostKits.mistake = mistake;
    return KitCatchesBrokenStoresTest.run("junit-jupiter", BrokenProjectCostKits.Broken.class);
  }

  @Test
  @DisplayName("the kit has the eight rules this test names")
  void theKitHasTheRulesNamedHere() {
    Set<String> names = new TreeSet<>();
    for (Class<?> group : ProjectCostStoreTck.class.getDeclaredClasses()) {
      for (Method m : group.getDeclaredMethods()) {
        if (m.isAnnotationPresent(Test.class)) {
          names.add(m.getName());
        }
      }
    }
    assertThat(names)
        .containsExactlyInAnyOrder(EXACT, DUPLICATE, CONFLICT, RACE, RANGE, LABEL, SUMS, APART);
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
  @DisplayName("each mistake is caught by its rule")
  void everyMistakeIsCaught(Mistake mistake) {
    Set<String> expected =
        switch (mistake) {
          case NONE -> Set.of();
          case OVERWRITES_CHANGED_ROWS -> Set.of(CONFLICT);
          case KEEPS_ROWS_BEFORE_A_CONFLICT -> Set.of(CONFLICT);
          case CHECK_THEN_INSERT -> Set.of(RACE);
          case STORES_BATCH_REPEATS -> Set.of(DUPLICATE, CONFLICT);
          case CLOSED_RANGE -> Set.of(RANGE);
          case CASE_BLIND_LABELS -> Set.of(LABEL);
          case SUMS_SKIP_NEGATIVE -> Set.of(SUMS);
          // Every rule compares rows read back, and the kit's instants have microseconds.
          case MILLISECOND_INSTANTS ->
              Set.of(EXACT, DUPLICATE, CONFLICT, RANGE, LABEL, SUMS, APART);
          case TENANTS_MIXED -> Set.of(APART);
        };
    assertThat(with(mistake).failed()).isEqualTo(expected);
  }
}
