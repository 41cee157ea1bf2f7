package dev.billingsdk.internal.topup;

import dev.billingsdk.AccessPolicy;
import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.Operation;
import dev.billingsdk.TenantId;
import dev.billingsdk.catalogue.Catalogue;
import dev.billingsdk.catalogue.CatalogueItem;
import dev.billingsdk.catalogue.CatalogueItemNotFoundException;
import dev.billingsdk.catalogue.CreditPackage;
import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.AccountNotFoundException;
import dev.billingsdk.credit.LowBalanceAlert;
import dev.billingsdk.economy.SettingsVersion;
import dev.billingsdk.event.TopUpUpdated;
import dev.billingsdk.internal.credit.CreditService;
import dev.billingsdk.internal.event.Events;
import dev.billingsdk.internal.purchase.OffSessionCharges;
import dev.billingsdk.internal.purchase.PurchaseService;
import dev.billingsdk.money.Amount;
import dev.billingsdk.purchase.Purchase;
import dev.billingsdk.purchase.PurchaseId;
import dev.billingsdk.spi.AccountSnapshot;
import dev.billingsdk.spi.AlertState;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.EconomyStore;
import dev.billingsdk.spi.TopUpStore;
import dev.billingsdk.topup.AutoTopUps;
import dev.billingsdk.topup.TopUpOutcome;
import dev.billingsdk.topup.TopUpOutcome.Result;
import dev.billingsdk.topup.TopUpRule;
import dev.billingsdk.topup.TopUpRuleRequest;
import dev.billingsdk.topup.TopUpState;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Auto-top-up. The trigger is the account's low-balance alert, set at the rule's threshold: its
 * firing is written with the debit that crossed the threshold, in the same store transaction, and
 * only once however many debits race (the alert is versioned with the account). The worker turns a
 * fired alert into one top-up: it claims the rule's next purchase on the rule's version (so of
 * racing workers one buys), charges the saved method off-session, and settles the rule.
 */
public final class TopUpService implements AutoTopUps {
  private final TopUpStore rules;
  private final BillingStore ledger;
  private final Catalogue catalogue;
  private final CreditService credits;
  private final PurchaseService purchases;
  private final @Nullable EconomyStore economy;
  private final Clock clock;
  private final AccessPolicy access;
  private final Events events;

  public TopUpService(
      TopUpStore rules,
      BillingStore ledger,
      Catalogue catalogue,
      CreditService credits,
      PurchaseService purchases,
      @Nullable EconomyStore economy,
      Clock clock,
      AccessPolicy access,
      Events events) {
    this.rules = rules;
    this.ledger = ledger;
    this.catalogue = catalogue;
    this.credits = credits;
    this.purchases = purchases;
    this.economy = economy;
    this.clock = clock;
    this.access = access;
    this.events = events;
  }

  static PurchaseId purchaseOf(AccountId account, long n) {
    return PurchaseId.of(account.value() + "-topup-" + n);
  }

  // ------------------------------------------------------------------ rules

  @Override
  public TopUpRule configure(TopUpRuleRequest r) {
    InvalidRequestException.requireNonNull(r, "request");
    access.check(r.actor(), Operation.CONFIGURE_TOP_UP, r.tenant());
    // Decide: the account, the package on sale in its unit, the cap in the package's currency.
    Account account =
        credits
            .findAccount(r.tenant(), r.account())
            .orElseThrow(() -> new AccountNotFoundException(r.tenant(), r.account()));
    CreditPackage p = creditPackage(r.tenant(), r.creditPackage());
    if (!p.credits().unit().equals(account.unit())
        || !r.threshold().unit().equals(account.unit())) {
      throw new InvalidRequestException(
          "creditPackage",
          r.creditPackage(),
          "grants " + p.credits().unit() + "; the account and threshold must be in it too");
    }
    if (!p.price().unit().equals(r.monthlyCap().unit())) {
      throw new InvalidRequestException(
          "monthlyCap", r.monthlyCap(), "must be in " + p.price().unit() + ", the package's price");
    }
    purchases.provider(r.provider());
    ZoneId zone =
        economy == null
            ? ZoneOffset.UTC
            : economy
                .latestSettings(r.tenant())
                .map(SettingsVersion::settings)
                .map(s -> s.calendarZone())
                .orElse(ZoneOffset.UTC);
    // Write: the rule (its guardrail counters kept), then the alert that triggers it.
    TopUpRule saved = null;
    for (int attempt = 0; attempt < 10 && saved == null; attempt++) {
      Optional<TopUpRule> current = rules.rule(r.tenant(), r.account());
      Instant now = InputContract.now(clock);
      TopUpRule next =
          new TopUpRule(
              r.tenant(),
              r.account(),
              r.threshold(),
              r.creditPackage(),
              r.provider(),
              r.customer(),
              r.paymentMethod(),
              r.cooldown(),
              r.monthlyCap(),
              r.maxFailures(),
              zone,
              TopUpState.ENABLED,
              0,
              current.flatMap(TopUpRule::pending),
              current.map(TopUpRule::requested).orElse(0L),
              current.flatMap(TopUpRule::lastTopUpAt),
              current.map(TopUpRule::spentMonth).orElse(YearMonth.from(now.atZone(zone))),
              current
                  .filter(c -> c.spent().unit().equals(r.monthlyCap().unit()))
                  .map(TopUpRule::spent)
                  .orElse(Amount.zero(r.monthlyCap().unit())),
              current.map(c -> c.version() + 1).orElse(1L));
      if (rules.save(current, next)) {
        saved = next;
      }
    }
    if (saved == null) {
      throw new InvalidRequestException(
          "account", r.account(), "its rule kept changing while being set: try again");
    }
    credits.configureAlertAuthorised(
        r.tenant(), r.account(), Optional.of(LowBalanceAlert.below(r.threshold())));
    return saved;
  }

