package dev.billingsdk.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.tck.BrokenTopUpStore.Mistake;
import dev.billingsdk.tck.KitCatchesBrokenStoresTest.Run;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The top-up kit must be able to fail: each mistake a hand-written top-up store makes is reported
 * by the rule about it; a correct store passes every rule.
 */
class TopUpKitCatchesBrokenStoresTest {

  private static final String EXACT = "required_aRuleReadsBackExactlyAndOnePerAccount";
  private static final String VERSION = "required_aWriteAppliesOnlyToTheVersionItWasDecidedOn";
  private static final String RACE = "required_workersRacingToClaimTheNextTopUpLeaveExactlyOne";

  private static synchronized Run with(Mistake mistake) {
    BrokenTopUpKits.mistake = mistake;
    return KitCatchesBrokenStoresTest.run("junit-jupiter", BrokenTopUpKits.Broken.class);
  }

  @Test
  @DisplayName("the kit has the three rules this test names")
  void theKitHasTheRulesNamedHere() {
    Set<String> names = new TreeSet<>();
    for (Class<?> group : TopUpStoreTck.class.getDeclaredClasses()) {
      for (Method m : group.getDeclaredMethods()) {
        if (m.isAnnotationPresent(Test.class)) {
          names.add(m.getName());
        }
      }
    }
    assertThat(names).containsExactlyInAnyOrder(EXACT, VERSION, RACE);
  }

  @Test
  @DisplayName("a correct store passes every rule")
  void correctStorePasses() {
    Run run = with(Mistake.NONE);
    assertThat(run.failed()).isEmpty();
    assertThat(run.succeeded()).isEqualTo(3);
  }

  @ParameterizedTest
  @EnumSource(value = Mistake.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
  @DisplayName("each mistake is caught by its rule")
  void everyMistakeIsCaught(Mistake mistake) {
    Set<String> expected =
        switch (mistake) {
          case NONE -> Set.of();
          case IGNORES_VERSION -> Set.of(VERSION, RACE);
          case CHECK_THEN_SAVE -> Set.of(RACE);
          case UPSERTS -> Set.of(EXACT, RACE);
          case DROPS_PENDING -> Set.of(EXACT, VERSION);
        };
    assertThat(with(mistake).failed()).isEqualTo(expected);
  }
}
