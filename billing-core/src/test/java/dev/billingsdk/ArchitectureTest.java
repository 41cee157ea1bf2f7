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

/**
 * The dependency rules of docs/architecture.md for core's main code: no JDBC, no HTTP, no provider
 * names.
 */
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
   * No package of core depends on itself through others: every package is its own slice, the root
   * package and each sub-package of {@code internal} included. The root package holds the values
   * every package uses, so anything in it that used another package (as {@code Billing} used {@code
   * internal} before it moved to {@code setup}) would close a cycle.
   */
  @ArchTest
  static final ArchRule no_package_has_cycles_the_root_included =
      slices().matching("(dev.billingsdk..)").should().beFreeOfCycles();

  /** The root package is the shared vocabulary: it depends on no other package of the library. */
  @ArchTest
  static final ArchRule the_root_package_depends_on_no_other_package_of_the_library =
      noClasses()
          .that()
          .resideInAPackage("dev.billingsdk")
          .should()
          .dependOnClassesThat(
              resideInAPackage("dev.billingsdk..").and(not(resideInAPackage("dev.billingsdk"))));

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
