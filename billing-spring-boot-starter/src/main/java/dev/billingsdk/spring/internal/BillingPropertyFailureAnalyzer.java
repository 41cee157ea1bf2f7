package dev.billingsdk.spring.internal;

import dev.billingsdk.spring.BillingPropertyException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a refused {@code billing.*} property into Spring Boot's start-up failure report. */
public final class BillingPropertyFailureAnalyzer
    extends AbstractFailureAnalyzer<BillingPropertyException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, BillingPropertyException cause) {
    return new FailureAnalysis(
        "Billing cannot start: " + cause.getMessage(),
        "Correct " + cause.property() + " (" + cause.reason() + "); see docs/spring-boot.md.",
        cause);
  }
}
