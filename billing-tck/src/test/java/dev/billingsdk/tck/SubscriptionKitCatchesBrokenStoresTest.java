package dev.billingsdk.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.tck.BrokenSubscriptionStore.Mistake;
import dev.billingsdk.tck.KitCatchesBrokenStoresTest.Run;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The subscription kit must be able to fail: each mistake a hand-written subscription store makes
 * is reported by the rule about it; a correct store passes every rule.
 */
class SubscriptionKitCatchesBrokenStoresTest {

  private static final String EXACT = "required_aSubscriptionAndItsChangesReadBackExactly";
  private static final String ONCE = "required_anIdIsTakenOncePerTenantAndTheFirstStays";
  private static final String VERSION = "required_aChangeAppliesOnlyToItsVersionAndACauseOnce";
  private static final String RACE = "required_writersRacingForOneVersionLeaveExactlyOneWinner";
  private static final String DUE = "required_theDueListHoldsExactlyWhatIsDueInOrder";

  private static synchronized Run with(Mistake mistake) {
    BrokenSubscriptionKits.mistake = mistake;
    return KitCatchesBrokenStoresTest.run("junit-jupiter", BrokenSubscriptionKits.Broken.class);
  }

  @Test
  @DisplayName("the kit has the five rules this test names")
  void theKitHasTheRulesNamedHere() {
    Set<String> names = new TreeSet<>();
    for (Class<?> group : SubscriptionStoreTck.class.getDeclaredClasses()) {
      for (Method m : group.getDeclaredMethods()) {
        if (m.isAnnotationPresent(Test.class)) {
          names.add(m.getName());
        }
      }
    }
    assertThat(names).containsExactlyInAnyOrder(EXACT, ONCE, VERSION, RACE, DUE);
  }

  @Test
  @DisplayName("a correct store passes every rule")
  void correctStorePasses() {
    Run run = with(Mistake.NONE);
    assertThat(run.failed()).isEmpty();
    assertThat(run.succeeded()).isEqualTo(5);
  }

  @ParameterizedTest
  @EnumSource(value = Mistake.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
  @DisplayName("each mistake is caught by its rule")
  void everyMistakeIsCaught(Mistake mistake) {
    Set<String> expected =
        switch (mistake) {
          case NONE -> Set.of();
          case OVERWRITES_ON_CREATE -> Set.of(ONCE);
          case IGNORES_VERSION -> Set.of(VERSION, RACE);
          case CAUSE_TWICE -> Set.of(VERSION);
          case CHECK_THEN_UPDATE -> Set.of(RACE);
          case DUE_INCLUDES_FINAL -> Set.of(DUE);
          case DUE_BY_ID -> Set.of(DUE);
          case DROPS_ZONE -> Set.of(EXACT, ONCE, VERSION, DUE);
        };
    assertThat(with(mistake).failed()).isEqualTo(expected);
  }
}