  private CreditPackage creditPackage(TenantId tenant, dev.billingsdk.catalogue.PackageId id) {
    return catalogue
        .creditPackage(tenant, id)
        .orElseThrow(
            () ->
                new CatalogueItemNotFoundException(
                    tenant, CatalogueItem.Kind.CREDIT_PACKAGE, id.value()));
  }

  @Override
  public TopUpRule disable(TenantId tenant, AccountId account, Actor actor) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    InvalidRequestException.requireNonNull(actor, "actor");
    access.check(actor, Operation.CONFIGURE_TOP_UP, tenant);
    for (int attempt = 0; attempt < 10; attempt++) {
      TopUpRule current =
          rules
              .rule(tenant, account)
              .orElseThrow(
                  () -> new InvalidRequestException("account", account, "has no top-up rule"));
      TopUpRule next =
          current.next(
              TopUpState.DISABLED,
              current.failures(),
              current.pending(),
              current.requested(),
              current.lastTopUpAt(),
              current.spentMonth(),
              current.spent());
      if (rules.save(Optional.of(current), next)) {
        return next;
      }
    }
    throw new InvalidRequestException("account", account, "its rule kept changing: try again");
  }

  @Override
  public Optional<TopUpRule> rule(TenantId tenant, AccountId account) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    return rules.rule(tenant, account);
  }

  // ------------------------------------------------------------------ the worker

  @Override
  public List<TopUpOutcome> run(TenantId tenant, Actor actor) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(actor, "actor");
    access.check(actor, Operation.RUN_TOP_UPS, tenant);
    List<TopUpOutcome> out = new ArrayList<>();
    for (TopUpRule rule : rules.rules(tenant)) {
      process(rule).ifPresent(out::add);
    }
    return out;
  }

  @Override
  public Optional<TopUpOutcome> runFor(TenantId tenant, AccountId account, Actor actor) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    InvalidRequestException.requireNonNull(actor, "actor");
    access.check(actor, Operation.RUN_TOP_UPS, tenant);
    return rules.rule(tenant, account).flatMap(this::process);
  }

  private Optional<TopUpOutcome> process(TopUpRule rule) {
    if (rule.state() != TopUpState.ENABLED) {
      return Optional.empty();
    }
    Instant now = InputContract.now(clock);
    if (rule.pending().isPresent()) {
      PurchaseId id = rule.pending().get();
      Optional<Purchase> bought = purchases.purchase(rule.tenant(), id);
      if (bought.isPresent()) {
        return Optional.of(settle(rule, purchases.offSession().refresh(bought.get()), now));
      }
      // Claimed by a worker that died before charging: charge it now.
      CreditPackage p = creditPackage(rule.tenant(), rule.creditPackage());
      return Optional.of(settle(rule, charge(rule, id, p), now));
    }
    // Decide: the trigger, then the guardrails.
    if (!below(rule)) {
      return Optional.empty();
    }
    if (rule.lastTopUpAt().isPresent()
        && rule.lastTopUpAt().get().plus(rule.cooldown()).isAfter(now)) {
      return Optional.of(
          new TopUpOutcome(
              rule.account(),
              Result.COOLDOWN,
              Optional.empty(),
              "the last top-up was at " + rule.lastTopUpAt().get()));
    }
    CreditPackage p = creditPackage(rule.tenant(), rule.creditPackage());
    YearMonth month = YearMonth.from(now.atZone(rule.zone()));
    Amount spent = rule.spentIn(month);
    if (!p.price().unit().equals(rule.monthlyCap().unit())
        || spent.plus(p.price()).compareTo(rule.monthlyCap()) > 0) {
      return Optional.of(
          new TopUpOutcome(
              rule.account(),
              Result.MONTHLY_CAP_REACHED,
              Optional.empty(),
              "spent "
                  + spent
                  + " in "
                  + month
                  + "; "
                  + p.price()
                  + " more would pass the cap "
                  + rule.monthlyCap()));
    }
    // Write: claim the next top-up on the rule's version (one worker wins), then buy it.
    PurchaseId id = purchaseOf(rule.account(), rule.requested() + 1);
    TopUpRule claimed =
        rule.next(
            TopUpState.ENABLED,
            rule.failures(),
            Optional.of(id),
            rule.requested() + 1,
            rule.lastTopUpAt(),
            month,
            spent.plus(p.price()));
    if (!rules.save(Optional.of(rule), claimed)) {
      return Optional.empty();
    }
    return Optional.of(settle(claimed, charge(claimed, id, p), now));
  }

  /** Whether the account's alert, set at the rule's threshold, has fired and not re-armed. */
  private boolean below(TopUpRule rule) {
    Optional<AlertState> alert =
        ledger.loadAccount(rule.tenant(), rule.account()).flatMap(AccountSnapshot::alert);
    return alert.isPresent()
        && alert.get().below()
        && alert.get().alert().threshold().equals(rule.threshold());
  }

  private OffSessionCharges.Result charge(TopUpRule rule, PurchaseId id, CreditPackage p) {
    return purchases
        .offSession()
        .charge(
            new OffSessionCharges.Charge(
                rule.tenant(),
                rule.account(),
                id,
                p,
                p.price(),
                rule.provider(),
                rule.customer(),
                rule.paymentMethod(),
                "auto-top-up: " + p.name()));
  }

  /** Applies a top-up's result to its rule (once: on the rule's version, while it is pending). */
  private TopUpOutcome settle(TopUpRule claimed, OffSessionCharges.Result r, Instant now) {
    PurchaseId id = r.purchase().id();
    Result result =
        switch (r.status()) {
          case PAID -> Result.PAID;
          case PROCESSING -> Result.PROCESSING;
          case AUTHENTICATION_REQUIRED -> Result.AUTHENTICATION_REQUIRED;
          case DECLINED ->
              claimed.failures() + 1 >= claimed.maxFailures() ? Result.DISABLED : Result.FAILED;
        };
    if (result == Result.PROCESSING) {
      return new TopUpOutcome(claimed.account(), result, Optional.of(id), r.detail());
    }
    TopUpRule current = claimed;
    for (int attempt = 0; attempt < 10; attempt++) {
      if (!current.pending().equals(Optional.of(id))) {
        break; // settled by another worker
      }
      Amount price = r.purchase().amount();
      Amount released =
          current.spent().unit().equals(price.unit()) && current.spent().compareTo(price) >= 0
              ? current.spent().minus(price)
              : current.spent();
      TopUpRule next =
          switch (result) {
            case PAID ->
                current.next(
                    TopUpState.ENABLED,
                    0,
                    Optional.empty(),
                    current.requested(),
                    Optional.of(now),
                    current.spentMonth(),
                    current.spent());
            // Still the pending top-up (and still holding its share of the cap): the customer may
            // authenticate it yet, and nothing else is bought until it ends.
            case AUTHENTICATION_REQUIRED ->
                current.next(
                    TopUpState.PAUSED_FOR_AUTHENTICATION,
                    current.failures(),
                    current.pending(),
                    current.requested(),
                    current.lastTopUpAt(),
                    current.spentMonth(),
                    current.spent());
            // A failed attempt starts the cooldown too: a declining card is not retried in a storm.
            default ->
                current.next(
                    result == Result.DISABLED ? TopUpState.DISABLED : TopUpState.ENABLED,
                    current.failures() + 1,
                    Optional.empty(),
                    current.requested(),
                    Optional.of(now),
                    current.spentMonth(),
                    released);
          };
      if (rules.save(Optional.of(current), next)) {
        events.dispatch(
            List.of(
                new TopUpUpdated(
                    "top-up:" + current.tenant().value() + ":" + id.value() + ":" + result,
                    current.tenant(),
                    current.account(),
                    now,
                    id,
                    result,
                    r.detail().length() > 1000 ? r.detail().substring(0, 1000) : r.detail())));
        break;
      }
      Optional<TopUpRule> again = rules.rule(current.tenant(), current.account());
      if (again.isEmpty()) {
        break;
      }
      current = again.get();
    }
    return new TopUpOutcome(claimed.account(), result, Optional.of(id), r.detail());
  }
}
