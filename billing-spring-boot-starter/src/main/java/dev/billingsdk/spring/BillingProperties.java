package dev.billingsdk.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code billing.*} properties. They are checked when the application starts ({@link
 * BillingPropertyException} names the property); secrets are read from the environment like any
 * property ({@code BILLING_STRIPE_API_KEY}) and never logged or shown.
 */
@ConfigurationProperties(prefix = "billing")
public class BillingProperties {

  /** Whether the starter configures billing at all. */
  private boolean enabled = true;

  private final Store store = new Store();
  private final Jobs jobs = new Jobs();
  private final Metering metering = new Metering();
  private final Metrics metrics = new Metrics();
  private final Webhooks webhooks = new Webhooks();
  private final Stripe stripe = new Stripe();
  private final Flutterwave flutterwave = new Flutterwave();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public Store getStore() {
    return store;
  }

  public Jobs getJobs() {
    return jobs;
  }

  public Metering getMetering() {
    return metering;
  }

  public Metrics getMetrics() {
    return metrics;
  }

  public Webhooks getWebhooks() {
    return webhooks;
  }

  public Stripe getStripe() {
    return stripe;
  }

  public Flutterwave getFlutterwave() {
    return flutterwave;
  }

  /** What the schema does at start-up. */
  public enum SchemaMode {
    /** Apply the missing migrations under a database lock. */
    APPLY,
    /** Only check that the schema is at the version this library knows; refuse to start if not. */
    CHECK
  }

  /** The database dialect. */
  public enum DialectName {
    /** Detected from the first connection. */
    AUTO,
    POSTGRESQL,
    MARIADB,
    H2
  }

  /** The JDBC stores on the application's {@code DataSource}. */
  public static class Store {
    /** Prepended to every billing table: lower-case letters, digits and '_', at most 20. */
    private String tablePrefix = "billing_";

    /** Whether the starter applies the shipped migrations or only checks the version. */
    private SchemaMode schema = SchemaMode.CHECK;

    /** The database; detected from the first connection unless set. */
    private DialectName dialect = DialectName.AUTO;

    /** Attempts of one database transaction that meets a deadlock, serialization or lost link. */
    private int maxAttempts = 8;

    public String getTablePrefix() {
      return tablePrefix;
    }

    public void setTablePrefix(String tablePrefix) {
      this.tablePrefix = tablePrefix;
    }

    public SchemaMode getSchema() {
      return schema;
    }

    public void setSchema(SchemaMode schema) {
      this.schema = schema;
    }

    public DialectName getDialect() {
      return dialect;
    }

    public void setDialect(DialectName dialect) {
      this.dialect = dialect;
    }

    public int getMaxAttempts() {
      return maxAttempts;
    }

