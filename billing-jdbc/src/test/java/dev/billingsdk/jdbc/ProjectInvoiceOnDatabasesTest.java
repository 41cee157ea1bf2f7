package dev.billingsdk.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.Actor;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.economy.CreditPrice;
import dev.billingsdk.economy.EconomySettings;
import dev.billingsdk.economy.SettingsUpdate;
import dev.billingsdk.jdbc.TestDatabases.Db;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.report.ProjectCostQuery;
import dev.billingsdk.report.ProjectCostRow;
import dev.billingsdk.report.ProjectCostTotals.ProjectTotal;
import dev.billingsdk.report.ProjectInvoice;
import dev.billingsdk.report.ProjectInvoiceLine;
import dev.billingsdk.report.ProjectInvoiceRequest;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.testkit.TestClock;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The project invoice through {@code Billing} on each database: the store's {@code GROUP BY} sums,
 * a renamed project merged into one line, and the settings version in force from the JDBC economy
 * store.
 */
class ProjectInvoiceOnDatabasesTest {
  static final String PREFIX = "pinv_";
  static final CurrencyUnit USD = CurrencyUnit.of("USD");
  static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 0);
  static final Actor FINANCE = Actor.of("fiona", Role.FINANCE);

  static ProjectCostRow row(String id, String project, String name, String usd, String start) {
    Instant at = Instant.parse(start);
    return ProjectCostRow.builder(id)
        .service("Compute Engine")
        .sku("Core")
        .project(project, name)
        .label("module", "jupyter")
        .cost(Amount.of(USD, usd))
        .usage(at, at.plusSeconds(60))
        .build();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Db.class)
  void aMonthsInvoiceFromTheDatabase(Db db) {
    TestDatabases.assumeAvailable(db);
    TestDatabases.freshStore(db, PREFIX);
    DataSource ds = TestDatabases.pool(db, "main", 16);
    TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
    Billing billing =
        Billing.builder()
            .store(JdbcBillingStore.builder(ds).tablePrefix(PREFIX).build())
            .economy(JdbcEconomyStore.create(ds, PREFIX))
            .projectCosts(JdbcProjectCostStore.create(ds, PREFIX))
            .clock(clock)
            .build();
    TenantId tenant = TenantId.of("t-" + UUID.randomUUID());
    billing
        .economy()
        .saveSettings(
            SettingsUpdate.of(
                tenant,
                0,
                EconomySettings.builder(
                        CreditPrice.of(Amount.of(CREDIT, 100), Amount.of(USD, "3.00")))
                    .build(),
                FINANCE,
                "price"));
    billing
        .projectCosts()
        .importRows(
            tenant,
            List.of(
                row("a", "p-1", "Old name", "1.00", "2026-01-02T00:00:00Z"),
                row("b", "p-1", "New name", "0.10", "2026-01-03T00:00:00Z"),
                row("c", "p-2", "Two", "-0.01", "2026-01-31T23:59:59.999999Z"),
                row("d", "p-2", "Two", "9.99", "2026-02-01T00:00:00Z")),
            FINANCE);

    // p-1: 1.10 USD -> 36.67 -> 37 credits; p-2: -0.01 USD -> -0.33 -> 0 credits (HALF_UP).
    ProjectInvoice jan =
        billing
            .projectCosts()
            .invoice(
                ProjectInvoiceRequest.of(
                    tenant, YearMonth.of(2026, 1), RoundingMode.HALF_UP, FINANCE));
    assertThat(jan.lines())
        .containsExactly(
            new ProjectInvoiceLine(
                "p-1", "New name", Amount.of(USD, "1.10"), Amount.of(CREDIT, 37), 2),
            new ProjectInvoiceLine("p-2", "Two", Amount.of(USD, "-0.01"), Amount.of(CREDIT, 0), 1));
    assertThat(jan.totalCost()).isEqualTo(Amount.of(USD, "1.09"));
    assertThat(jan.totalCredits()).isEqualTo(Amount.of(CREDIT, 37));

    ProjectCostQuery january =
        ProjectCostQuery.between(
                tenant,
                Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-02-01T00:00:00Z"))
            .withLabel("module", "jupyter");
    assertThat(billing.projectCosts().totals(january, FINANCE).projects())
        .containsExactly(
            new ProjectTotal("p-1", "New name", Amount.of(USD, "1.10"), 2),
            new ProjectTotal("p-2", "Two", Amount.of(USD, "-0.01"), 1));
  }
}
