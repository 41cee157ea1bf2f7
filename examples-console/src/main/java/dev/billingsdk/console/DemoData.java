package dev.billingsdk.console;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.catalogue.CreditPackageDraft;
import dev.billingsdk.catalogue.PackageId;
import dev.billingsdk.catalogue.PlanId;
import dev.billingsdk.catalogue.SubscriptionPlanDraft;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.CostBasis;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.economy.CreditPrice;
import dev.billingsdk.economy.EconomySettings;
import dev.billingsdk.economy.ReferralRequest;
import dev.billingsdk.economy.SettingsUpdate;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.money.Percentage;
import dev.billingsdk.money.Price;
import dev.billingsdk.report.ProjectCostRow;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.statement.StatementCloseRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * The demo's data, written when the console starts (before it serves a page or runs a job): two
 * tenants, their people's accounts with sign-up, purchased and partner credits, a referral (an
 * agent), two partner modules, credit packages and plans, a month of usage (last month), last
 * month's cloud costs, and last month's statements closed. The clock is pinned to each moment of
 * last month while it is written, so the ledger reads as if it had happened then.
 */
@Component
public class DemoData implements InitializingBean {
  public static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 2);
  public static final CurrencyUnit USD = CurrencyUnit.of("USD");
  public static final List<String> MODULES = List.of("jupyter", "rstudio");

  private static final Actor SYSTEM = Actor.system("console-demo");

  private final Billing billing;
  private final Directory directory;
  private final ConsoleClock clock;

  public DemoData(Billing billing, Directory directory, ConsoleClock clock) {
    this.billing = billing;
    this.directory = directory;
    this.clock = clock;
  }

  /** The month the demo's usage happened in: the one before the clock's. */
  public YearMonth usageMonth() {
    return YearMonth.from(clock.baseInstant().atZone(ZoneOffset.UTC)).minusMonths(1);
  }

  @Override
  public void afterPropertiesSet() {
    YearMonth month = usageMonth();
    Instant start =
        month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().plus(Duration.ofHours(8));
    try {
      clock.pin(start);
      for (TenantId tenant : List.of(Directory.ACME, Directory.GLOBEX)) {
        settle(tenant);
      }
      clock.pin(start.plus(Duration.ofHours(2)));
      usage(month, start);
      costs(month);
    } finally {
      clock.release();
    }
    for (TenantId tenant : List.of(Directory.ACME, Directory.GLOBEX)) {
      billing.statements().close(StatementCloseRequest.of(tenant, month, SYSTEM));
    }
  }

  /** Settings, catalogue, accounts and their first credits. */
  private void settle(TenantId tenant) {
    Actor finance = Actor.of("finance-" + tenant.value(), Role.FINANCE);
    billing
        .economy()
        .saveSettings(
            SettingsUpdate.of(
                tenant,
                0,
                EconomySettings.builder(CreditPrice.of(Amount.of(CREDIT, 100), Amount.of(USD, 1)))
                    .signUpCredits(Amount.of(CREDIT, 500))
                    .referralCredits(Amount.of(CREDIT, 200))
                    .maxReferralsPerMonth(2)
                    .creditsPerHour(Amount.of(CREDIT, 25))
                    .refreshInterval(Duration.ofHours(1))
                    .lowBalanceThreshold(Amount.of(CREDIT, 300))
                    .agentRevenueShare(Percentage.of("10"))
                    .partnerRevenueShare(Percentage.of("30"))
                    .subscriptionsEnabled(true)
                    .build(),
                finance,
                "launch"));
    billing
        .catalogue()
        .createPlan(
            tenant,
            SubscriptionPlanDraft.builder(PlanId.of("pro"), "Pro")
                .cadence(Period.ofMonths(1))
                .price(Amount.of(USD, "30.00"))
                .allowance(Amount.of(CREDIT, 4_000))
                .feature("Priority support")
                .build(),
            finance);
    billing
        .catalogue()
        .createPlan(
            tenant,
            SubscriptionPlanDraft.builder(PlanId.of("team"), "Team")
                .cadence(Period.ofMonths(1))
                .price(Amount.of(USD, "90.00"))
                .allowance(Amount.of(CREDIT, 15_000))
                .feature("Shared projects")
                .build(),
            finance);
    billing
        .catalogue()
        .createPackage(
            tenant,
            CreditPackageDraft.builder(PackageId.of("starter"), "Starter")
                .credits(Amount.of(CREDIT, 1_000))
                .price(Amount.of(USD, "10.00"))
                .build(),
            finance);
    billing
        .catalogue()
        .createPackage(
            tenant,
            CreditPackageDraft.builder(PackageId.of("boost"), "Boost")
                .credits(Amount.of(CREDIT, 5_000))
                .bonusCredits(Amount.of(CREDIT, 500))
                .price(Amount.of(USD, "50.00"))
                .build(),
            finance);
    for (Directory.Person p : directory.holders(tenant)) {
      AccountId account = p.account().orElseThrow();
      billing
          .credits()
          .openAccount(
              OpenAccountRequest.builder(tenant, account, CREDIT)
                  .holder(p.id())
                  .actor(finance)
                  .build());
      billing.economy().awardSignUpCredits(tenant, account, SYSTEM);
      if (p.roles().contains(Role.PARTNER)) {
        grant(
            tenant,
            account,
            GrantCategory.PARTNER_ALLOWANCE,
            "3000",
            null,
            "partner allowance",
            finance);
      }
    }
    if (tenant.equals(Directory.ACME)) {
      grant(
          tenant,
          AccountId.of("ursula"),
          GrantCategory.PURCHASED,
          "5000",
          "50.00",
          "Boost",
          finance);
      grant(
          tenant,
          AccountId.of("victor"),
          GrantCategory.PURCHASED,
          "1000",
          "10.00",
          "Starter",
          finance);
      billing.revenue().publishModule(tenant, "jupyter", "pat", clock.instant(), finance);
      billing.revenue().publishModule(tenant, "rstudio", "quinn", clock.instant(), finance);
      // Ursula brought Victor in: an agent, whose referred account's paid usage earns a commission.
      billing
          .economy()
          .recordReferral(
              ReferralRequest.of(
                  tenant, AccountId.of("ursula"), AccountId.of("victor"), clock.instant(), SYSTEM));
    }
  }

  private void grant(
      TenantId tenant,
      AccountId account,
      GrantCategory category,
      String credits,
      String paid,
      String name,
      Actor actor) {
    GrantRequest.Builder b =
        GrantRequest.builder(tenant, account, Amount.of(CREDIT, credits))
            .category(category)
            .name(name)
            .idempotencyKey(IdempotencyKey.of("demo-" + account.value() + "-" + category))
            .actor(actor)
            .reason(name);
    if (paid != null) {
      b.costBasis(CostBasis.paid(Price.of(Amount.of(USD, paid), Amount.of(CREDIT, credits))));
    }
    billing.credits().grant(b.build());
  }

  /** Every holder uses a module most days of the month. */
  private void usage(YearMonth month, Instant start) {
    int days = month.lengthOfMonth();
    for (int day = 2; day <= days; day++) {
      Instant at = start.plus(Duration.ofDays(day - 1)).plus(Duration.ofHours(day % 9));
      clock.pin(at);
      for (TenantId tenant : List.of(Directory.ACME, Directory.GLOBEX)) {
        List<ChargeRequest> charges = new ArrayList<>();
        for (Directory.Person p : directory.holders(tenant)) {
          if ((day + p.id().length()) % 3 == 0) {
            continue;
          }
          String module = MODULES.get((day + p.id().charAt(0)) % MODULES.size());
          long credits = 20 + (day * 7L + p.id().charAt(0)) % 60;
          AccountId account = p.account().orElseThrow();
          charges.add(
              ChargeRequest.builder(
                      tenant,
                      account,
                      Charge.of(ChargeKind.USAGE, module, Amount.of(CREDIT, credits)))
                  .idempotencyKey(
                      IdempotencyKey.of("demo-usage-" + account.value() + "-" + month + "-" + day))
                  .actor(SYSTEM)
                  .reason(module + " deployment")
                  .build());
        }
        billing.credits().chargeAll(charges);
      }
    }
  }

  /** Last month's cloud bill, a few projects per module (Google Cloud's export, in short). */
  private void costs(YearMonth month) {
    Instant from = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant to = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    List<ProjectCostRow> rows = new ArrayList<>();
    String[][] projects = {
      {"proj-genomics", "Genomics pipeline", "jupyter", "412.37"},
      {"proj-churn", "Churn model", "jupyter", "128.05"},
      {"proj-survey", "Survey analysis", "rstudio", "86.40"},
      {"proj-website", "Marketing website", "rstudio", "19.99"}
    };
    for (String[] p : projects) {
      rows.add(
          ProjectCostRow.builder("demo-" + month + "-" + p[0])
              .service("Compute Engine")
              .sku("N2 Instance Core running in Americas")
              .project(p[0], p[1])
              .label("module", p[2])
              .cost(Amount.of(USD, p[3]))
              .usage(from, to)
              .build());
    }
    billing.projectCosts().importRows(Directory.ACME, rows, Actor.of("console-import", Role.ADMIN));
  }
}
