package dev.billingsdk.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.tck.BrokenPurchaseStore.Mistake;
import dev.billingsdk.tck.KitCatchesBrokenStoresTest.Run;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The purchase kit must be able to fail: each mistake a hand-written purchase store makes is
 * reported by the rules about it, and only by them; a correct store passes every rule.
 */
class PurchaseKitCatchesBrokenStoresTest {

  private static final String EXACT = "required_aPurchaseReadsBackExactlyAsCreated";
  private static final String FIRST_STAYS =
      "required_createIfAbsentKeepsTheFirstPurchaseOfAnIdAndChangesNothing";
  private static final String FIND_EXACT =
      "required_findByProviderRefFindsExactlyByCheckoutAndPaymentRef";
  private static final String ONE_HOLDER = "required_aProviderRefNamesOnePurchase";
  private static final String AFTER = "required_aTransitionStoresExactlyThePurchaseAfterIt";
  private static final String STALE = "required_aStaleVersionIsRefusedAndWritesNothing";
  private static final String CAUSE_ONCE = "required_aCauseIsAppliedOncePerPurchase";
  private static final String LISTED =
      "required_transitionsAreListedOldestFirstWithEveryFieldIntact";
  private static final String UNKNOWN = "required_aTransitionOfAnUnknownPurchaseIsAConflict";
  private static final String CREATE_RACE = "required_purchasesRacingToCreateOneIdLeaveOne";
  private static final String VERSION_RACE =
      "required_transitionsRacingFromOneVersionLeaveExactlyOneWinner";
  private static final String CAUSE_RACE = "required_racingDeliveriesOfOneCauseApplyItOnce";
  private static final String TENANTS = "required_otherTenantsPurchasesAreInvisible";

  private static synchronized Run with(Mistake mistake) {
    BrokenPurchaseKits.purchaseMistake = mistake;
    return KitCatchesBrokenStoresTest.run(
        "junit-jupiter", BrokenPurchaseKits.BrokenPurchases.class);
  }

  @Test
  @DisplayName("the kit has the thirteen rules this test names")
  void theKitHasTheRulesNamedHere() {
    Set<String> names = new TreeSet<>();
    for (Class<?> group : PurchaseStoreTck.class.getDeclaredClasses()) {
      for (Method m : group.getDeclaredMethods()) {
        if (m.isAnnotationPresent(Test.class)) {
          names.add(m.getName());
        }
      }
    }
    assertThat(names)
        .containsExactlyInAnyOrder(
            EXACT,
            FIRST_STAYS,
            FIND_EXACT,
            ONE_HOLDER,
            AFTER,
            STALE,
            CAUSE_ONCE,
            LISTED,
            UNKNOWN,
            CREATE_RACE,
            VERSION_RACE,
            CAUSE_RACE,
            TENANTS);
  }

  @Test
  @DisplayName("a correct store passes every rule")
  void correctStorePasses() {
    Run run = with(Mistake.NONE);
    assertThat(run.failed()).isEmpty();
    assertThat(run.succeeded()).isEqualTo(13);
  }

  @ParameterizedTest
  @EnumSource(value = Mistake.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
  @DisplayName("each mistake is caught by its rules")
  void everyMistakeIsCaught(Mistake mistake) {
    Set<String> expected =
        switch (mistake) {
          case NONE -> Set.of();
          case OVERWRITES -> Set.of(FIRST_STAYS, CREATE_RACE);
          case CHECK_THEN_CREATE -> Set.of(CREATE_RACE);
          case REF_PREFIX -> Set.of(FIND_EXACT);
          case REF_IGNORES_CASE -> Set.of(FIND_EXACT);
          case REFS_NOT_UNIQUE -> Set.of(ONE_HOLDER);
          case KEEPS_REPLACED_REFS -> Set.of(FIND_EXACT);
          case IGNORES_VERSION -> Set.of(STALE, VERSION_RACE);
          case IGNORES_CAUSE -> Set.of(CAUSE_ONCE, CAUSE_RACE);
          case CHECK_THEN_TRANSITION -> Set.of(VERSION_RACE, CAUSE_RACE);
          case REFUNDS_NOT_ADDED -> Set.of(AFTER, LISTED);
          case CUTS_LONG_NAMES -> Set.of(EXACT);
          case TRANSITIONS_LOSE_REFS -> Set.of(LISTED);
          case TRANSITIONS_NEWEST_FIRST -> Set.of(LISTED, CAUSE_ONCE, CAUSE_RACE);
          case TENANTS_MIXED -> Set.of(TENANTS);
        };
    assertThat(with(mistake).failed()).isEqualTo(expected);
  }
}
