package dev.billingsdk.console.web;

import dev.billingsdk.AccessDeniedException;
import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Operation;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.catalogue.PlanId;
import dev.billingsdk.catalogue.SubscriptionPlanDraft;
import dev.billingsdk.console.DemoData;
import dev.billingsdk.console.Directory;
import dev.billingsdk.console.security.TokenActors;
import dev.billingsdk.credit.AccountBalance;
import dev.billingsdk.credit.CostBasis;
import dev.billingsdk.credit.DeductRequest;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.economy.CreditPrice;
import dev.billingsdk.economy.EconomySettings;
import dev.billingsdk.economy.SettingsUpdate;
import dev.billingsdk.economy.SettingsVersion;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.Percentage;
import dev.billingsdk.money.Price;
import dev.billingsdk.payment.PaymentProvider;
import dev.billingsdk.setup.Billing;
import java.time.Duration;
import java.time.Period;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Seed 000's Billing page for finance and admin: Subscription Tiers, Credit Settings and Credit
 * Management. Every figure shown is the library's; every change is a library call as the signed-in
 * person, which the library's access policy decides.
 */
@Controller
@RequestMapping("/billing")
public class BillingPages {
  /** The categories a person can award or deduct in, with seed 000's names. */
  static final Map<String, GrantCategory> AWARDABLE = new LinkedHashMap<>();

  static {
    AWARDABLE.put("Awarded", GrantCategory.PROMOTIONAL);
    AWARDABLE.put("Purchased", GrantCategory.PURCHASED);
    AWARDABLE.put("Partner", GrantCategory.PARTNER_ALLOWANCE);
  }

  /** The categories shown as columns, in this order, with the names a person reads. */
  static final Map<String, GrantCategory> COLUMNS = new LinkedHashMap<>();

  static {
    COLUMNS.put("Sign-up", GrantCategory.SIGN_UP);
    COLUMNS.put("Awarded", GrantCategory.PROMOTIONAL);
    COLUMNS.put("Referral", GrantCategory.REFERRAL);
    COLUMNS.put("Purchased", GrantCategory.PURCHASED);
    COLUMNS.put("Subscription", GrantCategory.SUBSCRIPTION_ALLOWANCE);
    COLUMNS.put("Partner", GrantCategory.PARTNER_ALLOWANCE);
  }

  private final Billing billing;
  private final Directory directory;
  private final List<PaymentProvider> providers;

  public BillingPages(Billing billing, Directory directory, List<PaymentProvider> providers) {
    this.billing = billing;
    this.directory = directory;
    this.providers = providers;
  }

  /** One row of Credit Management: a person and, if they hold one, their account's balance. */
  public record PersonRow(Directory.Person person, AccountBalance balance) {
    public Amount in(GrantCategory category) {
      return balance.availableByCategory().getOrDefault(category, Amount.zero(DemoData.CREDIT));
    }
  }

  // ------------------------------------------------------------------ Credit Management

  @GetMapping("/credit-management")
  public String creditManagement(
      @AuthenticationPrincipal Jwt jwt,
      @RequestParam(name = "q", defaultValue = "") String q,
      @RequestParam(name = "done", defaultValue = "") String done,
      @RequestParam(name = "what", defaultValue = "awarded") String what,
      Model model) {
    TenantId tenant = TokenActors.tenant(jwt);
    List<PersonRow> rows =
        directory.search(tenant, q).stream()
            .filter(p -> p.account().isPresent())
            .map(
                p -> new PersonRow(p, billing.credits().balance(tenant, p.account().orElseThrow())))
            .toList();
    model.addAttribute("q", q);
    model.addAttribute("done", done);
    model.addAttribute("what", "deducted".equals(what) ? "deducted from" : "awarded to");
    model.addAttribute("rows", rows);
    model.addAttribute(
        "staff", directory.search(tenant, q).stream().filter(p -> p.account().isEmpty()).toList());
    model.addAttribute("columns", COLUMNS);
    model.addAttribute("awardable", AWARDABLE);
    model.addAttribute("formKey", UUID.randomUUID().toString());
    return "credit-management";
  }

