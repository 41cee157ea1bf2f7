package dev.billingsdk.report;

import static dev.billingsdk.report.CostWorld.ACME;
import static dev.billingsdk.report.CostWorld.ADMIN;
import static dev.billingsdk.report.CostWorld.CREDIT;
import static dev.billingsdk.report.CostWorld.FINANCE;
import static dev.billingsdk.report.CostWorld.USD;
import static dev.billingsdk.report.CostWorld.price;
import static dev.billingsdk.report.CostWorld.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.AccessDeniedException;
import dev.billingsdk.AccessPolicy;
import dev.billingsdk.Actor;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.memory.InMemoryEconomyStore;
import dev.billingsdk.memory.InMemoryProjectCostStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.setup.Billing;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Bad input names its field and stores nothing; who may import and read is enforced. */
class ProjectCostRefusalsTest {
  static final Instant T = Instant.parse("2026-01-10T00:00:00Z");
  static final ProjectCostQuery JANUARY =
      ProjectCostQuery.between(
          ACME, Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-02-01T00:00:00Z"));

  final CostWorld w = new CostWorld(Instant.parse("2026-01-01T00:00:00Z"));

  static ProjectCostRow.Builder valid(String id) {
    return ProjectCostRow.builder(id).service("Compute Engine").sku("Core").project("p", "P");
  }

  private void assertNothingStored() {
    assertThat(w.costs().rows(JANUARY, FINANCE)).isEmpty();
  }

  private void refused(String field, Consumer<ProjectCostRow.Builder> mistake) {
    assertThatThrownBy(
            () -> {
              ProjectCostRow.Builder b = valid("bad");
              mistake.accept(b);
              w.importRows(row("good", "p", "1.00", "2026-01-05T00:00:00Z"), b.build());
            })
        .isInstanceOf(InvalidRequestException.class)
        .extracting(e -> ((InvalidRequestException) e).field())
        .isEqualTo(field);
    assertNothingStored();
  }

  @Test
  @DisplayName("a row without currency, with a blank project, or ending before it starts")
  void badRowsNameTheirFieldAndStoreNothing() {
    refused("cost", b -> b.cost(Amount.of(CREDIT, 5)).usage(T, T));
    refused("cost", b -> b.usage(T, T)); // never set: no currency default
    refused("usageEnd", b -> b.cost(Amount.of(USD, "1.00")).usage(T, T.minusNanos(1_000)));
    refused("projectId", b -> ProjectCostRow.builder("x").project(" ", "P"));
    refused("rowId", b -> ProjectCostRow.builder(""));
    refused("labels[module]", b -> b.label("module", "a").label("module", "b"));
    refused("label.key", b -> b.label(" module", "a"));
    refused("label.value", b -> b.label("module", "x".repeat(CostLabel.MAX_VALUE + 1)));
    assertThatThrownBy(
            () ->
                new ProjectCostRow(
                    "r", "s", "k", "", "P", java.util.Map.of(), Amount.of(USD, 1), T, T))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("projectId");
    assertThatThrownBy(
            () ->
                new ProjectCostRow(
                    "r",
                    "s",
                    "k",
                    "p",
                    "P",
                    java.util.Map.of(),
                    Amount.of(USD, 1),
                    T,
                    T.minusSeconds(1)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("usageEnd");
  }

  @Test
  @DisplayName("a negative cost is a credit or refund of the export, and is kept")
  void negativeCostIsAllowed() {
    w.importRows(valid("refund").cost(Amount.of(USD, "-2.50")).usage(T, T).build());
    assertThat(w.costs().totals(JANUARY, FINANCE).byCurrency())
        .containsExactly(Amount.of(USD, "-2.50"));
  }

  @Test
  @DisplayName("a batch with a conflicting row stores nothing and names the row id")
  void aConflictStoresNothingOfTheBatch() {
    w.importRows(row("r1", "p", "1.00", "2026-01-05T00:00:00Z"));
    assertThatThrownBy(
            () ->
                w.importRows(
                    row("r2", "p", "2.00", "2026-01-06T00:00:00Z"),
                    row("r1", "p", "1.01", "2026-01-05T00:00:00Z")))
        .isInstanceOfSatisfying(
            CostRowConflictException.class, e -> assertThat(e.rowId()).isEqualTo("r1"))
        .hasMessageContaining("r1");
    assertThat(w.costs().rows(JANUARY, FINANCE))
        .extracting(ProjectCostRow::rowId)
        .containsExactly("r1");
  }

  // Duplicates inside one batch were imported twice by Actual's importTransactions
  // (https://github.com/actualbudget/actual/issues/4280): here a repeat in the batch is a
  // duplicate,
  // and a repeat with other content a conflict.
  @Test
  @DisplayName("a row repeated within one batch is a duplicate; repeated with a change, a conflict")
  void repeatsWithinOneBatch() {
    ProjectCostImport result =
        w.importRows(
            row("r1", "p", "1.00", "2026-01-05T00:00:00Z"),
            row("r1", "p", "1.00", "2026-01-05T00:00:00Z"));
    assertThat(result.imported()).containsExactly("r1");
    assertThat(result.duplicates()).containsExactly("r1");
    assertThat(w.costs().totals(JANUARY, FINANCE).byCurrency())
        .containsExactly(Amount.of(USD, "1.00"));

    assertThatThrownBy(
            () ->
                w.importRows(
                    row("r2", "p", "1.00", "2026-01-05T00:00:00Z"),
                    row("r2", "p", "1.00", "2026-01-05T00:00:01Z")))
        .isInstanceOfSatisfying(
            CostRowConflictException.class, e -> assertThat(e.rowId()).isEqualTo("r2"));
    assertThat(w.costs().rows(JANUARY, FINANCE)).hasSize(1);
  }

  @Test
  @DisplayName("an empty, oversized or holed batch is refused naming rows")
  void badBatches() {
    assertThatThrownBy(() -> w.costs().importRows(ACME, List.of(), FINANCE))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("rows"));
    List<ProjectCostRow> tooMany = new ArrayList<>();
    for (int i = 0; i <= ProjectCosts.MAX_BATCH; i++) {
      tooMany.add(row("r" + i, "p", "1.00", "2026-01-05T00:00:00Z"));
    }
    assertThatThrownBy(() -> w.costs().importRows(ACME, tooMany, FINANCE))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("rows"));
    List<ProjectCostRow> holed =
        Arrays.asList(row("r1", "p", "1.00", "2026-01-05T00:00:00Z"), null);
    assertThatThrownBy(() -> w.costs().importRows(ACME, holed, FINANCE))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("rows[1]"));
    assertNothingStored();
  }

