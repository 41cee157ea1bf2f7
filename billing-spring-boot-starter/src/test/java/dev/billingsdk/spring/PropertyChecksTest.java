package dev.billingsdk.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.spring.internal.BillingPropertyFailureAnalyzer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A wrong {@code billing.*} value stops the start with the property's name, before any store is
 * built; a secret's value is never in what is reported.
 */
class PropertyChecksTest {
  private static int databases;

  private static ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                DataSourceAutoConfiguration.class, BillingAutoConfiguration.class))
        .withPropertyValues(
            "spring.datasource.url=" + Fixtures.h2("checks" + (++databases)),
            "billing.store.schema=apply");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "billing.store.table-prefix=Billing-       | billing.store.table-prefix",
        "billing.store.max-attempts=0              | billing.store.max-attempts",
        "billing.jobs.actor=                       | billing.jobs.actor",
        "billing.jobs.tenants=acme,acme            | billing.jobs.tenants[1]",
        "billing.jobs.deduction.interval=0s        | billing.jobs.deduction.interval",
        "billing.jobs.outbox.interval=-5s          | billing.jobs.outbox.interval",
        "billing.jobs.outbox-batch=0               | billing.jobs.outbox-batch",
        "billing.jobs.outbox-batch=10001           | billing.jobs.outbox-batch",
        "billing.webhooks.path=billing/webhooks    | billing.webhooks.path",
        "billing.webhooks.path=/hooks/             | billing.webhooks.path",
        "billing.webhooks.path=/hooks/{x}          | billing.webhooks.path",
        "billing.stripe.webhook-secrets=whsec_abc  | billing.stripe.api-key",
        "billing.flutterwave.base-uri=https://x.y  | billing.flutterwave.secret-key",
      })
  void aWrongValueStopsTheStartNamingItsProperty(String assignment, String property) {
    runner()
        .withPropertyValues(assignment)
        .run(
            context -> {
              assertThat(context).hasFailed();
              BillingPropertyException e = cause(context.getStartupFailure());
              assertThat(e.property()).isEqualTo(property);
              assertThat(e.getMessage()).startsWith("Property " + property + " = ");
            });
  }

  @Test
  void aProviderWithoutItsWebhookSecretIsRefused() {
    runner()
        .withPropertyValues("billing.stripe.api-key=sk_test_KEEPMESECRET123")
        .run(
            context -> {
              BillingPropertyException e = cause(context.getStartupFailure());
              assertThat(e.property()).isEqualTo("billing.stripe.webhook-secrets");
              assertThat(everyMessage(context.getStartupFailure())).doesNotContain("KEEPMESECRET");
            });
    runner()
        .withPropertyValues("billing.flutterwave.secret-key=FLWSECK_TEST-KEEPMESECRET123-X")
        .run(
            context -> {
              BillingPropertyException e = cause(context.getStartupFailure());
              assertThat(e.property()).isEqualTo("billing.flutterwave.webhook-secret-hash");
              assertThat(everyMessage(context.getStartupFailure())).doesNotContain("KEEPMESECRET");
            });
  }

  @Test
  void aSecretInTheWrongFormatIsNamedNeverShown() {
    runner()
        .withPropertyValues(
            "billing.stripe.api-key=pk_live_KEEPMESECRET123",
            "billing.stripe.webhook-secrets=whsec_KEEPMESECRET456")
        .run(
            context -> {
              BillingPropertyException e = cause(context.getStartupFailure());
              assertThat(e.property()).isEqualTo("billing.stripe.api-key");
              assertThat(e.getMessage()).contains("(redacted)");
              assertThat(everyMessage(context.getStartupFailure())).doesNotContain("KEEPMESECRET");
            });
    runner()
        .withPropertyValues(
            "billing.stripe.api-key=sk_test_KEEPMESECRET123",
            "billing.stripe.webhook-secrets=not-a-signing-secret-KEEPMESECRET")
        .run(
            context -> {
              BillingPropertyException e = cause(context.getStartupFailure());
              assertThat(e.property()).isEqualTo("billing.stripe.webhook-secrets[0]");
              assertThat(everyMessage(context.getStartupFailure())).doesNotContain("KEEPMESECRET");
            });
    runner()
        .withPropertyValues(
            "billing.flutterwave.secret-key=sk_test_KEEPMESECRET123",
            "billing.flutterwave.webhook-secret-hash=hash")
        .run(
            context -> {
              BillingPropertyException e = cause(context.getStartupFailure());
              assertThat(e.property()).isEqualTo("billing.flutterwave.secret-key");
              assertThat(everyMessage(context.getStartupFailure())).doesNotContain("KEEPMESECRET");
            });
  }

  @Test
  void theStartUpReportSaysWhatToCorrect() {
    runner()
        .withPropertyValues("billing.jobs.outbox-batch=0")
        .run(
            context -> {
              FailureAnalysis analysis =
                  new BillingPropertyFailureAnalyzer().analyze(context.getStartupFailure());
              assertThat(analysis).isNotNull();
              assertThat(analysis.getDescription())
                  .isEqualTo(
                      "Billing cannot start: Property billing.jobs.outbox-batch = 0: must be"
                          + " between 1 and 10000");
              assertThat(analysis.getAction())
                  .startsWith("Correct billing.jobs.outbox-batch (must be between 1 and 10000)");
            });
  }

  private static BillingPropertyException cause(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof BillingPropertyException) {
        return (BillingPropertyException) t;
      }
    }
    throw new AssertionError("no BillingPropertyException in " + failure, failure);
  }

  private static String everyMessage(Throwable failure) {
    List<String> messages = new ArrayList<>();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      messages.add(String.valueOf(t.getMessage()));
      messages.add(t.toString());
    }
    return String.join("\n", messages);
  }
}
