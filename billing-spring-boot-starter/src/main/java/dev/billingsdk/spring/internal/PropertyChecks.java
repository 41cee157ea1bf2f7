package dev.billingsdk.spring.internal;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.jdbc.Schema;
import dev.billingsdk.spring.BillingProperties;
import dev.billingsdk.spring.BillingPropertyException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Checks the {@code billing.*} properties when the application starts, so that a wrong value stops
 * it with the property's name rather than failing on first use. Provider key formats are checked
 * where the provider is built (the adapter's own rules); here, only what needs no adapter.
 */
public final class PropertyChecks {
  /** What a secret's value is shown as. */
  public static final String REDACTED = "(redacted)";

  /** The most outbox events one relay run may take. */
  static final int MAX_OUTBOX_BATCH = 10_000;

  private PropertyChecks() {}

  /** Every property, in the order they are documented. */
  public static void check(BillingProperties p) {
    BillingProperties.Store store = p.getStore();
    try {
      Schema.checkPrefix(store.getTablePrefix());
    } catch (InvalidRequestException e) {
      throw new BillingPropertyException(
          "billing.store.table-prefix",
          store.getTablePrefix(),
          "lower-case letters, digits and '_', at most 20 characters");
    }
    if (store.getMaxAttempts() < 1) {
      throw new BillingPropertyException(
          "billing.store.max-attempts",
          String.valueOf(store.getMaxAttempts()),
          "must be at least 1");
    }
    BillingProperties.Jobs jobs = p.getJobs();
    if (jobs.getActor().isBlank()) {
      throw new BillingPropertyException("billing.jobs.actor", "''", "must not be blank");
    }
    tenants(jobs.getTenants());
    interval("deduction", jobs.getDeduction());
    interval("expiry", jobs.getExpiry());
    interval("statements", jobs.getStatements());
    interval("renewals", jobs.getRenewals());
    interval("top-ups", jobs.getTopUps());
    interval("outbox", jobs.getOutbox());
    if (jobs.getOutboxBatch() < 1 || jobs.getOutboxBatch() > MAX_OUTBOX_BATCH) {
      throw new BillingPropertyException(
          "billing.jobs.outbox-batch",
          String.valueOf(jobs.getOutboxBatch()),
          "must be between 1 and " + MAX_OUTBOX_BATCH);
    }
    Duration refresh = p.getMetrics().getRefresh();
    if (refresh.isNegative() || refresh.isZero()) {
      throw new BillingPropertyException(
          "billing.metrics.refresh", refresh.toString(), "must be positive");
    }
    String path = p.getWebhooks().getPath();
    if (!path.startsWith("/")
        || (path.length() > 1 && path.endsWith("/"))
        || path.contains("{")
        || path.contains("}")
        || path.contains("*")
        || path.chars().anyMatch(Character::isWhitespace)) {
      throw new BillingPropertyException(
          "billing.webhooks.path",
          path,
          "must start with '/', not end with '/', and hold no spaces, patterns or variables");
    }
    BillingProperties.Stripe stripe = p.getStripe();
    if (present(stripe.getApiKey())) {
      int secrets = stripe.getWebhookSecrets().size();
      if (secrets < 1 || secrets > 2) {
        throw new BillingPropertyException(
            "billing.stripe.webhook-secrets",
            secrets + " value(s)",
            "one signing secret (two while rolling) is required with billing.stripe.api-key");
      }
      baseUri("billing.stripe.base-uri", stripe.getBaseUri());
    } else if (!stripe.getWebhookSecrets().isEmpty() || stripe.getBaseUri() != null) {
      throw new BillingPropertyException(
          "billing.stripe.api-key", "(not set)", "is required when other billing.stripe.* are set");
    }
    BillingProperties.Flutterwave flutterwave = p.getFlutterwave();
    if (present(flutterwave.getSecretKey())) {
      if (!present(flutterwave.getWebhookSecretHash())) {
        throw new BillingPropertyException(
            "billing.flutterwave.webhook-secret-hash",
            "(not set)",
            "is required with billing.flutterwave.secret-key");
      }
      baseUri("billing.flutterwave.base-uri", flutterwave.getBaseUri());
    } else if (flutterwave.getWebhookSecretHash() != null
        || flutterwave.getPreviousWebhookSecretHash() != null
        || flutterwave.getBaseUri() != null) {
      throw new BillingPropertyException(
          "billing.flutterwave.secret-key",
          "(not set)",
          "is required when other billing.flutterwave.* are set");
    }
  }

  /** Whether a property holds a value (an empty environment variable counts as unset). */
  public static boolean present(@Nullable String value) {
    return value != null && !value.isBlank();
  }

  private static void tenants(List<String> tenants) {
    for (int i = 0; i < tenants.size(); i++) {
      String t = tenants.get(i);
      try {
        TenantId.of(t);
      } catch (InvalidRequestException e) {
        throw new BillingPropertyException(
            "billing.jobs.tenants[" + i + "]", t, "is not a tenant id: " + e.getMessage());
      }
      if (tenants.subList(0, i).contains(t)) {
        throw new BillingPropertyException("billing.jobs.tenants[" + i + "]", t, "is listed twice");
      }
    }
  }

  private static void interval(String job, BillingProperties.Job settings) {
    Duration interval = settings.getInterval();
    if (interval.isNegative() || interval.toMillis() < 1) {
      throw new BillingPropertyException(
          "billing.jobs." + job + ".interval", interval.toString(), "must be at least 1 ms");
    }
  }

  private static void baseUri(String property, @Nullable String value) {
    if (value == null) {
      return;
    }
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
        throw new BillingPropertyException(property, value, "must be an http(s) URL with a host");
      }
    } catch (URISyntaxException e) {
      throw new BillingPropertyException(property, value, "is not a URL: " + e.getReason());
    }
  }
}
