package dev.billingsdk.setup;

import dev.billingsdk.AccessPolicy;
import dev.billingsdk.IdGenerator;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.catalogue.Catalogue;
import dev.billingsdk.credit.Credits;
import dev.billingsdk.credit.Grant;
import dev.billingsdk.credit.GrantOrder;
import dev.billingsdk.credit.InvoiceCredits;
import dev.billingsdk.credit.Reservations;
import dev.billingsdk.credit.Sweeps;
import dev.billingsdk.economy.CreditEconomy;
import dev.billingsdk.event.BillingEventListener;
import dev.billingsdk.event.BillingObserver;
import dev.billingsdk.event.ListenerFailureHandler;
import dev.billingsdk.event.OutboxRelay;
import dev.billingsdk.internal.catalogue.CatalogueService;
import dev.billingsdk.internal.credit.Coalescing;
import dev.billingsdk.internal.credit.CreditService;
import dev.billingsdk.internal.credit.InvoiceCreditService;
import dev.billingsdk.internal.credit.ReservationExpiry;
import dev.billingsdk.internal.credit.ReservationService;
import dev.billingsdk.internal.credit.SweepService;
import dev.billingsdk.internal.credit.Writer;
import dev.billingsdk.internal.economy.EconomyService;
import dev.billingsdk.internal.event.Events;
import dev.billingsdk.internal.event.Observation;
import dev.billingsdk.internal.event.StoreOutboxRelay;
import dev.billingsdk.internal.ledger.LedgerReads;
import dev.billingsdk.internal.metering.DeductionService;
import dev.billingsdk.internal.metering.MeteringService;
import dev.billingsdk.internal.purchase.PlanPayments;
import dev.billingsdk.internal.purchase.PurchaseService;
import dev.billingsdk.internal.report.ProjectCostService;
import dev.billingsdk.internal.report.RevenueService;
import dev.billingsdk.internal.statement.StatementService;
import dev.billingsdk.internal.subscription.SubscriptionService;
import dev.billingsdk.internal.topup.TopUpService;
import dev.billingsdk.ledger.Ledger;
import dev.billingsdk.metering.Deductions;
import dev.billingsdk.metering.Metering;
import dev.billingsdk.metering.MeteringSettings;
import dev.billingsdk.payment.PaymentProvider;
import dev.billingsdk.purchase.Purchases;
import dev.billingsdk.report.ProjectCosts;
import dev.billingsdk.report.RevenueReports;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.CatalogueStore;
import dev.billingsdk.spi.EconomyStore;
import dev.billingsdk.spi.MeteringStore;
import dev.billingsdk.spi.ProjectCostStore;
import dev.billingsdk.spi.ProviderEventStore;
import dev.billingsdk.spi.PurchaseStore;
import dev.billingsdk.spi.RevenueStore;
import dev.billingsdk.spi.StatementStore;
import dev.billingsdk.spi.SubscriptionStore;
import dev.billingsdk.spi.TopUpStore;
import dev.billingsdk.statement.Statements;
import dev.billingsdk.subscription.DunningSchedule;
import dev.billingsdk.subscription.Subscriptions;
import dev.billingsdk.topup.AutoTopUps;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The entry point. Build one per store and share it; it is thread-safe.
 *
 * <pre>{@code
 * Billing billing = Billing.builder()
 *     .store(InMemoryBillingStore.create())
 *     .clock(Clock.systemUTC())
 *     .build();
 * billing.credits().charge(...);
 * }</pre>
 */
public final class Billing {
  private final CreditService credits;
  private final ReservationService reservations;
  private final SweepService sweeps;
  private final InvoiceCreditService invoiceCredits;
  private final LedgerReads ledger;
  private final OutboxRelay outbox;
  // Null when the builder was not given metering settings.
  private final @Nullable MeteringService metering;
  private final @Nullable DeductionService deductions;
  // Null when the builder was not given a catalogue store.
  private final @Nullable CatalogueService catalogue;
  // Null when the builder was not given purchase stores.
  private final @Nullable PurchaseService purchases;
  // Null when the builder was not given an economy store.
  private final @Nullable EconomyService economy;
  // Null when the builder was not given a subscription store.
  private final @Nullable SubscriptionService subscriptions;
  // Null when the builder was not given a top-up store.
  private final @Nullable TopUpService topUps;
  // Null when the builder was not given a revenue store.
  private final @Nullable RevenueService revenue;
  // Null when the builder was not given a statement store.
  private final @Nullable StatementService statements;
  // Null when the builder was not given a project cost store.
  private final @Nullable ProjectCostService projectCosts;