  @Test
  @DisplayName("a query whose end is before its start is refused")
  void badQuery() {
    assertThatThrownBy(() -> ProjectCostQuery.between(ACME, T, T.minusSeconds(1)))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("to"));
    assertThatThrownBy(() -> JANUARY.withLabel("module", "a").withLabel("module", "b"))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("label"));
  }

  @Test
  @DisplayName("an invoice needs settings saved before the month ended, and one currency")
  void invoiceRefusals() {
    w.importRows(row("r1", "p", "1.00", "2026-01-05T00:00:00Z"));
    assertThatThrownBy(() -> w.invoice(YearMonth.of(2026, 1), RoundingMode.HALF_UP))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("settings"));
    w.clock.set(Instant.parse("2026-02-01T00:00:00Z"));
    w.savePrice(price(100, "1.00"));
    // Saved at the first instant of February: not in force at the end of January.
    assertThatThrownBy(() -> w.invoice(YearMonth.of(2026, 1), RoundingMode.HALF_UP))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("settings"));
    w.importRows(
        CostWorld.row(
            "eur", "q", Amount.of(CostWorld.EUR, "1.00"), "2026-02-05T00:00:00Z", "jupyter"));
    assertThatThrownBy(() -> w.invoice(YearMonth.of(2026, 2), RoundingMode.HALF_UP))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("cost"))
        .hasMessageContaining("q");
  }

  @Test
  @DisplayName("partners, users and the host's jobs may not read costs; only admin/finance import")
  void whoMaySeeWhat() {
    w.savePrice(price(100, "1.00"));
    Actor partner = Actor.of("pat", Role.PARTNER);
    Actor user = Actor.of("uma", Role.USER);
    Actor job = Actor.system("nightly");
    for (Actor a : List.of(partner, user, job)) {
      assertThatThrownBy(() -> w.costs().rows(JANUARY, a))
          .isInstanceOf(AccessDeniedException.class);
      assertThatThrownBy(() -> w.costs().totals(JANUARY, a))
          .isInstanceOf(AccessDeniedException.class);
      assertThatThrownBy(
              () ->
                  w.costs()
                      .invoice(
                          ProjectInvoiceRequest.of(
                              ACME, YearMonth.of(2026, 1), RoundingMode.HALF_UP, a)))
          .isInstanceOf(AccessDeniedException.class);
      assertThatThrownBy(
              () ->
                  w.costs()
                      .importRows(ACME, List.of(row("r", "p", "1.00", "2026-01-05T00:00:00Z")), a))
          .isInstanceOf(AccessDeniedException.class);
    }
    assertNothingStored();
    // A partner who is also finance reads as finance; admin imports and reads.
    w.costs().importRows(ACME, List.of(row("r", "p", "1.00", "2026-01-05T00:00:00Z")), ADMIN);
    assertThat(w.costs().rows(JANUARY, Actor.of("pf", Role.PARTNER, Role.FINANCE))).hasSize(1);
  }

  @Test
  @DisplayName("a partner is refused costs even under a policy that allows everything")
  void partnersNeverSeeCosts() {
    Billing open =
        Billing.builder()
            .store(InMemoryBillingStore.create())
            .economy(InMemoryEconomyStore.create())
            .projectCosts(InMemoryProjectCostStore.create())
            .accessPolicy(AccessPolicy.allowAll())
            .build();
    Actor partner = Actor.of("pat", Role.PARTNER);
    assertThatThrownBy(() -> open.projectCosts().totals(JANUARY, partner))
        .isInstanceOfSatisfying(
            AccessDeniedException.class,
            e -> assertThat(e.operation()).isEqualTo(dev.billingsdk.Operation.READ_REPORTS));
  }

  @Test
  @DisplayName("tenants never see each other's costs")
  void tenantsApart() {
    w.importRows(row("r1", "p", "1.00", "2026-01-05T00:00:00Z"));
    TenantId other = TenantId.of("other");
    assertThat(
            w.costs().rows(ProjectCostQuery.between(other, JANUARY.from(), JANUARY.to()), FINANCE))
        .isEmpty();
    // The same row id in another tenant is a different row.
    assertThat(
            w.costs()
                .importRows(other, List.of(row("r1", "p", "9.99", "2026-01-05T00:00:00Z")), FINANCE)
                .imported())
        .containsExactly("r1");
    assertThat(w.costs().totals(JANUARY, FINANCE).byCurrency())
        .containsExactly(Amount.of(USD, "1.00"));
  }

  @Test
  @DisplayName("Billing: projectCosts() names itself when off; projectCosts(..) needs economy(..)")
  void wiring() {
    Billing plain = Billing.builder().store(InMemoryBillingStore.create()).build();
    assertThatThrownBy(plain::projectCosts)
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("projectCosts"));
    assertThatThrownBy(
            () ->
                Billing.builder()
                    .store(InMemoryBillingStore.create())
                    .projectCosts(InMemoryProjectCostStore.create())
                    .build())
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("projectCosts"));
    assertThatThrownBy(
            () ->
                Billing.builder()
                    .projectCosts(InMemoryProjectCostStore.create())
                    .projectCosts(InMemoryProjectCostStore.create()))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("projectCosts"));
  }

  @Test
  @DisplayName("the row builder refuses a second call naming the value already set")
  void builderSettersOnce() {
    assertThatThrownBy(() -> valid("r").service("BigQuery"))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> {
              assertThat(e.field()).isEqualTo("service");
              assertThat(e).hasMessageContaining("Compute Engine");
            });
    assertThatThrownBy(() -> valid("r").cost(Amount.of(USD, 1)).cost(Amount.of(USD, 2)))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("cost"));
    assertThatThrownBy(() -> valid("r").cost(Amount.of(USD, 1)).build())
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("usage"));
  }
}
