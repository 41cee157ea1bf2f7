package dev.billingsdk.internal.purchase;

import dev.billingsdk.AccessPolicy;
import dev.billingsdk.Actor;
import dev.billingsdk.GrantId;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.Operation;
import dev.billingsdk.TenantId;
import dev.billingsdk.catalogue.Catalogue;
import dev.billingsdk.catalogue.CatalogueItem;
import dev.billingsdk.catalogue.CatalogueItemArchivedException;
import dev.billingsdk.catalogue.CatalogueItemNotFoundException;
import dev.billingsdk.catalogue.CreditPackage;
import dev.billingsdk.catalogue.PackageId;
import dev.billingsdk.catalogue.SubscriptionPlan;
import dev.billingsdk.credit.AccountNotFoundException;
import dev.billingsdk.event.PurchaseUpdated.Change;
import dev.billingsdk.internal.credit.CreditService;
import dev.billingsdk.internal.event.Events;
import dev.billingsdk.internal.event.Observation;
import dev.billingsdk.money.Amount;
import dev.billingsdk.payment.CheckoutRequest;
import dev.billingsdk.payment.CheckoutSession;
import dev.billingsdk.payment.PaymentLookup;
import dev.billingsdk.payment.PaymentProvider;
import dev.billingsdk.payment.PaymentView;
import dev.billingsdk.payment.ProviderEvent;
import dev.billingsdk.payment.ProviderRefund;
import dev.billingsdk.payment.RefundCall;
import dev.billingsdk.payment.WebhookRejectedException;
import dev.billingsdk.purchase.CheckoutStarted;
import dev.billingsdk.purchase.Purchase;
import dev.billingsdk.purchase.PurchaseConflictException;
import dev.billingsdk.purchase.PurchaseId;
import dev.billingsdk.purchase.PurchaseNotFoundException;
import dev.billingsdk.purchase.PurchaseState;
import dev.billingsdk.purchase.PurchaseTransition;
import dev.billingsdk.purchase.PurchasedItem;
import dev.billingsdk.purchase.Purchases;
import dev.billingsdk.purchase.RefundExceedsUnusedCreditException;
import dev.billingsdk.purchase.RefundOutcome;
import dev.billingsdk.purchase.RefundRequest;
import dev.billingsdk.purchase.ReturnOutcome;
import dev.billingsdk.purchase.StartCheckoutRequest;
import dev.billingsdk.purchase.WebhookOutcome;
import dev.billingsdk.purchase.WebhookOutcome.Effect;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.ProviderEventStore;
import dev.billingsdk.spi.PurchaseStore;
import dev.billingsdk.spi.StoredProviderEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Implements {@link Purchases}. Each flow reads top to bottom: decide (what is bought, what the
 * provider says), write (the provider call, the ledger, the purchase's transition), publish.
 *
 * <p>Exactly once, across processes, comes from keys, not from locks: a paid package's grants are
 * one ledger transaction under the purchase's key, a refund's clawback one under the provider's
 * refund id, and a transition is stored only on the version it was decided on and only once per
 * cause. The ledger is written before the transition, so a process that dies between the two leaves
 * the purchase where a repeated webhook finishes it (the ledger write then replays).
 */
public final class PurchaseService implements Purchases {
  private final PurchaseStore purchases;
  private final ProviderEventStore providerEvents;
  private final BillingStore ledger;
  private final Catalogue catalogue;
  private final CreditService credits;
  private final Map<String, PaymentProvider> providers;
  private final Clock clock;
  private final AccessPolicy access;
  private final Events events;
  private final Observation observation;
  private final Transitions transitions;
  private final Refunds refunds;
  private final Settlement settlement;
  private final OffSessionCharges offSession;

  public PurchaseService(
      PurchaseStore purchases,
      ProviderEventStore providerEvents,
      BillingStore ledger,
      Catalogue catalogue,
      CreditService credits,
      Map<String, PaymentProvider> providers,
      Clock clock,
      AccessPolicy access,
      Events events,
      PlanPayments plans,
      Observation observation) {
    this.purchases = purchases;
    this.providerEvents = providerEvents;
    this.ledger = ledger;
    this.catalogue = catalogue;
    this.credits = credits;
    this.providers = Map.copyOf(providers);
    this.clock = clock;
    this.access = access;
    this.events = events;
    this.observation = observation;
    this.transitions = new Transitions(purchases, events);
    this.refunds = new Refunds(purchases, ledger, catalogue, credits, transitions);
    this.settlement = new Settlement(transitions, refunds, plans);
    this.offSession =
        new OffSessionCharges(purchases, this::provider, transitions, settlement, clock);
  }

  // ------------------------------------------------------------------ checkout

  @Override
  public CheckoutStarted startCheckout(StartCheckoutRequest r) {
    return start(r, false);
  }

  /**
   * The hosted checkout of a subscription's first period, for subscriptions the library renews: a
   * one-time payment of the plan's price whose payment method is saved for the off-session charges
   * of later periods (never the provider's own recurring billing, which would charge twice).
   */
  public CheckoutStarted startFirstPeriodCheckout(StartCheckoutRequest r) {
    return start(r, true);
  }

  private CheckoutStarted start(StartCheckoutRequest r, boolean renewedByLibrary) {
    InvalidRequestException.requireNonNull(r, "request");
    access.check(r.actor(), Operation.PURCHASE, r.tenant());
    PaymentProvider provider = provider(r.provider());
    // Decide: the item on sale, its price, and the account that will hold its credits.
    CatalogueItem item;
    Amount price;
    CheckoutRequest.Builder checkout;
    if (r.creditPackage().isPresent()) {
      PackageId id = r.creditPackage().get();
      CreditPackage p =
          catalogue
              .creditPackage(r.tenant(), id)
              .orElseThrow(
                  () ->
                      new CatalogueItemNotFoundException(
                          r.tenant(), CatalogueItem.Kind.CREDIT_PACKAGE, id.value()));
      var account =
          credits
              .findAccount(r.tenant(), r.account())
              .orElseThrow(() -> new AccountNotFoundException(r.tenant(), r.account()));
      if (!account.unit().equals(p.credits().unit())) {
        throw new InvalidRequestException(
            "creditPackage",
            id,
            "grants " + p.credits().unit().code() + ", the account holds " + account.unit().code());
      }
      item = p;
      price = p.price();
      checkout = CheckoutRequest.builder(r.purchase().value(), price);
    } else {
      var id = r.plan().orElseThrow();
      SubscriptionPlan plan =
          catalogue
              .plan(r.tenant(), id)
              .orElseThrow(
                  () ->
                      new CatalogueItemNotFoundException(
                          r.tenant(), CatalogueItem.Kind.SUBSCRIPTION_PLAN, id.value()));
      var currency = r.planCurrency().orElseThrow();
      price =
          plan.price(currency)
              .orElseThrow(
                  () ->
                      new InvalidRequestException(
                          "planCurrency",
                          currency,
                          "is not a currency plan " + id + " is sold in"));
      item = plan;
      checkout = CheckoutRequest.builder(r.purchase().value(), price);
      if (!renewedByLibrary) {
        checkout.recurring(plan.cadence());
      }
    }
    if (!item.purchasable()) {
      throw new CatalogueItemArchivedException(item.itemId(), item.revision().version());
    }
    Instant now = InputContract.now(clock);
    Purchase fresh =
        new Purchase(
            r.tenant(),
            r.purchase(),
            r.account(),
            PurchasedItem.of(item),
            price,
            provider.name(),
            PurchaseState.CREATED,
            Optional.empty(),
            Optional.empty(),
            Amount.zero(price.unit()),
            false,
            now,
            now,
            0);
    // Write: the purchase (or the one already started under this id), then its checkout.
    Purchase stored = purchases.createIfAbsent(fresh);
    boolean created = stored.equals(fresh);
    if (!stored.account().equals(fresh.account())
        || stored.item().kind() != fresh.item().kind()
        || !stored.item().itemId().equals(fresh.item().itemId())
        || !stored.provider().equals(fresh.provider())) {
      throw new PurchaseConflictException(
          r.purchase(), "was started for " + stored.item().itemId() + " of " + stored.account());
    }
    if (stored.state() != PurchaseState.CREATED && stored.state() != PurchaseState.PENDING) {
      throw new PurchaseConflictException(r.purchase(), "is " + stored.state() + ", not open");
    }
    checkout
        .description(item.name())
        .successUrl(r.successUrl())
        .cancelUrl(r.cancelUrl())
        .idempotencyKey(Keys.checkout(r.purchase()))
        .saveForOffSession(r.saveForOffSession() || renewedByLibrary)
        .metadata("tenant", r.tenant().value())
        .metadata("purchase", r.purchase().value())
        .metadata("account", r.account().value());
    r.customer().ifPresent(checkout::customer);
    r.customerEmail().ifPresent(checkout::customerEmail);
    Optional.ofNullable(item.providerRefs().get(provider.name())).ifPresent(checkout::priceRef);
    CheckoutSession session = provider.createCheckout(checkout.build());
    Purchase pending =
        transitions
            .move(
                stored,
                PurchaseState.PENDING,
                "library:checkout",
                "hosted checkout " + session.reference(),
                Optional.of(session.reference()),
                Optional.empty(),
                now)
            .purchase();
    if (!pending.checkoutRef().equals(Optional.of(session.reference()))) {
      throw new PurchaseConflictException(
          r.purchase(), "already has checkout " + pending.checkoutRef().orElse("(none)"));
    }
    // Publish.
    if (created) {
      transitions.publish(pending, Change.CREATED, pending.amount(), "", now);
    }
    return new CheckoutStarted(pending, session.redirectUrl());
  }

  /** Purchases charged to a saved method without the customer: renewals, auto-top-ups. */
  public OffSessionCharges offSession() {
    return offSession;
  }

  // ------------------------------------------------------------------ webhooks

  @Override
  public WebhookOutcome handleWebhook(
      String providerName, byte[] body, Map<String, List<String>> headers) {
    String known = null; // the provider's name once it is known to be configured
    PaymentProvider provider;
    ProviderEvent event;
    try {
      provider = provider(providerName);
      known = provider.name();
      InvalidRequestException.requireNonNull(body, "body");
      InvalidRequestException.requireNonNull(headers, "headers");
      event = provider.verifyWebhook(body, headers);
    } catch (WebhookRejectedException | InvalidRequestException refused) {
      // Refused before anything is stored; a provider that could not be reached is not a refusal.
      observation.webhookRejected(known, refused);
      throw refused;
    }
    Instant now = InputContract.now(clock);
    if (!providerEvents.recordIfAbsent(event, now)) {
      Optional<StoredProviderEvent> stored = providerEvents.find(event.provider(), event.eventId());
      if (stored.isPresent() && stored.get().processedAt().isPresent()) {
        return new WebhookOutcome(event, Effect.DUPLICATE, purchaseOf(event));
      }
      // Stored by a process that did not finish it: every step below is idempotent, so finish.
    }
    Optional<Purchase> purchase = purchaseOf(event);
    Effect effect;
    if (purchase.isEmpty()) {
      effect = Effect.IGNORED;
    } else {
      effect =
          switch (event.kind()) {
            case CHECKOUT_COMPLETED, PAYMENT_SUCCEEDED, PAYMENT_FAILED, CHECKOUT_EXPIRED ->
                settle(provider, purchase.get(), event, now);
            case REFUNDED -> refunds.fromProvider(provider, purchase.get(), event, now);
            case OTHER -> Effect.IGNORED;
          };
      purchase = purchases.purchase(purchase.get().tenant(), purchase.get().id());
    }
    providerEvents.markProcessed(event.provider(), event.eventId(), now, effect.name());
    return new WebhookOutcome(event, effect, purchase);
  }

  // ------------------------------------------------------------------ the buyer's return

  @Override
  public ReturnOutcome handleReturn(String providerName, Map<String, List<String>> query) {
    PaymentProvider provider = provider(providerName);
    InvalidRequestException.requireNonNull(query, "query");
    // Decide: which payment the parameters name; only the provider's API says what became of it.
    Optional<PaymentLookup> lookup = provider.readReturn(query);
    Optional<Purchase> purchase =
        lookup.flatMap(l -> purchases.findByProviderRef(provider.name(), l.checkoutRef()));
    if (purchase.isEmpty()) {
      return new ReturnOutcome(Effect.IGNORED, Optional.empty());
    }
    Instant now = InputContract.now(clock);
    String cause =
        provider.name() + ":return:" + lookup.get().paymentRef().orElse(lookup.get().checkoutRef());
    Effect effect = settle(provider, purchase.get(), lookup.get(), cause, now);
    return new ReturnOutcome(
        effect, purchases.purchase(purchase.get().tenant(), purchase.get().id()));
  }

  private Optional<Purchase> purchaseOf(ProviderEvent e) {
    Optional<Purchase> p = Optional.empty();
    if (e.checkoutRef().isPresent()) {
      p = purchases.findByProviderRef(e.provider(), e.checkoutRef().get());
    }
    if (p.isEmpty() && e.paymentRef().isPresent()) {
      p = purchases.findByProviderRef(e.provider(), e.paymentRef().get());
    }
    return p;
  }

  /** A checkout's payment moved: read the provider's view, and act on it, not on the event. */
  private Effect settle(
      PaymentProvider provider, Purchase purchase, ProviderEvent event, Instant now) {
    PaymentLookup lookup =
        PaymentLookup.of(
            purchase.checkoutRef().or(event::checkoutRef).orElseThrow(), event.paymentRef());
    return settle(provider, purchase, lookup, event.provider() + ":" + event.eventId(), now);
  }

  private Effect settle(
      PaymentProvider provider,
      Purchase purchase,
      PaymentLookup lookup,
      String cause,
      Instant now) {
    PaymentView view = provider.fetchPayment(lookup);
    return switch (view.status()) {
      case PAID -> {
        Effect paid = settlement.paid(purchase, view, cause, now);
        Effect refunded = refunds.applyListed(purchase, view, now);
        yield paid == Effect.NO_CHANGE ? refunded : paid;
      }
      case FAILED -> transitions.finish(purchase, PurchaseState.FAILED, Change.FAILED, cause, now);
      case EXPIRED ->
          transitions.finish(purchase, PurchaseState.EXPIRED, Change.EXPIRED, cause, now);
      case OPEN, PENDING -> Effect.NO_CHANGE;
    };
  }

  // ------------------------------------------------------------------ refunds

  @Override
  public RefundOutcome refund(RefundRequest r) {
    InvalidRequestException.requireNonNull(r, "request");
    access.check(r.actor(), Operation.REFUND, r.tenant());
    Purchase purchase =
        purchases
            .purchase(r.tenant(), r.purchase())
            .orElseThrow(() -> new PurchaseNotFoundException(r.tenant(), r.purchase()));
    PaymentProvider provider = provider(purchase.provider());
    Amount open = purchase.amount().minus(purchase.refunded());
    Amount amount = r.amount().orElse(open);
    if (!purchase.state().wasPaid() || purchase.paymentRef().isEmpty() || !open.isPositive()) {
      throw new PurchaseConflictException(
          r.purchase(), "is " + purchase.state() + ": nothing to refund");
    }
    if (!amount.unit().equals(open.unit()) || amount.compareTo(open) > 0) {
      throw new InvalidRequestException("amount", amount, "must be at most the unrefunded " + open);
    }
    // Decide: the credit this refund takes back must still be unused, or the refund is refused.
    Amount share = refunds.creditShare(purchase, amount);
    Amount unused = refunds.unusedCredit(purchase);
    if (share.compareTo(unused) > 0 && r.beyondUnused() == RefundRequest.BeyondUnused.REFUSE) {
      throw new RefundExceedsUnusedCreditException(r.purchase(), share, unused);
    }
    // Write: the provider's refund, then the credit and the purchase.
    ProviderRefund refund =
        provider.refund(RefundCall.of(purchase.paymentRef().get(), amount, r.idempotencyKey()));
    Instant now = InputContract.now(clock);
    return refunds.apply(purchase, refund, r.actor(), r.reason(), now);
  }

  // ------------------------------------------------------------------ reads

  @Override
  public Optional<Purchase> purchase(TenantId tenant, PurchaseId id) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(id, "purchase");
    return purchases.purchase(tenant, id);
  }

  @Override
  public List<PurchaseTransition> history(TenantId tenant, PurchaseId id) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(id, "purchase");
    return purchases.transitions(tenant, id);
  }

  /**
   * The configured provider of that name.
   *
   * @throws InvalidRequestException (field {@code provider}) if none is configured under it
   */
  public PaymentProvider provider(String name) {
    InvalidRequestException.requireNonNull(name, "provider");
    PaymentProvider p = providers.get(name);
    if (p == null) {
      throw new InvalidRequestException(
          "provider", name, "is not configured (configured: " + providers.keySet() + ")");
    }
    return p;
  }

  /** The actor of writes a provider's webhook causes. */
  static Actor actorOf(String provider) {
    return Actor.system("payments-" + provider);
  }

  /** The grants a paid package made, in the order they were written. */
  static List<GrantId> grantsOf(BillingStore ledger, Purchase purchase) {
    return ledger
        .findTransaction(purchase.tenant(), Keys.grant(purchase.id()))
        .map(CreditService::grantsMadeBy)
        .orElse(List.of());
  }
}