  private Billing(Settings b) {
    // A store that keeps live grants in this order lets a charge stop at the grants that pay; the
    // answer is not kept: each snapshot's list says which order it is in.
    b.store.orderGrantsBy(b.grantOrder);
    Writer writer =
        new Writer(
            b.store,
            b.clock,
            b.ids,
            b.grantOrder,
            b.maxAttempts,
            new Events(b.listeners, b.listenerFailures),
            b.observation);
    ReservationExpiry expiry = writer.expiry();
    this.credits = new CreditService(writer, b.accessPolicy, b.coalescing);
    this.reservations = new ReservationService(writer, b.accessPolicy, expiry);
    this.sweeps = new SweepService(writer, b.accessPolicy, expiry);
    this.invoiceCredits = new InvoiceCreditService(writer, b.accessPolicy);
    this.ledger = new LedgerReads(b.store);
    this.outbox = new StoreOutboxRelay(b.store);
    if (b.meteringStore != null && b.meteringSettings != null) {
      this.metering =
          new MeteringService(
              b.store, b.meteringStore, b.clock, b.accessPolicy, b.meteringSettings, b.observation);
      this.deductions =
          new DeductionService(
              b.store,
              b.meteringStore,
              credits,
              b.clock,
              b.accessPolicy,
              b.meteringSettings,
              b.observation);
    } else {
      this.metering = null;
      this.deductions = null;
    }
    this.catalogue =
        b.catalogueStore == null
            ? null
            : new CatalogueService(b.catalogueStore, b.clock, b.accessPolicy);
    Events events = new Events(b.listeners, b.listenerFailures);
    SubscriptionService.Parts subscriptionParts =
        b.subscriptionStore == null || catalogue == null
            ? null
            : new SubscriptionService.Parts(
                b.subscriptionStore, catalogue, credits, b.store, events);
    this.purchases =
        b.purchaseStore == null || b.providerEventStore == null || catalogue == null
            ? null
            : new PurchaseService(
                b.purchaseStore,
                b.providerEventStore,
                b.store,
                catalogue,
                credits,
                b.providers,
                b.clock,
                b.accessPolicy,
                events,
                subscriptionParts == null ? PlanPayments.NONE : subscriptionParts.planPayments(),
                b.observation);
    this.projectCosts =
        b.projectCostStore == null || b.economyStore == null
            ? null
            : new ProjectCostService(b.projectCostStore, b.economyStore, b.accessPolicy);
    this.economy =
        b.economyStore == null
            ? null
            : new EconomyService(b.economyStore, b.store, credits, sweeps, b.clock, b.accessPolicy);
    this.subscriptions =
        subscriptionParts == null
                || catalogue == null
                || purchases == null
                || b.economyStore == null
                || b.dunning == null
            ? null
            : new SubscriptionService(
                subscriptionParts,
                b.economyStore,
                catalogue,
                credits,
                purchases,
                b.dunning,
                b.clock,
                b.accessPolicy);
    this.revenue =
        b.revenueStore == null || b.economyStore == null
            ? null
            : new RevenueService(b.revenueStore, b.economyStore, b.clock, b.accessPolicy);
    this.topUps =
        b.topUpStore == null || catalogue == null || purchases == null
            ? null
            : new TopUpService(
                b.topUpStore,
                b.store,
                catalogue,
                credits,
                purchases,
                b.economyStore,
                b.clock,
                b.accessPolicy,
                events);
    this.statements =
        b.statementStore == null
            ? null
            : new StatementService(
                b.statementStore,
                b.store,
                b.store instanceof MeteringStore m ? m : null,
                b.clock,
                b.accessPolicy,
                events);
  }

