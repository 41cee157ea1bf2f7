package dev.billingsdk.internal.subscription;

import dev.billingsdk.AccessPolicy;
import dev.billingsdk.AccountId;
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
import dev.billingsdk.catalogue.PlanId;
import dev.billingsdk.catalogue.SubscriptionPlan;
import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.AccountNotFoundException;
import dev.billingsdk.economy.SettingsVersion;
import dev.billingsdk.internal.credit.CreditService;
import dev.billingsdk.internal.event.Events;
import dev.billingsdk.internal.purchase.OffSessionCharges;
import dev.billingsdk.internal.purchase.PlanPayments;
import dev.billingsdk.internal.purchase.PurchaseService;
import dev.billingsdk.money.Amount;
import dev.billingsdk.purchase.CheckoutStarted;
import dev.billingsdk.purchase.StartCheckoutRequest;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.EconomyStore;
import dev.billingsdk.spi.SubscriptionStore;
import dev.billingsdk.subscription.DunningSchedule;
import dev.billingsdk.subscription.PlanChangeOutcome;
import dev.billingsdk.subscription.PlanRef;
import dev.billingsdk.subscription.RenewalRun;
import dev.billingsdk.subscription.SubscribeRequest;
import dev.billingsdk.subscription.Subscription;
import dev.billingsdk.subscription.SubscriptionChange;
import dev.billingsdk.subscription.SubscriptionChange.Kind;
import dev.billingsdk.subscription.SubscriptionId;
import dev.billingsdk.subscription.SubscriptionNotFoundException;
import dev.billingsdk.subscription.SubscriptionStarted;
import dev.billingsdk.subscription.SubscriptionState;
import dev.billingsdk.subscription.Subscriptions;
import dev.billingsdk.subscription.SubscriptionsDisabledException;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Subscriptions: started through a hosted checkout or a saved method, renewed by the library's job
 * with off-session charges (one code path for every provider, and never the provider's own
 * recurring billing as well), plan changes, cancellation. See {@code docs/subscriptions.md}.
 */
public final class SubscriptionService implements Subscriptions {
  private final SubscriptionStore store;
  private final EconomyStore economy;
  private final Catalogue catalogue;
  private final CreditService credits;
  private final PurchaseService purchases;
  private final Clock clock;
  private final AccessPolicy access;
  private final Moves moves;
  private final Allowances allowances;
  private final Activation activation;
  private final Payments payments;
  private final Renewals renewals;

  /** The parts the purchases need before the service exists: who is told of a paid first period. */
  public static final class Parts {
    final SubscriptionStore store;
    final Moves moves;
    final Allowances allowances;
    final Activation activation;

    public Parts(
        SubscriptionStore store,
        Catalogue catalogue,
        CreditService credits,
        BillingStore ledger,
        Events events) {
      this.store = store;
      this.moves = new Moves(store, events);
      this.allowances = new Allowances(catalogue, credits, ledger);
      this.activation = new Activation(store, allowances, moves);
    }

    public PlanPayments planPayments() {
      return activation;
    }
  }

  public SubscriptionService(
      Parts parts,
      EconomyStore economy,
      Catalogue catalogue,
      CreditService credits,
      PurchaseService purchases,
      DunningSchedule dunning,
      Clock clock,
      AccessPolicy access) {
    this.store = parts.store;
    this.economy = economy;
    this.catalogue = catalogue;
    this.credits = credits;
    this.purchases = purchases;
    this.clock = clock;
    this.access = access;
    this.moves = parts.moves;
    this.allowances = parts.allowances;
    this.activation = parts.activation;
    this.payments = new Payments(purchases.offSession(), allowances, activation, moves, dunning);
    this.renewals = new Renewals(store, purchases, activation, payments, moves);
  }

  // ------------------------------------------------------------------ subscribe

