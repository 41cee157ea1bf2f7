package dev.billingsdk.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.tck.BrokenRevenueStore.Mistake;
import dev.billingsdk.tck.KitCatchesBrokenStoresTest.Run;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The revenue kit must be able to fail: each mistake a hand-written revenue store makes is reported
 * by the rule about it; a correct store passes every rule.
 */
class RevenueKitCatchesBrokenStoresTest {

  private static final String READS = "required_consumptionIsTheDebitsAndReversalsInRangeInOrder";
  private static final String GRANTS = "required_grantsReadBackExactlyWithinTheirTenant";
  private static final String REGISTRY =
      "required_publicationsReadBackByModuleThenTimeAndTheFirstStays";
  private static final String REGISTRY_RACE =
      "required_publishersRacingForOneInstantLeaveOneWinner";
  private static final String PAYOUT = "required_aPayoutReadsBackExactlyAndIsWrittenOnce";
  private static final String PAYOUT_RACE =
      "required_payoutsRacingThroughTwoInstancesLeaveOneWinner";

  private static synchronized Run with(Mistake mistake) {
    BrokenRevenueKits.mistake = mistake;
    return KitCatchesBrokenStoresTest.run("junit-jupiter", BrokenRevenueKits.Broken.class);
  }

  @Test
  @DisplayName("the kit has the six rules this test names")
  void theKitHasTheRulesNamedHere() {
    Set<String> names = new TreeSet<>();
    for (Class<?> group : RevenueStoreTck.class.getDeclaredClasses()) {
      for (Method m : group.getDeclaredMethods()) {
        if (m.isAnnotationPresent(Test.class)) {
          names.add(m.getName());
        }
      }
    }
    assertThat(names)
        .containsExactlyInAnyOrder(READS, GRANTS, REGISTRY, REGISTRY_RACE, PAYOUT, PAYOUT_RACE);
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
          case UNTIL_INCLUSIVE, CURSOR_INCLUSIVE, REVERSAL_WITHOUT_DEBIT -> Set.of(READS);
          case GRANTS_ACROSS_TENANTS -> Set.of(GRANTS);
          case LAST_PUBLICATION_WINS -> Set.of(REGISTRY, REGISTRY_RACE);
          case PAYOUT_OVERWRITES -> Set.of(PAYOUT, PAYOUT_RACE);
          case PAYOUT_CHECK_THEN_INSERT -> Set.of(PAYOUT_RACE);
        };
    assertThat(with(mistake).failed()).isEqualTo(expected);
  }
}