  /**
   * Monthly statements and their close job.
   *
   * @throws InvalidRequestException (field {@code statements}) if the builder was not given {@link
   *     Builder#statements}
   */
  public Statements statements() {
    if (statements == null) {
      throw new InvalidRequestException(
          "statements", "(not set)", "is not configured: call Billing.builder().statements(...)");
    }
    return statements;
  }

  /**
   * Auto-top-up rules and their worker.
   *
   * @throws InvalidRequestException (field {@code autoTopUps}) if the builder was not given {@link
   *     Builder#autoTopUps}
   */
  public AutoTopUps autoTopUps() {
    if (topUps == null) {
      throw new InvalidRequestException(
          "autoTopUps", "(not set)", "is not configured: call Billing.builder().autoTopUps(...)");
    }
    return topUps;
  }

  /**
   * Revenue reports: true revenue, partner revenue and payouts, agent revenue.
   *
   * @throws InvalidRequestException (field {@code revenue}) if the builder was not given {@link
   *     Builder#revenue}
   */
  public RevenueReports revenue() {
    if (revenue == null) {
      throw new InvalidRequestException(
          "revenue", "(not set)", "is not configured: call Billing.builder().revenue(...)");
    }
    return revenue;
  }

  /**
   * Subscriptions to catalogue plans, renewed by the library.
   *
   * @throws InvalidRequestException (field {@code subscriptions}) if the builder was not given
   *     {@link Builder#subscriptions}
   */
  public Subscriptions subscriptions() {
    if (subscriptions == null) {
      throw new InvalidRequestException(
          "subscriptions",
          "(not set)",
          "is not configured: call Billing.builder().subscriptions(...)");
    }
    return subscriptions;
  }

  /**
   * Project costs imported from the host's cloud billing export, their totals, and the monthly
   * project invoice.
   *
   * @throws InvalidRequestException (field {@code projectCosts}) if the builder was not given
   *     {@link Builder#projectCosts}
   */
  public ProjectCosts projectCosts() {
    if (projectCosts == null) {
      throw new InvalidRequestException(
          "projectCosts",
          "(not set)",
          "is not configured: call Billing.builder().projectCosts(...)");
    }
    return projectCosts;
  }

  /**
   * The credit economy: settings, sign-up and referral credits, the partner allowance reset.
   *
   * @throws InvalidRequestException (field {@code economy}) if the builder was not given {@link
   *     Builder#economy}
   */
  public CreditEconomy economy() {
    if (economy == null) {
      throw new InvalidRequestException(
          "economy", "(not set)", "is not configured: call Billing.builder().economy(...)");
    }
    return economy;
  }

  /**
   * Purchases through payment providers' hosted checkouts, their webhooks, and refunds.
   *
   * @throws InvalidRequestException (field {@code purchases}) if the builder was not given {@link
   *     Builder#purchases}
   */
  public Purchases purchases() {
    if (purchases == null) {
      throw new InvalidRequestException(
          "purchases", "(not set)", "is not configured: call Billing.builder().purchases(...)");
    }
    return purchases;
  }

  /**
   * Credit packages and subscription plans, versioned.
   *
   * @throws InvalidRequestException (field {@code catalogue}) if the builder was not given {@link
   *     Builder#catalogue}
   */
  public Catalogue catalogue() {
    if (catalogue == null) {
      throw new InvalidRequestException(
          "catalogue", "(not set)", "is not configured: call Billing.builder().catalogue(...)");
    }
    return catalogue;
  }

  /**
   * Meters, usage ingestion and monthly usage summaries.
   *
   * @throws InvalidRequestException (field {@code metering}) if the builder was not given {@link
   *     Builder#metering}
   */
  public Metering metering() {
    if (metering == null) {
      throw new InvalidRequestException(
          "metering", "(not set)", "is not configured: call Billing.builder().metering(...)");
    }
    return metering;
  }

