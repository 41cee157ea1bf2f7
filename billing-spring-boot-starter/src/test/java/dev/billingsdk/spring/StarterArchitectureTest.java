package dev.billingsdk.spring;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The starter is a host like any other: it reaches the library through its API and SPI, never
 * through another module's implementation packages.
 */
class StarterArchitectureTest {
  private static final JavaClasses STARTER =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.billingsdk.spring");

  @Test
  void noOtherModulesImplementation() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAPackage("dev.billingsdk.spring..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "dev.billingsdk.internal..",
                "dev.billingsdk.jdbc.internal..",
                "dev.billingsdk.stripe.internal..",
                "dev.billingsdk.flutterwave.internal..",
                "dev.billingsdk.export.internal..",
                "dev.billingsdk.micrometer.internal..");
    rule.check(STARTER);
  }

  @Test
  void theOptionalAdaptersAreReachedOnlyFromTheirGuardedParts() {
    // billing-stripe, billing-flutterwave and billing-micrometer may be absent from a host: only
    // the classes loaded behind @ConditionalOnClass may name them.
    noClasses()
        .that()
        .resideInAPackage("dev.billingsdk.spring..")
        .and()
        .doNotHaveSimpleName("Providers")
        .and()
        .doNotHaveSimpleName("MetricsParts")
        .and()
        .doNotHaveFullyQualifiedName("dev.billingsdk.spring.BillingAutoConfiguration$Metrics")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.billingsdk.stripe..",
            "dev.billingsdk.flutterwave..",
            "dev.billingsdk.micrometer..")
        .check(STARTER);
  }
}
