package dev.billingsdk.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.tck.BrokenInvoiceApplicationKits.Misread;
import dev.billingsdk.tck.KitCatchesBrokenStoresTest.Run;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The invoice-applications kit must be able to fail: on stores whose look-up finds nothing, lists
 * newest first, compares ids loosely or takes any reference for the invoice's, it reports the rules
 * they break; on a correct store it reports nothing.
 */
class InvoiceApplicationsKitCatchesBrokenStoresTest {

  private static final String LISTED = "required_anInvoicesApplicationsAreListedOldestFirst";
  private static final String EXACT =
      "required_onlyTheAccountsOwnApplicationsOfThatVeryInvoiceAreListed";
  private static final String RACE =
      "required_applicationsRacingUnderDifferentKeysCreditTheInvoiceOnce";

  private static synchronized Run misreading(Misread misread) {
    BrokenInvoiceApplicationKits.misread = misread;
    return KitCatchesBrokenStoresTest.run(
        "junit-jupiter", BrokenInvoiceApplicationKits.Misreading.class);
  }

  @Test
  @DisplayName("the kit has the three rules this test names")
  void theKitHasTheRulesNamedHere() {
    Set<String> names = new TreeSet<>();
    for (Class<?> group : InvoiceApplicationsTck.class.getDeclaredClasses()) {
      for (Method m : group.getDeclaredMethods()) {
        if (m.isAnnotationPresent(Test.class)) {
          names.add(m.getName());
        }
      }
    }
    assertThat(names).containsExactlyInAnyOrder(LISTED, EXACT, RACE);
  }

  @Test
  @DisplayName("the in-memory store passes every rule")
  void theCorrectStorePasses() {
    Run run = misreading(Misread.NONE);
    assertThat(run.failed()).isEmpty();
    assertThat(run.succeeded()).isEqualTo(3);
  }

  @ParameterizedTest
  @EnumSource(value = Misread.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
  @DisplayName("each misread is caught by the rules it breaks, and by no other")
  void everyMisreadIsCaught(Misread misread) {
    Set<String> expected =
        switch (misread) {
          case NONE -> Set.of();
          case NOTHING -> Set.of(LISTED, EXACT, RACE);
          case NEWEST_FIRST -> Set.of(LISTED);
          case IGNORES_CASE, ANY_REFERENCE -> Set.of(EXACT);
        };
    assertThat(misreading(misread).failed()).isEqualTo(expected);
  }
}