  /**
   * The periodic deduction that rates usage and posts its charges.
   *
   * @throws InvalidRequestException (field {@code metering}) if the builder was not given {@link
   *     Builder#metering}
   */
  public Deductions deductions() {
    if (deductions == null) {
      throw new InvalidRequestException(
          "metering", "(not set)", "is not configured: call Billing.builder().metering(...)");
    }
    return deductions;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Accounts, grants, charges, quotes and balances. */
  public Credits credits() {
    return credits;
  }

  /** Reserve, settle and release: two-phase spending for in-flight operations. */
  public Reservations reservations() {
    return reservations;
  }

  /** The expiry sweeps for grants and reservations, with dry runs. */
  public Sweeps sweeps() {
    return sweeps;
  }

  /** Credits applied to invoices: whole invoice, line items, or all lines of a kind. */
  public InvoiceCredits invoiceCredits() {
    return invoiceCredits;
  }

  /** Durable delivery of the events stored in the outbox, for a relay the host runs. */
  public OutboxRelay outbox() {
    return outbox;
  }

  /** Reads of the immutable ledger. */
  public Ledger ledger() {
    return ledger;
  }

  /**
   * Configures a {@link Billing}. Every setter validates at once and may be called only once (a
   * second call names the value already set); only the store is required. Defaults are safe for
   * money: the UTC system clock, random UUID ids, the role-based access policy, the standard grant
   * order.
   */
  public static final class Builder {
    // Null until set; build() puts the defaults in.
    private @Nullable BillingStore store;
    private @Nullable Clock clock;
    private @Nullable IdGenerator ids;
    private @Nullable AccessPolicy accessPolicy;
    private @Nullable Comparator<Grant> grantOrder;
    private int maxAttempts;
    private Coalescing coalescing = Coalescing.OFF;
    private static final int MAX_LANES = 1024;
    private final List<BillingEventListener> listeners = new ArrayList<>();
    private @Nullable ListenerFailureHandler listenerFailures;
    private @Nullable BillingObserver observer;
    private @Nullable LongSupplier nanoTime;
    private @Nullable MeteringSettings meteringSettings;
    private @Nullable CatalogueStore catalogueStore;
    private @Nullable PurchaseStore purchaseStore;
    private @Nullable ProviderEventStore providerEventStore;
    private final Map<String, PaymentProvider> providers = new LinkedHashMap<>();
    private @Nullable EconomyStore economyStore;
    private @Nullable SubscriptionStore subscriptionStore;
    private @Nullable DunningSchedule dunning;
    private @Nullable TopUpStore topUpStore;
    private @Nullable RevenueStore revenueStore;
    private @Nullable StatementStore statementStore;
    private @Nullable ProjectCostStore projectCostStore;

    private Builder() {}

    /**
     * Turns on the revenue reports and partner payouts, kept in {@code store} ({@code
     * InMemoryRevenueStore.of(billingStore)}, or billing-jdbc's {@code JdbcRevenueStore}). Needs
     * {@link #economy} (whose settings hold the revenue shares).
     */
    public Builder revenue(RevenueStore store) {
      this.revenueStore = once("revenue", this.revenueStore, store);
      return this;
    }

    /**
     * Turns on monthly statements, closed statements kept in {@code store} ({@code
     * InMemoryStatementStore.create(ledger)}, or billing-jdbc's {@code JdbcStatementStore}), which
     * reads the same storage as the billing store.
     */
    public Builder statements(StatementStore store) {
      this.statementStore = once("statements", this.statementStore, store);
      return this;
    }

    /**
     * Turns on project costs and project invoices, the cost rows kept in {@code store} ({@code
     * InMemoryProjectCostStore.create()}, or billing-jdbc's {@code JdbcProjectCostStore}). Needs
     * {@link #economy}: an invoice converts costs to credits at the price per credit of its
     * settings.
     */
    public Builder projectCosts(ProjectCostStore store) {
      this.projectCostStore = once("projectCosts", this.projectCostStore, store);
      return this;
    }

    /**
     * Turns on auto-top-up, its rules kept in {@code store} ({@code InMemoryTopUpStore.create()},
     * or billing-jdbc's {@code JdbcTopUpStore}). Needs {@link #purchases} (with the catalogue and a
     * provider).
     */
    public Builder autoTopUps(TopUpStore store) {
      this.topUpStore = once("autoTopUps", this.topUpStore, store);
      return this;
    }

    /**
     * Turns on subscriptions, kept in {@code store} ({@code InMemorySubscriptionStore.create()}, or
     * billing-jdbc's {@code JdbcSubscriptionStore}), retrying failed renewals on {@code dunning}
     * ({@link DunningSchedule#standard()}: 1, 3 and 7 days). Needs {@link #purchases} (with the
     * catalogue and a provider) and {@link #economy} (whose settings switch subscriptions on).
     */
    public Builder subscriptions(SubscriptionStore store, DunningSchedule dunning) {
      this.subscriptionStore = once("subscriptions", this.subscriptionStore, store);
      this.dunning = InvalidRequestException.requireNonNull(dunning, "dunning");
      return this;
    }

    /**
     * Turns on the credit economy, kept in {@code store}: {@code InMemoryEconomyStore.create()}, or
     * billing-jdbc's {@code JdbcEconomyStore}.
     */
    public Builder economy(EconomyStore store) {
      this.economyStore = once("economy", this.economyStore, store);
      return this;
    }

    /**
     * Turns on purchases, kept in {@code purchases} and {@code providerEvents} ({@code
     * InMemoryPurchaseStore.create()} is both; billing-jdbc has a class for each). Needs the
     * catalogue ({@link #catalogue}) and at least one {@link #paymentProvider}.
     */
    public Builder purchases(PurchaseStore purchases, ProviderEventStore providerEvents) {
      this.purchaseStore = once("purchases", this.purchaseStore, purchases);
      this.providerEventStore =
          InvalidRequestException.requireNonNull(providerEvents, "providerEvents");
      return this;
    }

    /** Adds a payment provider adapter; each provider name once. */
    public Builder paymentProvider(PaymentProvider provider) {
      InvalidRequestException.requireNonNull(provider, "paymentProvider");
      once("paymentProvider." + provider.name(), providers.get(provider.name()), provider);
      providers.put(provider.name(), provider);
      return this;
    }

    /**
     * Turns on the catalogue, kept in {@code store}: {@code InMemoryCatalogueStore.create()}, or
     * billing-jdbc's {@code JdbcCatalogueStore}.
     */
    public Builder catalogue(CatalogueStore store) {
      this.catalogueStore = once("catalogue", this.catalogueStore, store);
      return this;
    }

    /**
     * Turns on metering and the periodic deduction with these prices and windows. The store must
     * also implement {@link MeteringStore} (the in-memory and JDBC stores do).
     */
    public Builder metering(MeteringSettings settings) {
      this.meteringSettings = once("metering", this.meteringSettings, settings);
      return this;
    }

    /**
     * Adds a listener for {@link dev.billingsdk.event.BillingEvent}s; listeners run in the order
     * added, after the write that caused the event has committed. May be called many times.
     */
    public Builder listener(BillingEventListener listener) {
      InvalidRequestException.requireNonNull(listener, "listener");
      listeners.add(listener);
      return this;
    }

    /**
     * Told when a listener throws (after the library has logged it). Default: nothing beyond the
     * log line.
     */
    public Builder listenerFailureHandler(ListenerFailureHandler handler) {
      this.listenerFailures = once("listenerFailureHandler", this.listenerFailures, handler);
      return this;
    }

    /**
     * Told of refused charges, ingest outcomes, store commit latencies, retries and failures,
     * refused webhooks and deduction runs: the facts metrics need that no {@link
     * dev.billingsdk.event.BillingEvent} carries (billing-micrometer's {@code BillingMetrics} is
     * one). Latencies are measured with {@link System#nanoTime()}. An observer that throws is
     * logged and ignored. Default: {@link BillingObserver#none()}, which measures nothing.
     */
    public Builder observer(BillingObserver observer) {
      return observer(observer, System::nanoTime);
    }

    /**
     * {@link #observer(BillingObserver)}, with latencies measured on {@code nanoTime} (a monotonic
     * ticker in nanoseconds, as {@link System#nanoTime()}): for tests that need exact latencies.
     */
    public Builder observer(BillingObserver observer, LongSupplier nanoTime) {
      InvalidRequestException.requireNonNull(nanoTime, "nanoTime");
      this.observer = once("observer", this.observer, observer);
      this.nanoTime = nanoTime;
      return this;
    }

    /** Where state lives: {@code InMemoryBillingStore.create()}, or a JDBC store. Required. */
    public Builder store(BillingStore store) {
      this.store = once("store", this.store, store);
      return this;
    }

    /** The clock every timestamp and expiry check reads. Default: {@link Clock#systemUTC()}. */
    public Builder clock(Clock clock) {
      this.clock = once("clock", this.clock, clock);
      return this;
    }

    /** Where grant and transaction ids come from. Default: {@link IdGenerator#randomUuids()}. */
    public Builder ids(IdGenerator ids) {
      this.ids = once("ids", this.ids, ids);
      return this;
    }

    /** Who may do what. Default: {@link AccessPolicy#roleBased()}. */
    public Builder accessPolicy(AccessPolicy policy) {
      this.accessPolicy = once("accessPolicy", this.accessPolicy, policy);
      return this;
    }

    /**
     * The order in which eligible grants pay (rule 2). Default: {@link GrantOrder#standard()}. The
     * creation sequence is appended as a last tie-break, so any order given becomes total.
     */
    public Builder grantOrder(Comparator<Grant> order) {
      this.grantOrder = once("grantOrder", this.grantOrder, order);
      return this;
    }

    /** How often a write is tried when the account keeps changing under it. Default: 100. */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1) {
        throw new InvalidRequestException("maxAttempts", attempts, "must be at least 1");
      }
      if (this.maxAttempts != 0) {
        throw new InvalidRequestException(
            "maxAttempts", attempts, "was already set to " + this.maxAttempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    /**
     * Turns on coalescing of concurrent charges on one account: while one {@code
     * credits().charge(...)} of an account is being committed, other charges of the same account
     * through this instance queue, and the next of them commits up to {@code maxBatch} queued
     * charges in one store commit ({@link Credits#chargeAll}), handing each caller its own result
     * or its own exception. Charges of one account then stop racing each other's versions, which
     * keeps a hot account's throughput close to that of many quiet ones. A lone charge commits as
     * it would without coalescing; no threads are started. Default: off.
     *
     * @param maxBatch the most charges one commit takes, 1 to {@link Credits#MAX_BATCH}
     */
    public Builder coalesceCharges(int maxBatch) {
      if (maxBatch < 1 || maxBatch > Credits.MAX_BATCH) {
        throw new InvalidRequestException(
            "coalesceCharges", maxBatch, "must be between 1 and " + Credits.MAX_BATCH);
      }
      coalesce("coalesceCharges", maxBatch, new Coalescing(maxBatch, 0));
      return this;
    }

    /**
     * Turns on coalescing of concurrent charges across accounts: the accounts share {@code lanes}
     * queues (an account always uses the same one); while a queue's commit runs, the charges that
     * arrive in it wait, and the next of them commits up to {@code maxBatch} waiting charges,
     * whatever their accounts, in one store commit ({@link Credits#chargeAll}), handing each caller
     * its own result or its own exception. On a store that writes a batch as one statement
     * (PostgreSQL) a commit of many charges costs about what one costs, so under load the charges
     * per second grow with the callers while at most {@code lanes} commits of this instance run at
     * once. A charge that finds its queue idle commits alone, exactly as without coalescing: the
     * uncontended path stays one write. No threads are started. Default: off; it replaces {@link
     * #coalesceCharges} (charges of one account share a queue either way).
     *
     * @param maxBatch the most charges one commit takes, 1 to {@link Credits#MAX_BATCH}
     * @param lanes how many queues (and so concurrent commits) the accounts share, 1 to 1,024
     */
    public Builder coalesceChargesAcrossAccounts(int maxBatch, int lanes) {
      if (maxBatch < 1 || maxBatch > Credits.MAX_BATCH) {
        throw new InvalidRequestException(
            "coalesceChargesAcrossAccounts.maxBatch",
            maxBatch,
            "must be between 1 and " + Credits.MAX_BATCH);
      }
      if (lanes < 1 || lanes > MAX_LANES) {
        throw new InvalidRequestException(
            "coalesceChargesAcrossAccounts.lanes", lanes, "must be between 1 and " + MAX_LANES);
      }
      coalesce("coalesceChargesAcrossAccounts", maxBatch, new Coalescing(maxBatch, lanes));
      return this;
    }

    private void coalesce(String field, int value, Coalescing wanted) {
      if (coalescing.maxBatch() != 0) {
        throw new InvalidRequestException(
            field,
            value,
            "coalescing was already set to "
                + coalescing.maxBatch()
                + (coalescing.sharedLanes() == 0
                    ? " per account"
                    : " across accounts in " + coalescing.sharedLanes() + " lane(s)"));
      }
      this.coalescing = wanted;
    }

    public Billing build() {
      BillingStore store = InvalidRequestException.requireNonNull(this.store, "store");
      if (purchaseStore != null && (catalogueStore == null || providers.isEmpty())) {
        throw new InvalidRequestException(
            "purchases", "(set)", "need catalogue(..) and at least one paymentProvider(..)");
      }
      if (topUpStore != null && purchaseStore == null) {
        throw new InvalidRequestException("autoTopUps", "(set)", "need purchases(..)");
      }
      if (revenueStore != null && economyStore == null) {
        throw new InvalidRequestException("revenue", "(set)", "needs economy(..)");
      }
      if (subscriptionStore != null && (purchaseStore == null || economyStore == null)) {
        throw new InvalidRequestException(
            "subscriptions", "(set)", "need purchases(..) and economy(..)");
      }
      if (projectCostStore != null && economyStore == null) {
        throw new InvalidRequestException("projectCosts", "(set)", "need economy(..)");
      }
      MeteringStore meteringStore = null;
      if (meteringSettings != null) {
        if (!(store instanceof MeteringStore m)) {
          throw new InvalidRequestException(
              "store",
              store.getClass().getName(),
              "does not implement MeteringStore, which metering needs");
        }
        meteringStore = m;
      }
      return new Billing(
          new Settings(
              store,
              meteringStore,
              CheckedClock.of(clock == null ? Clock.systemUTC() : clock),
              ids == null ? IdGenerator.randomUuids() : ids,
              accessPolicy == null ? AccessPolicy.roleBased() : accessPolicy,
              grantOrder == null ? GrantOrder.standard() : GrantOrder.totalOf(grantOrder),
              maxAttempts == 0 ? 100 : maxAttempts,
              coalescing,
              List.copyOf(listeners),
              listenerFailures == null ? ListenerFailureHandler.ignore() : listenerFailures,
              observer == null || nanoTime == null
                  ? Observation.none()
                  : new Observation(observer, nanoTime),
              meteringSettings,
              catalogueStore,
              purchaseStore,
              providerEventStore,
              Map.copyOf(providers),
              economyStore,
              subscriptionStore,
              dunning,
              topUpStore,
              revenueStore,
              statementStore,
              projectCostStore));
    }

    private static <T> T once(String field, @Nullable T current, T value) {
      InvalidRequestException.requireNonNull(value, field);
      if (current != null) {
        throw new InvalidRequestException(field, value, "was already set to " + current);
      }
      return value;
    }
  }

  /** What build() resolved: every default in, metering on exactly when both are non-null. */
  private record Settings(
      BillingStore store,
      @Nullable MeteringStore meteringStore,
      Clock clock,
      IdGenerator ids,
      AccessPolicy accessPolicy,
      Comparator<Grant> grantOrder,
      int maxAttempts,
      Coalescing coalescing,
      List<BillingEventListener> listeners,
      ListenerFailureHandler listenerFailures,
      Observation observation,
      @Nullable MeteringSettings meteringSettings,
      @Nullable CatalogueStore catalogueStore,
      @Nullable PurchaseStore purchaseStore,
      @Nullable ProviderEventStore providerEventStore,
      Map<String, PaymentProvider> providers,
      @Nullable EconomyStore economyStore,
      @Nullable SubscriptionStore subscriptionStore,
      @Nullable DunningSchedule dunning,
      @Nullable TopUpStore topUpStore,
      @Nullable RevenueStore revenueStore,
      @Nullable StatementStore statementStore,
      @Nullable ProjectCostStore projectCostStore) {}
}