    public void setMaxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
    }
  }

  /** The periodic jobs, run on the {@code billingTaskScheduler}. */
  public static class Jobs {
    /** Whether the starter schedules the jobs (a host may run them itself). */
    private boolean enabled = true;

    /**
     * The tenants the per-tenant jobs run for, unless the host defines a {@link BillingTenants}
     * bean.
     */
    private List<String> tenants = new ArrayList<>();

    /** The id of the system actor the jobs act as. */
    private String actor = "billing-jobs";

    /** Rating and charging metered usage ({@code deductions().run()}); needs metering. */
    private final Job deduction = new Job(Duration.ofMinutes(1));

    /** Expiring grants and reservations that are past their time. */
    private final Job expiry = new Job(Duration.ofMinutes(5));

    /** Closing last month's statements once the month is over. */
    private final Job statements = new Job(Duration.ofHours(1));

    /** Renewing subscriptions that are due. */
    private final Job renewals = new Job(Duration.ofMinutes(15));

    /** Auto-top-ups of accounts below their threshold. */
    private final Job topUps = new Job(Duration.ofMinutes(1));

    /** Relaying outbox events to the application's event listeners. */
    private final Job outbox = new Job(Duration.ofSeconds(5));

    /** How many outbox events one relay run delivers at most. */
    private int outboxBatch = 500;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public List<String> getTenants() {
      return tenants;
    }

    public void setTenants(List<String> tenants) {
      this.tenants = tenants;
    }

    public String getActor() {
      return actor;
    }

    public void setActor(String actor) {
      this.actor = actor;
    }

    public Job getDeduction() {
      return deduction;
    }

    public Job getExpiry() {
      return expiry;
    }

    public Job getStatements() {
      return statements;
    }

    public Job getRenewals() {
      return renewals;
    }

    public Job getTopUps() {
      return topUps;
    }

    public Job getOutbox() {
      return outbox;
    }

    public int getOutboxBatch() {
      return outboxBatch;
    }

    public void setOutboxBatch(int outboxBatch) {
      this.outboxBatch = outboxBatch;
    }
  }

  /** One periodic job. */
  public static class Job {
    /** Whether this job runs. */
    private boolean enabled = true;

    /** The pause between the end of one run and the start of the next. */
    private Duration interval;

    public Job() {
      this(Duration.ofMinutes(1));
    }

    Job(Duration interval) {
      this.interval = interval;
    }

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public Duration getInterval() {
      return interval;
    }

    public void setInterval(Duration interval) {
      this.interval = interval;
    }
  }

  /**
   * Metering, turned on by a {@code MeteringSettings} bean, or by a {@code PriceBook} bean with
   * these settings.
   */
  public static class Metering {
    /** The deduction window used with a {@code PriceBook} bean: whole minutes that divide a day. */
    private Duration deductionInterval = Duration.ofHours(1);

    public Duration getDeductionInterval() {
      return deductionInterval;
    }

    public void setDeductionInterval(Duration deductionInterval) {
      this.deductionInterval = deductionInterval;
    }
  }

  /** Micrometer metrics, when billing-micrometer and a {@code MeterRegistry} are present. */
  public static class Metrics {
    /** Whether the starter publishes the library's meters. */
    private boolean enabled = true;

    /** Whether meters carry a {@code tenant} tag: one time series per tenant (cardinality). */
    private boolean tagTenants;

    /** How long the outbox backlog and provider gauges keep an answer before asking again. */
    private Duration refresh = Duration.ofSeconds(30);

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public boolean isTagTenants() {
      return tagTenants;
    }

    public void setTagTenants(boolean tagTenants) {
      this.tagTenants = tagTenants;
    }

    public Duration getRefresh() {
      return refresh;
    }

    public void setRefresh(Duration refresh) {
      this.refresh = refresh;
    }
  }

  /** The webhook endpoints: {@code POST <path>/<provider>}. */
  public static class Webhooks {
    /** Whether the starter maps the webhook endpoints. */
    private boolean enabled = true;

    /** Where the endpoints are; the provider's name follows: {@code /billing/webhooks/stripe}. */
    private String path = "/billing/webhooks";

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getPath() {
      return path;
    }

    public void setPath(String path) {
      this.path = path;
    }
  }

  /** Stripe, configured when {@code billing.stripe.api-key} is set. */
  public static class Stripe {
    /** The secret API key ({@code sk_live_...}, {@code sk_test_...} or a restricted key). */
    private @Nullable String apiKey;

    /** The webhook endpoint's signing secrets ({@code whsec_...}): one, or two while rolling. */
    private List<String> webhookSecrets = new ArrayList<>();

    /** Where Stripe's API is; Stripe's own unless set (tests point it at a local server). */
    private @Nullable String baseUri;

    public @Nullable String getApiKey() {
      return apiKey;
    }

    public void setApiKey(@Nullable String apiKey) {
      this.apiKey = apiKey;
    }

    public List<String> getWebhookSecrets() {
      return webhookSecrets;
    }

    public void setWebhookSecrets(List<String> webhookSecrets) {
      this.webhookSecrets = webhookSecrets;
    }

    public @Nullable String getBaseUri() {
      return baseUri;
    }

    public void setBaseUri(@Nullable String baseUri) {
      this.baseUri = baseUri;
    }
  }

  /** Flutterwave, configured when {@code billing.flutterwave.secret-key} is set. */
  public static class Flutterwave {
    /** The secret key ({@code FLWSECK-...} or {@code FLWSECK_TEST-...}). */
    private @Nullable String secretKey;

    /** The webhook secret hash set in Flutterwave's dashboard. */
    private @Nullable String webhookSecretHash;

    /** The previous hash, accepted too while the hash is being rolled. */
    private @Nullable String previousWebhookSecretHash;

    /** Where Flutterwave's API is; Flutterwave's own unless set. */
    private @Nullable String baseUri;

    public @Nullable String getSecretKey() {
      return secretKey;
    }

    public void setSecretKey(@Nullable String secretKey) {
      this.secretKey = secretKey;
    }

    public @Nullable String getWebhookSecretHash() {
      return webhookSecretHash;
    }

    public void setWebhookSecretHash(@Nullable String webhookSecretHash) {
      this.webhookSecretHash = webhookSecretHash;
    }

    public @Nullable String getPreviousWebhookSecretHash() {
      return previousWebhookSecretHash;
    }

    public void setPreviousWebhookSecretHash(@Nullable String previousWebhookSecretHash) {
      this.previousWebhookSecretHash = previousWebhookSecretHash;
    }

    public @Nullable String getBaseUri() {
      return baseUri;
    }

    public void setBaseUri(@Nullable String baseUri) {
      this.baseUri = baseUri;
    }
  }
}