  @PostMapping("/credit-management/award")
  public String award(
      @AuthenticationPrincipal Jwt jwt,
      @RequestParam("account") String account,
      @RequestParam("category") String category,
      @RequestParam("credits") String credits,
      @RequestParam("reason") String reason,
      @RequestParam("key") String key) {
    TenantId tenant = TokenActors.tenant(jwt);
    GrantCategory c = category(category);
    GrantRequest.Builder grant =
        GrantRequest.builder(tenant, AccountId.of(account), Amount.of(DemoData.CREDIT, credits))
            .category(c)
            .name(category + " credits")
            .idempotencyKey(IdempotencyKey.of("console-award-" + key))
            .actor(TokenActors.actor(jwt))
            .reason(reason);
    if (c.equals(GrantCategory.PURCHASED)) {
      // Purchased credits state what was paid: credits bought outside the hosted checkout are
      // recorded at the tenant's credit price, so they count as true revenue when spent.
      CreditPrice price =
          billing
              .economy()
              .settings(tenant)
              .orElseThrow(
                  () ->
                      new dev.billingsdk.InvalidRequestException(
                          "category", category, "needs the tenant's credit price"))
              .settings()
              .creditPrice();
      grant.costBasis(CostBasis.paid(Price.of(price.money(), price.credits())));
    }
    billing.credits().grant(grant.build());
    return "redirect:/billing/credit-management?done=" + account + "&what=awarded";
  }

  /** Takes credits out of one category of the account (seed 000's "deduct"). */
  @PostMapping("/credit-management/deduct")
  public String deduct(
      @AuthenticationPrincipal Jwt jwt,
      @RequestParam("account") String account,
      @RequestParam("category") String category,
      @RequestParam("credits") String credits,
      @RequestParam("reason") String reason,
      @RequestParam("key") String key) {
    billing
        .credits()
        .deduct(
            DeductRequest.builder(
                    TokenActors.tenant(jwt),
                    AccountId.of(account),
                    category(category),
                    Amount.of(DemoData.CREDIT, credits))
                .idempotencyKey(IdempotencyKey.of("console-deduct-" + key))
                .actor(TokenActors.actor(jwt))
                .reason(reason)
                .build());
    return "redirect:/billing/credit-management?done=" + account + "&what=deducted";
  }

  private static GrantCategory category(String name) {
    GrantCategory c = AWARDABLE.get(name);
    if (c == null) {
      throw new dev.billingsdk.InvalidRequestException(
          "category", name, "is not one of " + AWARDABLE.keySet());
    }
    return c;
  }

  // ------------------------------------------------------------------ Subscription Tiers

  @GetMapping("/subscription-tiers")
  public String subscriptionTiers(@AuthenticationPrincipal Jwt jwt, Model model) {
    TenantId tenant = TokenActors.tenant(jwt);
    requireSubscriptions(tenant, TokenActors.actor(jwt));
    model.addAttribute("plans", billing.catalogue().plans(tenant));
    model.addAttribute("packages", billing.catalogue().creditPackages(tenant));
    Map<String, dev.billingsdk.payment.ProviderHealth> health = new LinkedHashMap<>();
    for (PaymentProvider p : providers) {
      health.put(p.name(), p.health());
    }
    model.addAttribute("providers", health);
    return "subscription-tiers";
  }

  @PostMapping("/subscription-tiers")
  public String createTier(
      @AuthenticationPrincipal Jwt jwt,
      @RequestParam("id") String id,
      @RequestParam("name") String name,
      @RequestParam("price") String price,
      @RequestParam("credits") String credits) {
    TenantId tenant = TokenActors.tenant(jwt);
    Actor actor = TokenActors.actor(jwt);
    requireSubscriptions(tenant, actor);
    billing
        .catalogue()
        .createPlan(
            tenant,
            SubscriptionPlanDraft.builder(PlanId.of(id), name)
                .cadence(Period.ofMonths(1))
                .price(Amount.of(DemoData.USD, price))
                .allowance(Amount.of(DemoData.CREDIT, credits))
                .build(),
            actor);
    return "redirect:/billing/subscription-tiers";
  }

