package dev.billingsdk.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.billingsdk.internal.credit.CreditService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency direction between modules (docs/architecture.md): adapters and programs depend on
 * core's API and SPI, never on {@code dev.billingsdk.internal}; core depends on no adapter. This
 * module sees every other module's classes (the TCK and the benchmarks through the {@code
 * architecture-rules} profile of its pom), so the rules live here.
 */
class ArchitectureTest {

  /** Every package that lives outside billing-core. */
  static final String[] OUTSIDE_CORE = {
    "dev.billingsdk.jdbc..",
    "dev.billingsdk.stripe..",
    "dev.billingsdk.flutterwave..",
    "dev.billingsdk.export..",
    "dev.billingsdk.micrometer..",
    "dev.billingsdk.bench..",
    "dev.billingsdk.examples..",
    "dev.billingsdk.tck..",
    "dev.billingsdk.testkit.."
  };

  static final ArchRule NOTHING_OUTSIDE_CORE_USES_INTERNAL =
      noClasses()
          .that()
          .resideInAnyPackage(OUTSIDE_CORE)
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.billingsdk.internal..")
          .because("internal classes are not an API and may change in any release");

  // Core is "dev.billingsdk.. minus the adapters", so that a new core package is covered at once.
  static final ArchRule CORE_DEPENDS_ON_NO_ADAPTER =
      noClasses()
          .that()
          .resideInAPackage("dev.billingsdk..")
          .and()
          .resideOutsideOfPackages(OUTSIDE_CORE)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(OUTSIDE_CORE)
          .because("adapters depend on core, never the other way (docs/architecture.md)");

  static final ArchRule CORE_HAS_NO_JDBC_AND_NO_HTTP =
      noClasses()
          .that()
          .resideInAPackage("dev.billingsdk..")
          .and()
          .resideOutsideOfPackages(OUTSIDE_CORE)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("java.sql..", "javax.sql..", "java.net.http..")
          .because("core has no JDBC and no HTTP; adapters bring them (docs/architecture.md)");

  static final ArchRule STORAGE_ADAPTER_DEPENDS_ON_NO_PAYMENT_ADAPTER =
      noClasses()
          .that()
          .resideInAPackage("dev.billingsdk.jdbc..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.billingsdk.stripe..", "dev.billingsdk.flutterwave..")
          .because(
              "a storage adapter depends on nothing but core and its driver (docs/architecture.md)");

  private static JavaClasses production;

  @BeforeAll
  static void importProductionClasses() {
    // Main classes of every module on the test classpath; test classes (including the fixture
    // below, which breaks the rules on purpose) stay out.
    production =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.billingsdk");
  }

  @Test
  void the_import_sees_core_and_the_modules_outside_it() {
    // Guards against a rule passing because the classes it should judge were never imported.
    assertThat(production.contain(CreditService.class)).isTrue();
    assertThat(production.contain(QuickStart.class)).isTrue();
    assertThat(
            production.stream().anyMatch(c -> c.getPackageName().startsWith("dev.billingsdk.tck")))
        .as("billing-tck's classes are on the test classpath (architecture-rules profile)")
        .isTrue();
    assertThat(
            production.stream()
                .anyMatch(c -> c.getPackageName().startsWith("dev.billingsdk.testkit")))
        .as("billing-testkit's classes are on the test classpath")
        .isTrue();
    assertThat(
            production.stream()
                .anyMatch(c -> c.getPackageName().startsWith("dev.billingsdk.micrometer")))
        .as("billing-micrometer's classes are on the test classpath")
        .isTrue();
  }

  @Test
  void nothing_outside_core_uses_internal() {
    NOTHING_OUTSIDE_CORE_USES_INTERNAL.check(production);
  }

  @Test
  void core_depends_on_no_adapter() {
    CORE_DEPENDS_ON_NO_ADAPTER.check(production);
  }

  @Test
  void core_has_no_jdbc_and_no_http() {
    CORE_HAS_NO_JDBC_AND_NO_HTTP.check(production);
  }

  @Test
  void storage_adapter_depends_on_no_payment_adapter() {
    STORAGE_ADAPTER_DEPENDS_ON_NO_PAYMENT_ADAPTER.check(production);
  }

  /** A rule that cannot fail is a defect: this one must catch a class that reaches inside. */
  @Test
  void the_internal_rule_catches_a_violation() {
    JavaClasses fixture = new ClassFileImporter().importClasses(ReachesIntoInternals.class);

    assertThat(NOTHING_OUTSIDE_CORE_USES_INTERNAL.evaluate(fixture).hasViolation()).isTrue();
  }

  /** Breaks the rule on purpose; it lives in test code, which the real check does not import. */
  static final class ReachesIntoInternals {
    @SuppressWarnings("unused")
    private CreditService service;
  }
}
