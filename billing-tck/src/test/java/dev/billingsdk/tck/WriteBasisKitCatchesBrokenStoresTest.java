package dev.billingsdk.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.tck.BrokenWriteBasisKits.Misread;
import dev.billingsdk.tck.KitCatchesBrokenStoresTest.Run;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The write-basis kit must be able to fail: on stores whose one-call read loses the key, scopes it
 * wrongly or tears the account, it reports the rules they break; on a correct store it reports
 * nothing.
 */
class WriteBasisKitCatchesBrokenStoresTest {

  private static final String SNAPSHOT = "required_anUnusedKeyReadsTheAccountAsLoadAccountDoes";
  private static final String MISSING_AND_TENANT =
      "required_aMissingAccountReadsEmptyAndAnotherTenantsKeyIsNotKnown";
  private static final String USED = "required_aUsedKeyReadsItsTransactionExactly";
  private static final String OTHER_ACCOUNT = "required_aKeyUsedOnAnotherAccountOfTheTenantIsKnown";
  private static final String LIST = "required_aListOfTargetsReadsWhatEachReadWould";

  private static synchronized Run misreading(Misread misread) {
    BrokenWriteBasisKits.misread = misread;
    return KitCatchesBrokenStoresTest.run("junit-jupiter", BrokenWriteBasisKits.Misreading.class);
  }

  @Test
  @DisplayName("the kit has the five rules this test names")
  void theKitHasTheRulesNamedHere() {
    Set<String> names = new TreeSet<>();
    for (Class<?> group : WriteBasisTck.class.getDeclaredClasses()) {
      for (Method m : group.getDeclaredMethods()) {
        if (m.isAnnotationPresent(Test.class)) {
          names.add(m.getName());
        }
      }
    }
    assertThat(names)
        .containsExactlyInAnyOrder(SNAPSHOT, MISSING_AND_TENANT, USED, OTHER_ACCOUNT, LIST);
  }

  @Test
  @DisplayName("the in-memory store, read through the SPI's two-call default, passes every rule")
  void theCorrectStorePasses() {
    Run run = misreading(Misread.NONE);
    assertThat(run.failed()).isEmpty();
    assertThat(run.succeeded()).isEqualTo(5);
  }

  @ParameterizedTest
  @EnumSource(value = Misread.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
  @DisplayName("each misread is caught by the rules it breaks, and by no other")
  void everyMisreadIsCaught(Misread misread) {
    Set<String> expected =
        switch (misread) {
          case NONE -> Set.of();
          case IGNORES_KEY -> Set.of(USED, OTHER_ACCOUNT);
          case KEY_PER_ACCOUNT -> Set.of(OTHER_ACCOUNT);
          case KEY_ACROSS_TENANTS -> Set.of(MISSING_AND_TENANT);
          case NO_ALERT -> Set.of(SNAPSHOT);
          case NO_RESERVATIONS -> Set.of(SNAPSHOT);
          case LIST_IGNORES_KEYS -> Set.of(LIST);
        };
    assertThat(misreading(misread).failed()).isEqualTo(expected);
  }
}
