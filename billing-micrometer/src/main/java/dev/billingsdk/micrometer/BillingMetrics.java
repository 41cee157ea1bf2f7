package dev.billingsdk.micrometer;

import static dev.billingsdk.BuilderRules.once;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.event.BillingEvent;
import dev.billingsdk.event.BillingEventListener;
import dev.billingsdk.event.BillingObserver;
import dev.billingsdk.event.ChargePosted;
import dev.billingsdk.event.GrantCreated;
import dev.billingsdk.metering.DeductionPosting;
import dev.billingsdk.metering.DeductionReport;
import dev.billingsdk.payment.PaymentProvider;
import dev.billingsdk.payment.ProviderHealth;
import dev.billingsdk.spi.BillingStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The billing library's Micrometer metrics, without Spring. One object is the three things the
 * library and Micrometer need: give it to {@code Billing.builder().listener(..)} (charges posted,
 * grants) and {@code .observer(..)} (refusals, ingest, commits, webhooks, deduction runs), and
 * {@link #bindTo} it to a registry (which also registers the outbox and provider gauges):
 *
 * <pre>{@code
 * BillingMetrics metrics = BillingMetrics.builder().outbox(store).provider(stripe).build();
 * metrics.bindTo(registry);
 * Billing billing = Billing.builder().store(store).listener(metrics).observer(metrics)...build();
 * }</pre>
 *
 * <p>Meters are named in Micrometer's dot style ({@code billing.charges}, ...); docs/metrics.md
 * lists each with its tags. Every tag value comes from a closed set (an enum, a reason token, a
 * configured provider's name, a host-defined grant category), except {@code tenant}, which is added
 * only when the builder's {@link Builder#tagTenants} says so: a platform with many tenants would
 * otherwise make a time series per tenant. No tag holds an amount, an id, a message or a secret.
 *
 * <p>Events and observations that arrive before {@link #bindTo} are not counted. Bound to several
 * registries, it records to each. Thread-safe.
 */
public final class BillingMetrics implements BillingEventListener, BillingObserver, MeterBinder {
  /** The most outbox events the backlog gauge counts: it reads at most this many rows. */
  public static final int OUTBOX_CAP = 10_000;

  private final boolean tagTenants;
  private final Map<String, PaymentProvider> providers;
  private final @Nullable BillingStore outbox;
  private final Duration refreshEvery;
  private final LongSupplier nanoTime;
  private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

  /** The last non-dry deduction run's lag, in nanoseconds. */
  private final AtomicLong deductionLagNanos = new AtomicLong();

  private BillingMetrics(Builder b) {
    this.tagTenants = b.tagTenants != null && b.tagTenants;
    this.providers = Map.copyOf(b.providers);
    this.outbox = b.outbox;
    this.refreshEvery = b.refreshEvery == null ? Duration.ofSeconds(30) : b.refreshEvery;
    this.nanoTime = b.nanoTime == null ? System::nanoTime : b.nanoTime;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Registers the gauges ({@code billing.deduction.lag}, {@code billing.outbox.backlog} when an
   * outbox store was given, {@code billing.provider.up} per provider) and records the counters and
   * timers to {@code registry} from now on.
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    InvalidRequestException.requireNonNull(registry, "registry");
    TimeGauge.builder(
            "billing.deduction.lag",
            deductionLagNanos,
            TimeUnit.NANOSECONDS,
            AtomicLong::doubleValue)
        .description(
            "How far the oldest usage window the last deduction run left unposted lies behind"
                + " its due time; 0 when all usage is posted")
        .register(registry);
    BillingStore store = outbox;
    if (store != null) {
      Refreshed backlog =
          new Refreshed(
              "outbox backlog",
              () -> store.pendingEvents(OUTBOX_CAP).size(),
              Double.NaN,
              refreshEvery,
              nanoTime);
      Gauge.builder("billing.outbox.backlog", backlog, Refreshed::value)
          .description(
              "Outbox events not yet acknowledged by the relay, counted up to " + OUTBOX_CAP)
          .strongReference(true)
          .register(registry);
    }
    for (PaymentProvider provider : providers.values()) {
      Refreshed up =
          new Refreshed(
              "health of provider " + provider.name(),
              () -> upValue(provider.health()),
              0,
              refreshEvery,
              nanoTime);
      Gauge.builder("billing.provider.up", up, Refreshed::value)
          .description("1 when the payment provider answers, 0.5 when degraded, 0 when down")
          .tag("provider", provider.name())
          .strongReference(true)
          .register(registry);
    }
    registries.add(registry);
  }

  static double upValue(ProviderHealth health) {
    switch (health.state()) {
      case CONNECTED:
        return 1;
      case DEGRADED:
        return 0.5;
      default:
        return 0;
    }
  }

  // ------------------------------------------------------------------ events (the listener)

  /** Counts charges posted ({@code billing.charges}) and grants made ({@code billing.grants}). */
  @Override
  public void on(BillingEvent event) {
    if (event instanceof ChargePosted c) {
      count(
          "billing.charges",
          "Charges and usage debits posted",
          c.tenant(),
          Tags.of(
              "outcome", "posted", "type", lower(c.type().name()), "kind", lower(c.kind().name())),
          1);
    } else if (event instanceof GrantCreated g) {
      count(
          "billing.grants",
          "Grants of credit made",
          g.tenant(),
          Tags.of("category", lower(g.category().code())),
          1);
    }
  }

  // ------------------------------------------------------------------ observations

  @Override
  public void chargeRefused(@Nullable TenantId tenant, String reason) {
    count(
        "billing.charges.refused",
        "Charges refused, by reason; nothing was posted",
        tenant,
        Tags.of("reason", reason),
        1);
  }

  @Override
  public void usageIngested(TenantId tenant, int accepted, int duplicates, int refused) {
    String description = "Usage events ingested, by result";
    count("billing.usage.ingested", description, tenant, Tags.of("result", "accepted"), accepted);
    count(
        "billing.usage.ingested", description, tenant, Tags.of("result", "duplicate"), duplicates);
    count("billing.usage.ingested", description, tenant, Tags.of("result", "refused"), refused);
  }

  @Override
  public void ledgerCommitted(int writes, long nanos, boolean threw) {
    for (MeterRegistry registry : registries) {
      Timer.builder("billing.store.commit")
          .description("Store commits of ledger writes (one call, one write or a batch)")
          .tag("outcome", threw ? "error" : "ok")
          .register(registry)
          .record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void ledgerWriteRetried(TenantId tenant, int nextAttempt) {
    count(
        "billing.store.retries",
        "Ledger writes decided again after losing a version conflict",
        tenant,
        Tags.empty(),
        1);
  }

  @Override
  public void ledgerWriteFailed(TenantId tenant, String reason) {
    count(
        "billing.store.failures",
        "Ledger writes given up, by reason",
        tenant,
        Tags.of("reason", reason),
        1);
  }

  @Override
  public void webhookRejected(String provider, String reason) {
    count(
        "billing.webhooks.rejected",
        "Webhook deliveries refused before anything was stored",
        null,
        Tags.of("provider", provider, "reason", reason),
        1);
  }

  /**
   * Counts the windows a run posted and the (account, meter) pairs it could not finish ({@code
   * billing.deduction.windows}), and keeps its lag for {@code billing.deduction.lag}. A dry run
   * writes nothing and is not counted.
   */
  @Override
  public void deductionRan(DeductionReport report, Duration lag) {
    if (report.dryRun()) {
      return;
    }
    String description = "Usage windows the deduction posted, and (account, meter) pairs it failed";
    for (DeductionPosting p : report.postings()) {
      if (p.posted()) {
        count("billing.deduction.windows", description, p.tenant(), Tags.of("result", "posted"), 1);
      }
    }
    for (DeductionReport.Failure f : report.failures()) {
      count("billing.deduction.windows", description, f.tenant(), Tags.of("result", "failed"), 1);
    }
    deductionLagNanos.set(lag.isNegative() ? 0 : saturatedNanos(lag));
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }

  // ------------------------------------------------------------------ helpers

  private void count(
      String name, String description, @Nullable TenantId tenant, Tags tags, int amount) {
    if (amount <= 0) {
      return;
    }
    // With tenants tagged, every meter of a name carries the tag (Prometheus wants one set of tag
    // keys per name): a refusal of a request that named no tenant counts under "unknown".
    Tags all = tagTenants ? tags.and("tenant", tenant == null ? "unknown" : tenant.value()) : tags;
    for (MeterRegistry registry : registries) {
      Counter.builder(name).description(description).tags(all).register(registry).increment(amount);
    }
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return "BillingMetrics[tagTenants="
        + tagTenants
        + ", providers="
        + providers.keySet()
        + ", outbox="
        + (outbox != null)
        + "]";
  }

  /**
   * Configures {@link BillingMetrics}. Every setter validates at once and may be called only once
   * (a second call names the value already set); nothing is required.
   */
  public static final class Builder {
    private @Nullable Boolean tagTenants;
    private final Map<String, PaymentProvider> providers = new LinkedHashMap<>();
    private @Nullable BillingStore outbox;
    private @Nullable Duration refreshEvery;
    private @Nullable LongSupplier nanoTime;

    private Builder() {}

    /**
     * Whether meters carry a {@code tenant} tag. Default: false. Turn it on only when the tenants
     * are few: each tenant multiplies the time series of every tagged meter.
     */
    public Builder tagTenants(boolean tag) {
      this.tagTenants = once("tagTenants", this.tagTenants, tag);
      return this;
    }

    /**
     * Adds a payment provider whose health {@code billing.provider.up} reports, tagged with its
     * name; each provider name once.
     */
    public Builder provider(PaymentProvider provider) {
      InvalidRequestException.requireNonNull(provider, "provider");
      once("provider." + provider.name(), providers.get(provider.name()), provider);
      providers.put(provider.name(), provider);
      return this;
    }

    /**
     * The store whose outbox {@code billing.outbox.backlog} counts (at most {@value #OUTBOX_CAP}
     * pending events). Without it there is no backlog gauge.
     */
    public Builder outbox(BillingStore store) {
      this.outbox = once("outbox", this.outbox, store);
      return this;
    }

    /**
     * How long a gauge that asks the outside world (the outbox backlog reads the store; a
     * provider's health may call the provider) keeps its answer before asking again, however often
     * the registry is scraped. Default: 30 seconds.
     */
    public Builder refreshEvery(Duration interval) {
      InvalidRequestException.requireNonNull(interval, "refreshEvery");
      if (interval.isNegative()) {
        throw new InvalidRequestException("refreshEvery", interval, "must not be negative");
      }
      this.refreshEvery = once("refreshEvery", this.refreshEvery, interval);
      return this;
    }

    /**
     * The monotonic ticker, in nanoseconds, that {@link #refreshEvery} is measured on. Default:
     * {@link System#nanoTime()}; tests give a fake one.
     */
    public Builder nanoTime(LongSupplier ticker) {
      this.nanoTime = once("nanoTime", this.nanoTime, ticker);
      return this;
    }

    public BillingMetrics build() {
      return new BillingMetrics(this);
    }
  }
}