  @PostMapping("/subscription-tiers/{id}/archive")
  public String archiveTier(
      @AuthenticationPrincipal Jwt jwt,
      @PathVariable("id") String id,
      @RequestParam("version") int version) {
    TenantId tenant = TokenActors.tenant(jwt);
    billing.catalogue().archivePlan(tenant, PlanId.of(id), version, TokenActors.actor(jwt));
    return "redirect:/billing/subscription-tiers";
  }

  private void requireSubscriptions(TenantId tenant, Actor actor) {
    if (!Tabs.subscriptionsOn(billing, tenant)) {
      throw new AccessDeniedException(actor, Operation.MANAGE_CATALOGUE, tenant);
    }
  }

  // ------------------------------------------------------------------ Credit Settings

  @GetMapping("/credit-settings")
  public String creditSettings(@AuthenticationPrincipal Jwt jwt, Model model) {
    TenantId tenant = TokenActors.tenant(jwt);
    model.addAttribute("current", billing.economy().settings(tenant).orElseThrow());
    model.addAttribute("history", billing.economy().history(tenant));
    model.addAttribute("admin", TokenActors.roles(jwt).contains(Role.ADMIN));
    return "credit-settings";
  }

  @PostMapping("/credit-settings")
  public String saveSettings(
      @AuthenticationPrincipal Jwt jwt,
      @RequestParam("version") int version,
      @RequestParam("creditsPerDollar") String creditsPerDollar,
      @RequestParam("signUpCredits") String signUpCredits,
      @RequestParam("referralCredits") String referralCredits,
      @RequestParam("maxReferrals") int maxReferrals,
      @RequestParam("creditsPerHour") String creditsPerHour,
      @RequestParam("refreshHours") long refreshHours,
      @RequestParam("lowBalance") String lowBalance,
      @RequestParam("agentShare") String agentShare,
      @RequestParam("partnerShare") String partnerShare,
      @RequestParam(name = "dryRunMonthlyReset", defaultValue = "false") boolean dryRunReset,
      @RequestParam(name = "dryRunPartnerPayouts", defaultValue = "false") boolean dryRunPayouts,
      @RequestParam(name = "subscriptionsEnabled", defaultValue = "false") boolean subscriptions,
      @RequestParam("reason") String reason) {
    TenantId tenant = TokenActors.tenant(jwt);
    Actor actor = TokenActors.actor(jwt);
    SettingsVersion current = billing.economy().settings(tenant).orElseThrow();
    EconomySettings was = current.settings();
    // Seed 000: the dry-run modes and the subscriptions switch are the admins'. The library lets
    // finance configure the economy; the console keeps these three switches for admins.
    if (!actor.has(Role.ADMIN)
        && (was.dryRunMonthlyReset() != dryRunReset
            || was.dryRunPartnerPayouts() != dryRunPayouts
            || was.subscriptionsEnabled() != subscriptions)) {
      throw new AccessDeniedException(actor, Operation.CONFIGURE_ECONOMY, tenant);
    }
    EconomySettings next =
        EconomySettings.builder(was)
            .creditPrice(
                CreditPrice.of(
                    Amount.of(DemoData.CREDIT, creditsPerDollar), Amount.of(DemoData.USD, 1)))
            .signUpCredits(Amount.of(DemoData.CREDIT, signUpCredits))
            .referralCredits(Amount.of(DemoData.CREDIT, referralCredits))
            .maxReferralsPerMonth(maxReferrals)
            .creditsPerHour(Amount.of(DemoData.CREDIT, creditsPerHour))
            .refreshInterval(Duration.ofHours(refreshHours))
            .lowBalanceThreshold(Amount.of(DemoData.CREDIT, lowBalance))
            .agentRevenueShare(Percentage.of(agentShare))
            .partnerRevenueShare(Percentage.of(partnerShare))
            .dryRunMonthlyReset(dryRunReset)
            .dryRunPartnerPayouts(dryRunPayouts)
            .subscriptionsEnabled(subscriptions)
            .build();
    billing.economy().saveSettings(SettingsUpdate.of(tenant, version, next, actor, reason));
    return "redirect:/billing/credit-settings";
  }
}
