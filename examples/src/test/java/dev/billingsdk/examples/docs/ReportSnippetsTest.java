package dev.billingsdk.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
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
import dev.billingsdk.export.ReportCsv;
import dev.billingsdk.export.ReportJson;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.memory.InMemoryEconomyStore;
import dev.billingsdk.memory.InMemoryProjectCostStore;
import dev.billingsdk.memory.InMemoryRevenueStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.money.Percentage;
import dev.billingsdk.money.Price;
import dev.billingsdk.report.AgentRevenueRow;
import dev.billingsdk.report.PartnerRevenueRow;
import dev.billingsdk.report.PayoutRequest;
import dev.billingsdk.report.PayoutRun;
import dev.billingsdk.report.ProjectCostRow;
import dev.billingsdk.report.ProjectInvoice;
import dev.billingsdk.report.ProjectInvoiceRequest;
import dev.billingsdk.report.RevenueQuery;
import dev.billingsdk.report.RevenueReports;
import dev.billingsdk.report.RevenueRow;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.testkit.TestClock;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The code of docs/reports.md, run: seed 000's figures worked by hand. */
class ReportSnippetsTest {

  @Test
  void revenuePartnerAgentPayoutsCostsAndInvoices() {
    TestClock clock = new TestClock(Instant.parse("2026-03-01T09:00:00Z"));
    // tag::setup[]
    InMemoryBillingStore store = InMemoryBillingStore.create(); // or a JdbcBillingStore
    Billing billing =
        Billing.builder()
            .store(store)
            .economy(InMemoryEconomyStore.create()) // the shares and the price per credit
            .revenue(InMemoryRevenueStore.of(store)) // or JdbcRevenueStore.create(ds, prefix)
            .projectCosts(InMemoryProjectCostStore.create()) // or JdbcProjectCostStore
            .clock(clock)
            .build();
    TenantId tenant = TenantId.of("acme-ai");
    Actor fiona = Actor.of("fiona", Role.FINANCE);
    CreditUnit credit = CreditUnit.of("CREDIT", 0);
    CurrencyUnit usd = CurrencyUnit.of("USD");
    billing
        .economy()
        .saveSettings(
            SettingsUpdate.of(
                tenant,
                0,
                EconomySettings.builder(CreditPrice.of(Amount.of(credit, 100), Amount.of(usd, 1)))
                    .partnerRevenueShare(Percentage.of(30))
                    .agentRevenueShare(Percentage.of(10))
                    .build(),
                fiona,
                "launch shares"));
    // end::setup[]

    AccountId ann = AccountId.of("ann");
    AccountId alice = AccountId.of("alice");
    for (AccountId id : List.of(ann, alice)) {
      billing
          .credits()
          .openAccount(OpenAccountRequest.builder(tenant, id, credit).actor(fiona).build());
    }
    // tag::consumption[]
    // Ann, an agent, referred Alice; partner-p publishes the module llm-tokens.
    billing
        .economy()
        .recordReferral(ReferralRequest.of(tenant, ann, alice, clock.instant(), fiona));
    RevenueReports reports = billing.revenue();
    reports.publishModule(tenant, "llm-tokens", "partner-p", clock.instant(), fiona);

    // Alice buys 1,000 credits for $10 and is given 200 promotional ones.
    billing
        .credits()
        .grant(
            GrantRequest.builder(tenant, alice, Amount.of(credit, 1_000))
                .category(GrantCategory.PURCHASED)
                .costBasis(CostBasis.paid(Price.of(Amount.of(usd, 10), Amount.of(credit, 1_000))))
                .idempotencyKey(IdempotencyKey.of("purchase-1"))
                .actor(fiona)
                .reason("credit package")
                .build());
    billing
        .credits()
        .grant(
            GrantRequest.builder(tenant, alice, Amount.of(credit, 200))
                .category(GrantCategory.PROMOTIONAL)
                .idempotencyKey(IdempotencyKey.of("welcome-1"))
                .actor(fiona)
                .reason("welcome credits")
                .build());
    // She spends 700 credits on the partner's module: the free credits go first (grant order),
    // so 500 purchased credits are consumed.
    billing
        .credits()
        .charge(
            ChargeRequest.builder(
                    tenant,
                    alice,
                    Charge.of(ChargeKind.USAGE, "llm-tokens", Amount.of(credit, 700)))
                .idempotencyKey(IdempotencyKey.of("usage-1"))
                .actor(Actor.system("meter"))
                .reason("usage")
                .build());
    // end::consumption[]

    clock.set(Instant.parse("2026-04-01T00:05:00Z"));
    // tag::revenue[]
    RevenueQuery march =
        RevenueQuery.month(
            tenant, YearMonth.of(2026, 3), ZoneOffset.UTC, RoundingMode.HALF_EVEN, fiona);
    List<RevenueRow> trueRevenue = reports.trueRevenue(march);
    // 500 purchased credits at $0.01: $5.00; the 200 promotional ones are not revenue.
    assertThat(trueRevenue.get(0).revenue()).isEqualTo(Amount.of(usd, "5.00"));

    List<PartnerRevenueRow> partners = reports.partnerRevenue(march);
    // The partner's 30 % of the module's $5.00.
    assertThat(partners.get(0).partnerShare()).isEqualTo(Amount.of(usd, "1.50"));

    List<AgentRevenueRow> agents = reports.agentRevenue(march);
    // Ann's 10 % of what the account she referred paid for.
    assertThat(agents.get(0).commission()).isEqualTo(Amount.of(usd, "0.50"));
    // end::revenue[]

    // tag::payouts[]
    PayoutRun dry =
        reports.runPayouts(
            PayoutRequest.dryRun(
                tenant, YearMonth.of(2026, 3), ZoneOffset.UTC, RoundingMode.HALF_EVEN, fiona));
    PayoutRun paid =
        reports.runPayouts(
            PayoutRequest.run(
                tenant, YearMonth.of(2026, 3), ZoneOffset.UTC, RoundingMode.HALF_EVEN, fiona));
    PayoutRun again =
        reports.runPayouts(
            PayoutRequest.run(
                tenant, YearMonth.of(2026, 3), ZoneOffset.UTC, RoundingMode.HALF_EVEN, fiona));
    assertThat(dry.created()).hasSize(1); // what would be written; nothing is
    assertThat(paid.created()).hasSize(1); // one payout for (partner-p, March)
    assertThat(again.created()).isEmpty(); // exactly once: the second run finds it
    // end::payouts[]

    // tag::costs[]
    Instant start = Instant.parse("2026-03-05T00:00:00Z");
    billing
        .projectCosts()
        .importRows(
            tenant,
            List.of(
                ProjectCostRow.builder(
                        "gcp-row-0001") // the export's own row id: re-imports are no-ops
                    .service("Compute Engine")
                    .sku("N2 Instance Core running in Americas")
                    .project("p-jupyter", "Jupyter hub")
                    .label("module", "jupyter")
                    .cost(Amount.of(usd, "12.34"))
                    .usage(start, start.plusSeconds(3600))
                    .build()),
            fiona);
    ProjectInvoice invoice =
        billing
            .projectCosts()
            .invoice(
                ProjectInvoiceRequest.of(
                    tenant, YearMonth.of(2026, 3), RoundingMode.HALF_UP, fiona));
    // $12.34 at 100 credits a dollar: 1,234 credits.
    assertThat(invoice.lines().get(0).credits()).isEqualTo(Amount.of(credit, 1_234));
    // end::costs[]

    // tag::exports[]
    String invoiceCsv = ReportCsv.projectInvoice(invoice); // for the accounting software
    String revenueCsv = ReportCsv.revenue(trueRevenue);
    String partnerJson = ReportJson.partnerRevenue(partners); // schema billingsdk.revenue/1
    // end::exports[]
    assertThat(invoiceCsv).contains("p-jupyter,Jupyter hub,12.34,USD,1234,CREDIT");
    assertThat(revenueCsv).contains("llm-tokens,500,CREDIT,5.00,USD");
    assertThat(partnerJson).contains("\"partner\" : \"partner-p\"");
  }
}
