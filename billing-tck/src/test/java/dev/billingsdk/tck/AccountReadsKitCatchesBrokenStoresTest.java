package dev.billingsdk.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.tck.KitCatchesBrokenStoresTest.Run;
import dev.billingsdk.tck.MisreadingStore.Misread;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The account-reads kit must be able to fail: on stores that list categories or find keys the way
 * hand-written queries get them wrong it reports the rules they break, and only rules of its own
 * family; on correct stores it reports nothing.
 */
class AccountReadsKitCatchesBrokenStoresTest {

  private static final String CATEGORIES =
      "required_grantCategoriesListEveryCategoryEverHeldInFirstGrantOrder";
  private static final String KEY_FINDS_EXACTLY =
      "required_anExternalKeyFindsItsAccountExactlyAndOnlyInItsTenant";
  private static final String KEY_UNIQUE =
      "required_anExternalKeyIsUniquePerTenantAndReopeningKeepsIt";
  private static final String KEY_RACE = "required_accountsRacingForOneKeyLeaveExactlyOneHolder";

  private static Run run(Class<?> kit) {
    return KitCatchesBrokenStoresTest.run("junit-jupiter", kit);
  }

  private static synchronized Run misreading(Misread misread) {
    BrokenAccountReadsKits.misread = misread;
    return run(BrokenAccountReadsKits.Misreading.class);
  }

  /** Every rule of the kit, by test name. */
  private static Set<String> rules() {
    Set<String> names = new TreeSet<>();
    for (Class<?> group : AccountReadsTck.class.getDeclaredClasses()) {
      for (Method m : group.getDeclaredMethods()) {
        if (m.isAnnotationPresent(Test.class)) {
          names.add(m.getName());
        }
      }
    }
    return names;
  }

  @Test
  @DisplayName("the kit has the four rules this test names")
  void theKitHasTheRulesNamedHere() {
    assertThat(rules())
        .containsExactlyInAnyOrder(CATEGORIES, KEY_FINDS_EXACTLY, KEY_UNIQUE, KEY_RACE);
  }

  @Test
  @DisplayName("correct stores pass every rule: the in-memory store and a plain map store")
  void correctStoresPass() {
    for (Run run :
        new Run[] {misreading(Misread.NONE), run(BrokenAccountReadsKits.Correct.class)}) {
      assertThat(run.failed()).isEmpty();
      assertThat(run.succeeded()).isEqualTo(4);
    }
  }

  @ParameterizedTest
  @EnumSource(value = Misread.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
  @DisplayName("each misread is caught by its rule, and by no other")
  void everyMisreadIsCaughtByItsRule(Misread misread) {
    Set<String> expected =
        switch (misread) {
          case NONE -> Set.of();
          case CATEGORIES_BY_NAME, CATEGORY_PER_GRANT -> Set.of(CATEGORIES);
          case KEY_AS_PREFIX -> Set.of(KEY_FINDS_EXACTLY);
        };
    assertThat(misreading(misread).failed()).isEqualTo(expected);
  }

  @Test
  @DisplayName("categories of live grants only fail the category rule")
  void forgottenSpentCategoriesAreCaught() {
    assertThat(run(BrokenAccountReadsKits.ForgetsSpentCategories.class).failed())
        .isEqualTo(Set.of(CATEGORIES));
  }

  @Test
  @DisplayName("external keys looked up across tenants fail the key rules")
  void keysAcrossTenantsAreCaught() {
    assertThat(run(BrokenAccountReadsKits.KeysIgnoreTheTenant.class).failed())
        .isEqualTo(Set.of(KEY_FINDS_EXACTLY, KEY_UNIQUE));
  }

  @Test
  @DisplayName("external keys scanned ignoring case fail the key rules")
  void keysIgnoringCaseAreCaught() {
    assertThat(run(BrokenAccountReadsKits.KeysIgnoreCase.class).failed())
        .isEqualTo(Set.of(KEY_FINDS_EXACTLY, KEY_UNIQUE));
  }

  @Test
  @DisplayName("a key checked free and then claimed in a second step fails the race rule")
  void aKeyClaimedInTwoStepsIsCaught() {
    // The broken store pauses between the check and the claim, so racers nearly always meet in
    // that window; a race is still a race, so the kit gets up to five runs to catch it.
    Set<String> failed = new TreeSet<>();
    for (int runs = 0; runs < 5 && failed.isEmpty(); runs++) {
      failed.addAll(run(BrokenAccountReadsKits.ClaimsKeysInTwoSteps.class).failed());
    }
    assertThat(failed).isEqualTo(Set.of(KEY_RACE));
  }
}
