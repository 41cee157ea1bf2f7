package dev.billingsdk.console.web;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.console.DemoData;
import dev.billingsdk.console.security.TokenActors;
import dev.billingsdk.credit.DeductRequest;
import dev.billingsdk.credit.DeductResult;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.GrantResult;
import dev.billingsdk.economy.EconomySettings;
import dev.billingsdk.economy.SettingsUpdate;
import dev.billingsdk.economy.SettingsVersion;
import dev.billingsdk.money.Amount;
import dev.billingsdk.report.PartnerRevenueRow;
import dev.billingsdk.report.RevenueQuery;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.statement.Statement;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The administrative HTTP API, for bearer tokens in the {@code Authorization} header. Each call
 * acts as the token's actor, in the token's tenant; the library's access policy decides whether it
 * may ({@link ApiErrors} turns a refusal into 403 {@code insufficient_scope}).
 */
@RestController
@RequestMapping("/api")
public class AdminApi {
  private final Billing billing;

  public AdminApi(Billing billing) {
    this.billing = billing;
  }

  /** An account's statement for a month: the library shows users the accounts they hold only. */
  @GetMapping("/accounts/{account}/statements/{month}")
  public Map<String, Object> statement(
      @AuthenticationPrincipal Jwt jwt,
      @PathVariable("account") String account,
      @PathVariable("month") String month) {
    Statement s =
        billing
            .statements()
            .statement(
                TokenActors.tenant(jwt),
                AccountId.of(account),
                YearMonth.parse(month),
                TokenActors.actor(jwt));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("account", account);
    out.put("month", month);
    out.put("opening", s.opening().toString());
    out.put("credits", s.credits().toString());
    out.put("charges", s.charges().toString());
    out.put("closing", s.closing().toString());
    return out;
  }

  /** Credits awarded to an account in a category: admin and finance only. */
  @PostMapping("/accounts/{account}/grants")
  public Map<String, Object> grant(
      @AuthenticationPrincipal Jwt jwt,
      @PathVariable("account") String account,
      @RequestHeader("Idempotency-Key") String key,
      @RequestBody Map<String, String> body) {
    GrantResult r =
        billing
            .credits()
            .grant(
                GrantRequest.builder(
                        TokenActors.tenant(jwt),
                        AccountId.of(account),
                        Amount.of(DemoData.CREDIT, required(body, "credits")))
                    .category(GrantCategory.of(required(body, "category")))
                    .idempotencyKey(IdempotencyKey.of(key))
                    .actor(TokenActors.actor(jwt))
                    .reason(required(body, "reason"))
                    .build());
    return Map.of(
        "grant", r.grant().id().value(),
        "transaction", r.transaction().id().toString(),
        "replayed", r.replayed());
  }

  /**
   * Credits deducted from one category of an account: admin and finance only; more than the
   * category holds is refused with 409 and nothing changes.
   */
  @PostMapping("/accounts/{account}/deductions")
  public Map<String, Object> deduct(
      @AuthenticationPrincipal Jwt jwt,
      @PathVariable("account") String account,
      @RequestHeader("Idempotency-Key") String key,
      @RequestBody Map<String, String> body) {
    DeductResult r =
        billing
            .credits()
            .deduct(
                DeductRequest.builder(
                        TokenActors.tenant(jwt),
                        AccountId.of(account),
                        GrantCategory.of(required(body, "category")),
                        Amount.of(DemoData.CREDIT, required(body, "credits")))
                    .idempotencyKey(IdempotencyKey.of(key))
                    .actor(TokenActors.actor(jwt))
                    .reason(required(body, "reason"))
                    .build());
    return Map.of(
        "deducted", r.deducted().toString(),
        "transaction", r.transaction().id().toString(),
        "replayed", r.replayed());
  }

  /**
   * A partner's revenue for a month. Admin and finance read any partner; a partner reads itself
   * only: asking for another is refused here, and the library would show it its own modules only.
   */
  @GetMapping("/revenue/partners/{partner}")
  public List<Map<String, String>> partnerRevenue(
      @AuthenticationPrincipal Jwt jwt,
      @PathVariable("partner") String partner,
      @RequestParam("month") String month) {
    Actor actor = TokenActors.actor(jwt);
    TenantId tenant = TokenActors.tenant(jwt);
    if (actor.has(Role.PARTNER)
        && !actor.has(Role.ADMIN)
        && !actor.has(Role.FINANCE)
        && !actor.id().equals(partner)) {
      throw new dev.billingsdk.AccessDeniedException(
          actor, dev.billingsdk.Operation.READ_REPORTS, tenant);
    }
    List<PartnerRevenueRow> rows =
        billing
            .revenue()
            .partnerRevenue(
                RevenueQuery.builder(tenant, actor)
                    .month(YearMonth.parse(month))
                    .zone(java.time.ZoneOffset.UTC)
                    .rounding(java.math.RoundingMode.HALF_EVEN)
                    .build());
    return rows.stream()
        .filter(r -> r.partner().equals(partner))
        .map(
            r ->
                Map.of(
                    "module", r.module(),
                    "credits", r.credits().toString(),
                    "revenue", r.revenue().toString(),
                    "partnerShare", r.partnerShare().toString()))
        .toList();
  }

  /** Seed 000's dry-run modes: an admin action (the route needs the admin role). */
  @PutMapping("/admin/dry-run")
  public Map<String, Object> dryRun(
      @AuthenticationPrincipal Jwt jwt, @RequestBody Map<String, Boolean> body) {
    TenantId tenant = TokenActors.tenant(jwt);
    SettingsVersion current = billing.economy().settings(tenant).orElseThrow();
    EconomySettings.Builder b = EconomySettings.builder(current.settings());
    if (body.containsKey("monthlyReset")) {
      b.dryRunMonthlyReset(body.get("monthlyReset"));
    }
    if (body.containsKey("partnerPayouts")) {
      b.dryRunPartnerPayouts(body.get("partnerPayouts"));
    }
    SettingsVersion saved =
        billing
            .economy()
            .saveSettings(
                SettingsUpdate.of(
                    tenant, current.version(), b.build(), TokenActors.actor(jwt), "dry-run modes"));
    return Map.of(
        "version", saved.version(),
        "monthlyReset", saved.settings().dryRunMonthlyReset(),
        "partnerPayouts", saved.settings().dryRunPartnerPayouts());
  }

  private static String required(Map<String, String> body, String field) {
    String v = body.get(field);
    if (v == null || v.isBlank()) {
      throw new dev.billingsdk.InvalidRequestException(field, "(missing)", "is required");
    }
    return v;
  }
}
