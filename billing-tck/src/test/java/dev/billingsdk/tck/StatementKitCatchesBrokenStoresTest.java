package dev.billingsdk.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.tck.BrokenStatementStore.Mistake;
import dev.billingsdk.tck.KitCatchesBrokenStoresTest.Run;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The statement kit must be able to fail: each mistake a hand-written statement store makes is
 * reported by the rule about it; a correct store passes every rule.
 */
class StatementKitCatchesBrokenStoresTest {

  private static final String EXACT = "required_aClosedStatementReadsBackFieldForField";
  private static final String RACE = "required_aMonthIsStoredOnceEvenByRacingInstances";
  private static final String LATEST = "required_theLatestClosedBeforeAMonthIsTheNewestEarlierOne";
  private static final String WINDOW =
      "required_aWindowHoldsItsMonthAndTheLateTransactionsAfterTheWatermark";
  private static final String BALANCE = "required_theBalanceBeforeAnInstantSumsTheAccountsPostings";
  private static final String ACCOUNTS = "required_accountsPageInIdOrderWithinTheTenant";
  private static final String USAGE =
      "required_usageCellsSumTheWindowsRatedLinesByMeterDimensionsAndHour";

  private static synchronized Run with(Mistake mistake) {
    BrokenStatementKits.mistake = mistake;
    return KitCatchesBrokenStoresTest.run("junit-jupiter", BrokenStatementKits.Broken.class);
  }

  @Test
  @DisplayName("the kit has the seven rules this test names")
  void theKitHasTheRulesNamedHere() {
    Set<String> names = new TreeSet<>();
    for (Class<?> group : StatementStoreTck.class.getDeclaredClasses()) {
      for (Method m : group.getDeclaredMethods()) {
        if (m.isAnnotationPresent(Test.class)) {
          names.add(m.getName());
        }
      }
    }
    assertThat(names)
        .containsExactlyInAnyOrder(EXACT, RACE, LATEST, WINDOW, BALANCE, ACCOUNTS, USAGE);
  }

  @Test
  @DisplayName("a correct store passes every rule")
  void correctStorePasses() {
    Run run = with(Mistake.NONE);
    assertThat(run.failed()).isEmpty();
    assertThat(run.succeeded()).isEqualTo(7);
  }

  @ParameterizedTest
  @EnumSource(value = Mistake.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
  @DisplayName("each mistake is caught by its rule")
  void everyMistakeIsCaught(Mistake mistake) {
    Set<String> expected =
        switch (mistake) {
          case NONE -> Set.of();
          case OVERWRITES_CLOSED, CHECK_THEN_INSERT -> Set.of(RACE);
          case LOSES_LATE_MONTH -> Set.of(EXACT, RACE);
          case LATEST_INCLUDES_MONTH -> Set.of(LATEST);
          case IGNORES_WATERMARK -> Set.of(WINDOW);
          case BALANCE_IGNORES_BOUND -> Set.of(BALANCE);
          case USAGE_BY_DAY -> Set.of(USAGE);
          case ACCOUNTS_REVERSED -> Set.of(ACCOUNTS);
        };
    assertThat(with(mistake).failed()).isEqualTo(expected);
  }
}