  @Override
  public SubscriptionStarted subscribe(SubscribeRequest r) {
    InvalidRequestException.requireNonNull(r, "request");
    access.check(r.actor(), Operation.SUBSCRIBE, r.tenant());
    // Decide: the switch, the plan on sale in the currency, the account that receives its credits.
    SettingsVersion settings =
        economy
            .latestSettings(r.tenant())
            .filter(s -> s.settings().subscriptionsEnabled())
            .orElseThrow(() -> new SubscriptionsDisabledException(r.tenant()));
    SubscriptionPlan plan = latestPlan(r.tenant(), r.plan());
    if (!plan.purchasable()) {
      throw new CatalogueItemArchivedException(plan.itemId(), plan.revision().version());
    }
    Amount price =
        plan.price(r.currency())
            .orElseThrow(
                () ->
                    new InvalidRequestException(
                        "currency",
                        r.currency(),
                        "is not a currency plan " + r.plan() + " is sold in"));
    Account account =
        credits
            .findAccount(r.tenant(), r.account())
            .orElseThrow(() -> new AccountNotFoundException(r.tenant(), r.account()));
    if (!account.unit().equals(plan.allowance().unit())) {
      throw new InvalidRequestException(
          "plan",
          r.plan(),
          "grants " + plan.allowance().unit() + ", the account holds " + account.unit());
    }
    purchases.provider(r.provider());
    Instant now = InputContract.now(clock);
    boolean trial = r.trial().isPresent();
    Instant anchor = r.trial().map(now::plus).orElse(now);
    Subscription fresh =
        new Subscription(
            r.tenant(),
            r.subscription(),
            r.account(),
            PlanRef.of(plan),
            Optional.empty(),
            plan.cadence(),
            price,
            r.provider(),
            trial ? SubscriptionState.TRIALING : SubscriptionState.INCOMPLETE,
            settings.settings().calendarZone(),
            now,
            anchor,
            0,
            trial ? Optional.of(anchor) : Optional.empty(),
            false,
            Optional.empty(),
            r.customer(),
            r.paymentMethod(),
            0,
            Optional.empty(),
            1);
    SubscriptionChange created =
        new SubscriptionChange(
            r.tenant(),
            r.subscription(),
            1,
            fresh.state(),
            fresh.state(),
            Kind.CREATED,
            now,
            r.actor().id(),
            "created",
            "subscribed to " + fresh.plan() + " at " + price + " per " + plan.cadence());
    // Write: the subscription (or the one already started under this id), then its first payment.
    Subscription stored = store.createIfAbsent(fresh, created);
    if (!stored.account().equals(fresh.account())
        || !stored.plan().plan().equals(fresh.plan().plan())
        || !stored.provider().equals(fresh.provider())) {
      throw new InvalidRequestException(
          "subscription",
          r.subscription(),
          "was started for " + stored.plan() + " of " + stored.account());
    }
    if (stored.equals(fresh)) {
      moves.publish(stored, created);
    }
    if (stored.state() != SubscriptionState.INCOMPLETE) {
      return new SubscriptionStarted(stored, Optional.empty(), stored.state().name());
    }
    if (r.successUrl().isPresent()) {
      StartCheckoutRequest.Builder checkout =
          StartCheckoutRequest.builder(
                  r.tenant(), r.account(), PeriodPurchases.attempt(r.subscription(), 0, 1))
              .plan(stored.plan().plan(), r.currency())
              .provider(r.provider())
              .successUrl(r.successUrl().get())
              .cancelUrl(r.cancelUrl().orElseThrow())
              .actor(r.actor());
      r.customer().ifPresent(checkout::customer);
      r.customerEmail().ifPresent(checkout::customerEmail);
      CheckoutStarted started = purchases.startFirstPeriodCheckout(checkout.build());
      return new SubscriptionStarted(
          stored, Optional.of(started.redirectUrl()), "waiting for the hosted checkout");
    }
    Optional<SubscriptionChange> first = payments.payNext(stored, now);
    Subscription after = moves.latest(stored);
    return new SubscriptionStarted(
        after, Optional.empty(), first.map(SubscriptionChange::detail).orElse("processing"));
  }

  private SubscriptionPlan latestPlan(TenantId tenant, PlanId id) {
    return catalogue
        .plan(tenant, id)
        .orElseThrow(
            () ->
                new CatalogueItemNotFoundException(
                    tenant, CatalogueItem.Kind.SUBSCRIPTION_PLAN, id.value()));
  }

