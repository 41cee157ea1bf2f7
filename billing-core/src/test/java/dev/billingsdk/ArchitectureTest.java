package dev.billingsdk;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The dependency rules of DESIGN.md for core's main code: no JDBC, no HTTP, no provider names. */
@AnalyzeClasses(packages = "dev.billingsdk", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule core_uses_no_database_http_or_payment_provider_packages =
      noClasses()
          .that()
          .resideInAPackage("dev.billingsdk..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "java.sql..",
              "javax.sql..",
              "java.net.http..",
              "com.stripe..",
              "..flutterwave..",
              "..jdbc..");

  @ArchTest
  static final ArchRule internal_services_are_used_only_by_setup_and_themselves =
      classes()
          .that()
          .resideInAPackage("dev.billingsdk.internal..")
          .should()
          .onlyHaveDependentClassesThat()
          .resideInAnyPackage("dev.billingsdk.setup", "dev.billingsdk.internal..");

  @ArchTest
  static final ArchRule internal_services_are_accessed_only_by_setup_and_themselves =
      classes()
          .that()
          .resideInAPackage("dev.billingsdk.internal..")
          .should()
          .onlyBeAccessed()
          .byClassesThat()
          .resideInAnyPackage("dev.billingsdk.setup", "dev.billingsdk.internal..");

  /**
   * The packages below the root (setup, credit, ledger, event, spi, metering, money, memory,
   * internal) do not depend on each other in a circle.
   */
  @ArchTest
  static final ArchRule the_capability_packages_have_no_cycles =
      slices().matching("dev.billingsdk.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule money_depends_on_nothing_of_the_library_but_the_root_package =
      noClasses()
          .that()
          .resideInAPackage("dev.billingsdk.money..")
          .should()
          .dependOnClassesThat(
              resideInAPackage("dev.billingsdk..")
                  .and(not(resideInAnyPackage("dev.billingsdk", "dev.billingsdk.money.."))));
}
