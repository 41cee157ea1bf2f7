package dev.billingsdk;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.billingsdk.setup.Billing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules of {@link ArchitectureTest} are not vacuous: each catches a deliberate violation kept
 * in the test sources (which the real check does not import), and the main code passes them.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ArchitectureRulesCanFailTest {

  static JavaClasses fixture(String name) throws ClassNotFoundException {
    return new ClassFileImporter().importClasses(Class.forName(name));
  }

  @Test
  void a_core_class_using_JDBC_breaks_the_no_database_rule() throws Exception {
    JavaClasses violator = fixture("dev.billingsdk.ledger.ArchFixtureLedgerUsingJdbc");

    assertThatThrownBy(
            () ->
                ArchitectureTest.core_uses_no_database_http_or_payment_provider_packages.check(
                    violator))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("java.sql.Connection");
  }

  @Test
  void a_credit_class_using_the_internal_services_breaks_the_internal_rules() throws Exception {
    JavaClasses classes =
        new ClassFileImporter()
            .importClasses(
                Class.forName("dev.billingsdk.credit.ArchFixtureCreditUsingInternal"),
                dev.billingsdk.internal.credit.CreditService.class);

    assertThatThrownBy(
            () ->
                ArchitectureTest.internal_services_are_used_only_by_setup_and_themselves.check(
                    classes))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("ArchFixtureCreditUsingInternal");
    assertThatThrownBy(
            () ->
                ArchitectureTest.internal_services_are_accessed_only_by_setup_and_themselves.check(
                    classes))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("ArchFixtureCreditUsingInternal");
  }

  @Test
  void a_money_class_using_credit_breaks_the_money_rule() throws Exception {
    JavaClasses violator = fixture("dev.billingsdk.money.ArchFixtureMoneyUsingCredit");

    assertThatThrownBy(
            () ->
                ArchitectureTest.money_depends_on_nothing_of_the_library_but_the_root_package.check(
                    violator))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("dev.billingsdk.credit.GrantCategory");
  }

  @Test
  void two_packages_that_depend_on_each_other_break_the_no_cycles_rule() throws Exception {
    JavaClasses cycle =
        new ClassFileImporter()
            .importClasses(
                Class.forName("dev.billingsdk.spi.ArchFixtureSpiUsingEvent"),
                Class.forName("dev.billingsdk.event.ArchFixtureEventUsingSpi"));

    assertThatThrownBy(() -> ArchitectureTest.no_package_has_cycles_the_root_included.check(cycle))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Cycle detected: Slice dev.billingsdk.event");
  }

  @Test
  void the_root_package_using_an_internal_service_breaks_the_cycle_and_root_rules()
      throws Exception {
    // The cycle Billing made while it lived in the root package: root -> internal.credit (the
    // wiring) -> root (the ids every service uses).
    JavaClasses cycle =
        new ClassFileImporter()
            .importClasses(
                Class.forName("dev.billingsdk.ArchFixtureRootWiringInternal"),
                dev.billingsdk.internal.credit.CreditService.class,
                AccountId.class);

    assertThatThrownBy(() -> ArchitectureTest.no_package_has_cycles_the_root_included.check(cycle))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Cycle detected: Slice dev.billingsdk ->")
        .hasMessageContaining("dev.billingsdk.internal.credit");
    assertThatThrownBy(
            () ->
                ArchitectureTest.the_root_package_depends_on_no_other_package_of_the_library.check(
                    cycle))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("ArchFixtureRootWiringInternal");
    // The rule as it was, slicing only the packages below the root, let this cycle through.
    slices().matching("dev.billingsdk.(*)..").should().beFreeOfCycles().check(cycle);
  }

  @Test
  void a_long_internal_class_breaks_the_size_rule(@TempDir Path sources) throws Exception {
    Path internal = Files.createDirectories(sources.resolve("dev/billingsdk/internal/credit"));
    Files.write(internal.resolve("Long.java"), lines("Long", InternalClassSizeTest.MAX_LINES + 1));
    Files.write(
        internal.resolve("AtTheLimit.java"), lines("AtTheLimit", InternalClassSizeTest.MAX_LINES));

    assertThat(InternalClassSizeTest.longerThanTheLimit(sources))
        .containsOnlyKeys(Path.of("dev/billingsdk/internal/credit/Long.java"));
    assertThatThrownBy(() -> InternalClassSizeTest.check(sources))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Long.java")
        .hasMessageContaining("551");
  }

  /** A source file of exactly {@code count} lines. */
  private static List<String> lines(String className, int count) {
    List<String> lines = new ArrayList<>();
    lines.add("package dev.billingsdk.internal.credit;");
    while (lines.size() < count - 1) {
      lines.add("// filler");
    }
    lines.add("final class " + className + " {}");
    return lines;
  }

  @Test
  void the_main_code_imports_and_passes_every_rule() {
    JavaClasses main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.billingsdk");

    assertThat(main.contain(Billing.class)).isTrue();
    assertThat(main.stream().map(c -> c.getSimpleName()))
        .doesNotContain("ArchFixtureMoneyUsingCredit", "ArchFixtureRootWiringInternal");
    ArchitectureTest.core_uses_no_database_http_or_payment_provider_packages.check(main);
    ArchitectureTest.internal_services_are_used_only_by_setup_and_themselves.check(main);
    ArchitectureTest.internal_services_are_accessed_only_by_setup_and_themselves.check(main);
    ArchitectureTest.money_depends_on_nothing_of_the_library_but_the_root_package.check(main);
    ArchitectureTest.no_package_has_cycles_the_root_included.check(main);
    ArchitectureTest.the_root_package_depends_on_no_other_package_of_the_library.check(main);
  }
}