  private Subscription required(TenantId tenant, SubscriptionId id) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(id, "subscription");
    return store
        .subscription(tenant, id)
        .orElseThrow(() -> new SubscriptionNotFoundException(tenant, id));
  }

  // ------------------------------------------------------------------ plan changes

  @Override
  public PlanChangeOutcome changePlan(
      TenantId tenant, SubscriptionId id, PlanId planId, Actor actor, String reason) {
    InvalidRequestException.requireNonNull(planId, "plan");
    InvalidRequestException.requireNonNull(actor, "actor");
    InputContract.reason(reason, "reason");
    access.check(actor, Operation.SUBSCRIBE, tenant);
    Subscription s = required(tenant, id);
    if (s.state() != SubscriptionState.ACTIVE) {
      throw new InvalidRequestException(
          "subscription", id, "is " + s.state() + ": only an active subscription changes plan");
    }
    // Decide: the new plan's latest version, on sale, in the same cadence and currency.
    SubscriptionPlan to = latestPlan(tenant, planId);
    if (!to.purchasable()) {
      throw new CatalogueItemArchivedException(to.itemId(), to.revision().version());
    }
    if (!to.cadence().equals(s.cadence())) {
      throw new InvalidRequestException(
          "plan",
          planId,
          "renews every " + to.cadence() + ", the subscription every " + s.cadence());
    }
    Amount newPrice =
        to.price(s.currency())
            .orElseThrow(
                () ->
                    new InvalidRequestException(
                        "plan", planId, "is not sold in " + s.currency().code()));
    PlanRef target = PlanRef.of(to);
    Instant now = InputContract.now(clock);
    if (target.equals(s.plan()) || s.nextPlan().equals(Optional.of(target))) {
      return new PlanChangeOutcome(
          s,
          PlanChangeOutcome.Result.UNCHANGED,
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          "already on " + target);
    }
    SubscriptionPlan from = allowances.plan(s, s.plan());
    if (newPrice.compareTo(s.price()) <= 0) {
      return downgrade(s, target, actor, reason, now);
    }
    return upgrade(s, from, to, newPrice, actor, reason, now);
  }

  private PlanChangeOutcome downgrade(
      Subscription s, PlanRef target, Actor actor, String reason, Instant now) {
    Subscription next =
        s.next(
            s.state(),
            s.plan(),
            Optional.of(target),
            s.price(),
            s.anchor(),
            s.paidPeriods(),
            s.cancelAtPeriodEnd(),
            s.endedAt(),
            s.customer(),
            s.paymentMethod(),
            s.failedAttempts(),
            s.nextAttemptAt());
    String detail = s.plan() + " -> " + target + " from " + s.paidUntil() + ": " + reason;
    Optional<SubscriptionChange> done =
        moves.apply(
            s,
            next,
            Kind.DOWNGRADE_SCHEDULED,
            actor.id(),
            "downgrade:v" + s.version(),
            detail,
            now);
    if (done.isEmpty()) {
      throw new InvalidRequestException(
          "subscription", s.id(), "changed meanwhile: read it again and decide again");
    }
    return new PlanChangeOutcome(
        next,
        PlanChangeOutcome.Result.DOWNGRADE_SCHEDULED,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        detail);
  }

  /**
   * An upgrade now: the rest of the period's price difference, rounded half up once to the
   * currency's minor unit, is charged off-session; the rest of its allowance difference, rounded
   * down once to the credit's minor unit, is granted until the period's end.
   */
  private PlanChangeOutcome upgrade(
      Subscription s,
      SubscriptionPlan from,
      SubscriptionPlan to,
      Amount newPrice,
      Actor actor,
      String reason,
      Instant now) {
    int period = s.paidPeriods() - 1;
    Instant end = s.paidUntil();
    if (!end.isAfter(now)) {
      throw new InvalidRequestException(
          "subscription", s.id(), "has a period to renew first (it ended at " + end + ")");
    }
    Duration length = s.periodLength(period);
    Duration remaining = Duration.between(now, end);
    Amount charge =
        Allowances.prorate(
            newPrice.minus(s.price()), remaining, length, RoundingMode.HALF_UP, "charge");
    Amount creditDiff = to.allowance().minus(from.allowance());
    Amount credits =
        creditDiff.isPositive()
            ? Allowances.prorate(
                creditDiff, remaining, length, RoundingMode.DOWN, "proratedCredits")
            : Amount.zero(creditDiff.unit());
    Optional<Amount> charged = Optional.empty();
    if (charge.isPositive()) {
      if (s.customer().isEmpty() || s.paymentMethod().isEmpty()) {
        return notTaken(s, "no saved payment method");
      }
      OffSessionCharges.Result r =
          purchases
              .offSession()
              .charge(
                  new OffSessionCharges.Charge(
                      s.tenant(),
                      s.account(),
                      PeriodPurchases.upgrade(s.id(), period, s.version()),
                      to,
                      charge,
                      s.provider(),
                      s.customer().get(),
                      s.paymentMethod().get(),
                      "upgrade to " + to.name() + ", rest of period " + period));
      if (r.status() != OffSessionCharges.Status.PAID) {
        return notTaken(s, r.detail());
      }
      charged = Optional.of(charge);
    }
    Subscription next =
        s.next(
            s.state(),
            PlanRef.of(to),
            Optional.empty(),
            newPrice,
            s.anchor(),
            s.paidPeriods(),
            s.cancelAtPeriodEnd(),
            s.endedAt(),
            s.customer(),
            s.paymentMethod(),
            s.failedAttempts(),
            s.nextAttemptAt());
    Optional<GrantId> grant = allowances.grantUpgrade(s, to, credits, now, Activation.ACTOR);
    String detail =
        s.plan()
            + " -> "
            + PlanRef.of(to)
            + ": charged "
            + charged.map(Amount::toString).orElse("nothing")
            + ", granted "
            + credits
            + " for the rest of period "
            + period
            + ": "
            + reason;
    moves.apply(s, next, Kind.UPGRADED, actor.id(), "upgrade:v" + s.version(), detail, now);
    return new PlanChangeOutcome(
        moves.latest(s),
        PlanChangeOutcome.Result.UPGRADED,
        charged,
        Optional.of(credits),
        grant,
        detail);
  }

  private static PlanChangeOutcome notTaken(Subscription s, String why) {
    return new PlanChangeOutcome(
        s,
        PlanChangeOutcome.Result.PAYMENT_NOT_TAKEN,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        "the upgrade's charge was not paid: " + why);
  }

  // ------------------------------------------------------------------ cancel

  @Override
  public Subscription cancel(
      TenantId tenant, SubscriptionId id, boolean atPeriodEnd, Actor actor, String reason) {
    InvalidRequestException.requireNonNull(actor, "actor");
    InputContract.reason(reason, "reason");
    access.check(actor, Operation.SUBSCRIBE, tenant);
    Subscription s = required(tenant, id);
    Instant now = InputContract.now(clock);
    for (int attempt = 0; attempt < 10; attempt++) {
      if (s.state().isFinal()) {
        throw new InvalidRequestException("subscription", id, "is " + s.state() + " already");
      }
      // Past due, the paid periods have ended already: "at period end" is now.
      boolean later =
          atPeriodEnd
              && (s.state() == SubscriptionState.ACTIVE || s.state() == SubscriptionState.TRIALING);
      Subscription next =
          later
              ? s.next(
                  s.state(),
                  s.plan(),
                  s.nextPlan(),
                  s.price(),
                  s.anchor(),
                  s.paidPeriods(),
                  true,
                  s.endedAt(),
                  s.customer(),
                  s.paymentMethod(),
                  s.failedAttempts(),
                  s.nextAttemptAt())
              : Payments.end(s, SubscriptionState.CANCELED, s.failedAttempts(), now);
      Kind kind = later ? Kind.CANCEL_SCHEDULED : Kind.CANCELED;
      String detail = (later ? "ends at " + s.paidUntil() + ": " : "canceled now: ") + reason;
      if (moves
          .apply(s, next, kind, actor.id(), "cancel:v" + s.version(), detail, now)
          .isPresent()) {
        return next;
      }
      s = moves.latest(s);
    }
    throw new InvalidRequestException(
        "subscription", id, "kept changing while being canceled: try again");
  }

  // ------------------------------------------------------------------ the job and reads

  @Override
  public RenewalRun runRenewals(TenantId tenant, Actor actor) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(actor, "actor");
    access.check(actor, Operation.RENEW_SUBSCRIPTIONS, tenant);
    return renewals.run(tenant, InputContract.now(clock));
  }

  @Override
  public Optional<Subscription> subscription(TenantId tenant, SubscriptionId id) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(id, "subscription");
    return store.subscription(tenant, id);
  }

  @Override
  public List<Subscription> subscriptionsOf(TenantId tenant, AccountId account) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    return store.subscriptionsOf(tenant, account);
  }

  @Override
  public List<SubscriptionChange> history(TenantId tenant, SubscriptionId id) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(id, "subscription");
    return store.changes(tenant, id);
  }
}
