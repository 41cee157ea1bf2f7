package dev.billingsdk.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.tck.BrokenEconomyStore.Mistake;
import dev.billingsdk.tck.KitCatchesBrokenStoresTest.Run;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The economy kit must be able to fail: each mistake a hand-written economy store makes is reported
 * by the rule about it; a correct store passes every rule.
 */
class EconomyKitCatchesBrokenStoresTest {

  private static final String EXACT = "required_settingsVersionsReadBackExactlyAsAdded";
  private static final String REFUSED = "required_aTakenOrSkippedVersionIsRefusedAndNothingChanges";
  private static final String RACE = "required_writersRacingForOneVersionLeaveExactlyOneWinner";
  private static final String APART = "required_tenantsAreKeptApart";
  private static final String REF_EXACT =
      "required_aReferralReadsBackExactlyAndIsFoundByItsExactAccounts";
  private static final String ONCE = "required_aReferredAccountIsRecordedOnce";
  private static final String CAP = "required_theCapCountsRewardedReferralsPerReferrerAndMonth";
  private static final String CAP_RACE = "required_referralsRacingAtTheCapNeverExceedIt";

  private static synchronized Run with(Mistake mistake) {
    BrokenEconomyKits.mistake = mistake;
    return KitCatchesBrokenStoresTest.run("junit-jupiter", BrokenEconomyKits.Broken.class);
  }

  @Test
  @DisplayName("the kit has the eight rules this test names")
  void theKitHasTheRulesNamedHere() {
    Set<String> names = new TreeSet<>();
    for (Class<?> group : EconomyStoreTck.class.getDeclaredClasses()) {
      for (Method m : group.getDeclaredMethods()) {
        if (m.isAnnotationPresent(Test.class)) {
          names.add(m.getName());
        }
      }
    }
    assertThat(names)
        .containsExactlyInAnyOrder(EXACT, REFUSED, RACE, APART, REF_EXACT, ONCE, CAP, CAP_RACE);
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
          case OVERWRITES_SETTINGS -> Set.of(REFUSED, RACE);
          case CHECK_THEN_ADD -> Set.of(RACE);
          case DROPS_ZONE -> Set.of(EXACT, REFUSED, APART);
          case REFERRED_TWICE -> Set.of(ONCE, CAP_RACE);
          case CAP_IGNORES_MONTH -> Set.of(CAP);
          case CAP_CHECK_THEN_ACT -> Set.of(CAP_RACE);
          case TENANTS_MIXED -> Set.of(APART);
          case CASE_BLIND_IDS -> Set.of(REF_EXACT);
        };
    assertThat(with(mistake).failed()).isEqualTo(expected);
  }
}
