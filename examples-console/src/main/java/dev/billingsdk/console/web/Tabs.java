package dev.billingsdk.console.web;

import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.console.Directory;
import dev.billingsdk.console.security.TokenActors;
import dev.billingsdk.setup.Billing;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * What every page shows above its content: who is signed in, and the tabs that person may open
 * (seed 000's Billing tabs for finance and admin, with Subscription Tiers only while the tenant's
 * settings turn subscriptions on, then the reports; seed 002's statement, transactions and balances
 * for the people who hold accounts; a partner's own revenue for partners who are not staff).
 */
@ControllerAdvice(
    assignableTypes = {
      BillingPages.class,
      ReportPages.class,
      StatementPages.class,
      AccountPages.class,
      PartnerPages.class,
      BuyPages.class
    })
public class Tabs {
  /** One tab: its label, where it leads, and whether it is the page shown. */
  public record Tab(String label, String href, boolean active) {}

  private final Directory directory;
  private final Billing billing;

  public Tabs(Directory directory, Billing billing) {
    this.directory = directory;
    this.billing = billing;
  }

  @ModelAttribute("me")
  Directory.Person me(@AuthenticationPrincipal Jwt jwt) {
    return jwt == null ? null : directory.find(jwt.getSubject()).orElse(null);
  }

  /** Whether the tenant's saved settings turn subscriptions on (seed 000's admin switch). */
  static boolean subscriptionsOn(Billing billing, TenantId tenant) {
    return billing
        .economy()
        .settings(tenant)
        .map(v -> v.settings().subscriptionsEnabled())
        .orElse(false);
  }

  @ModelAttribute("tabs")
  List<Tab> tabs(@AuthenticationPrincipal Jwt jwt, HttpServletRequest request) {
    List<Tab> tabs = new ArrayList<>();
    if (jwt == null) {
      return tabs;
    }
    Set<Role> roles = TokenActors.roles(jwt);
    String path = request.getRequestURI();
    if (roles.contains(Role.ADMIN) || roles.contains(Role.FINANCE)) {
      TenantId tenant = TokenActors.tenant(jwt);
      if (subscriptionsOn(billing, tenant)) {
        add(tabs, "Subscription Tiers", "/billing/subscription-tiers", path);
      }
      add(tabs, "Credit Settings", "/billing/credit-settings", path);
      add(tabs, "Credit Management", "/billing/credit-management", path);
      add(tabs, "Project Costs", "/billing/project-costs", path);
      add(tabs, "Revenue Reports", "/billing/revenue", path);
      add(tabs, "Project Invoices", "/billing/invoices", path);
    }
    boolean staff = roles.contains(Role.ADMIN) || roles.contains(Role.FINANCE);
    if (roles.contains(Role.USER) || staff) {
      add(tabs, "Statement", "/statement", path);
      add(tabs, "Transactions", "/transactions", path);
      add(tabs, "Balances", "/balances", path);
    }
    if (roles.contains(Role.PARTNER) && !staff) {
      add(tabs, "Partner Revenue", "/partner/revenue", path);
    }
    if (directory.find(jwt.getSubject()).flatMap(Directory.Person::account).isPresent()) {
      add(tabs, "Buy credits", "/buy", path);
    }
    return tabs;
  }

  private static void add(List<Tab> tabs, String label, String href, String path) {
    tabs.add(new Tab(label, href, path.equals(href) || path.startsWith(href + "/")));
  }
}
