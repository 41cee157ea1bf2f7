package dev.billingsdk.report;

import dev.billingsdk.Actor;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.economy.CreditPrice;
import dev.billingsdk.economy.EconomySettings;
import dev.billingsdk.economy.SettingsUpdate;
import dev.billingsdk.economy.SettingsVersion;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.memory.InMemoryEconomyStore;
import dev.billingsdk.memory.InMemoryProjectCostStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.testing.TestClock;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;

/** A platform with project costs on the in-memory stores and a story clock. */
class CostWorld {
  static final TenantId ACME = TenantId.of("acme");
  static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 0);
  static final CurrencyUnit USD = CurrencyUnit.of("USD");
  static final CurrencyUnit EUR = CurrencyUnit.of("EUR");
  static final Actor FINANCE = Actor.of("fiona", Role.FINANCE);
  static final Actor ADMIN = Actor.of("ada", Role.ADMIN);

  final TestClock clock;
  final InMemoryProjectCostStore costStore = InMemoryProjectCostStore.create();
  final Billing billing;
  private int settingsVersion;

  CostWorld(Instant start) {
    this.clock = new TestClock(start);
    this.billing =
        Billing.builder()
            .store(InMemoryBillingStore.create())
            .economy(InMemoryEconomyStore.create())
            .projectCosts(costStore)
            .clock(clock)
            .build();
  }

  ProjectCosts costs() {
    return billing.projectCosts();
  }

  static CreditPrice price(long credits, String usd) {
    return CreditPrice.of(Amount.of(CREDIT, credits), Amount.of(USD, usd));
  }

  SettingsVersion saveSettings(EconomySettings settings) {
    SettingsVersion v =
        billing
            .economy()
            .saveSettings(
                SettingsUpdate.of(ACME, settingsVersion, settings, FINANCE, "finance settings"));
    settingsVersion = v.version();
    return v;
  }

  SettingsVersion savePrice(CreditPrice price) {
    return saveSettings(EconomySettings.builder(price).build());
  }

  static ProjectCostRow row(String id, String project, String usd, String start) {
    return row(id, project, Amount.of(USD, usd), start, "jupyter");
  }

  static ProjectCostRow row(String id, String project, Amount cost, String start, String module) {
    Instant at = Instant.parse(start);
    return ProjectCostRow.builder(id)
        .service("Compute Engine")
        .sku("N2 Instance Core running in Americas")
        .project(project, project.toUpperCase(java.util.Locale.ROOT))
        .label("module", module)
        .cost(cost)
        .usage(at, at.plusSeconds(3600))
        .build();
  }

  ProjectCostImport importRows(ProjectCostRow... rows) {
    return costs().importRows(ACME, List.of(rows), FINANCE);
  }

  ProjectInvoice invoice(YearMonth month, RoundingMode rounding) {
    return costs().invoice(ProjectInvoiceRequest.of(ACME, month, rounding, FINANCE));
  }
}
