package dev.billingsdk.report;

import static dev.billingsdk.report.CostWorld.ACME;
import static dev.billingsdk.report.CostWorld.CREDIT;
import static dev.billingsdk.report.CostWorld.EUR;
import static dev.billingsdk.report.CostWorld.FINANCE;
import static dev.billingsdk.report.CostWorld.USD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.economy.CreditPrice;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.report.ProjectCostTotals.ProjectTotal;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Whatever rows are imported, in whatever batches, with whatever re-sends: the totals per project
 * are the exact sums of the distinct rows (a model in plain {@code long} cents agrees), currencies
 * are never mixed, and an invoice's lines add up to its total, each line the exact conversion
 * rounded once.
 */
class ProjectCostPropertiesTest {
  static final Instant JAN_1 = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant FEB_1 = Instant.parse("2026-02-01T00:00:00Z");

  /** A row of the model: id, project 0..4, currency, cents, minute of January. */
  record Spec(int id, int project, boolean euro, long cents, int minute) {
    ProjectCostRow row() {
      Instant at = JAN_1.plusSeconds(60L * minute);
      CurrencyUnit currency = euro ? EUR : USD;
      return ProjectCostRow.builder("row-" + id)
          .service("Compute Engine")
          .sku("Core")
          .project("p" + project, "Project " + project)
          .label("module", project % 2 == 0 ? "jupyter" : "rstudio")
          .cost(Amount.ofMinor(currency, cents))
          .usage(at, at.plusSeconds(60))
          .build();
    }
  }

  @Provide
  Arbitrary<List<Spec>> specs() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 60),
            Arbitraries.integers().between(0, 4),
            Arbitraries.of(false, false, false, true),
            Arbitraries.longs().between(-50_000, 5_000_000),
            Arbitraries.integers().between(0, 31 * 24 * 60 - 1))
        .as(Spec::new)
        .list()
        .ofMaxSize(60);
  }

  /** The distinct rows: the first of each id wins (later specs with that id are re-sends). */
  static Map<Integer, Spec> distinct(List<Spec> specs) {
    Map<Integer, Spec> out = new LinkedHashMap<>();
    for (Spec s : specs) {
      out.putIfAbsent(s.id(), s);
    }
    return out;
  }

  /** Imports the distinct rows in batches of {@code batch}, each batch followed by re-sends. */
  static CostWorld imported(List<Spec> specs, int batch) {
    CostWorld w = new CostWorld(JAN_1);
    List<ProjectCostRow> rows = new ArrayList<>();
    for (Spec s : distinct(specs).values()) {
      rows.add(s.row());
    }
    for (int i = 0; i < rows.size(); i += batch) {
      List<ProjectCostRow> part = rows.subList(i, Math.min(rows.size(), i + batch));
      ProjectCostImport first = w.costs().importRows(ACME, part, FINANCE);
      assertThat(first.imported()).hasSize(part.size());
      // The same batch again, plus every row imported so far: all duplicates.
      List<ProjectCostRow> resend = new ArrayList<>(part);
      resend.addAll(rows.subList(0, Math.min(i + batch, rows.size())));
      ProjectCostImport again = w.costs().importRows(ACME, resend, FINANCE);
      assertThat(again.imported()).isEmpty();
      assertThat(again.duplicates()).hasSize(resend.size());
    }
    return w;
  }

  @Property(tries = 200)
  void totalsAreTheExactSumsOfTheDistinctRows(
      @ForAll("specs") List<Spec> specs, @ForAll @IntRange(min = 1, max = 7) int batch) {
    CostWorld w = imported(specs, batch);
    Map<String, Long> byProject = new TreeMap<>();
    Map<String, Long> byCurrency = new TreeMap<>();
    Map<String, Long> jupyter = new TreeMap<>();
    for (Spec s : distinct(specs).values()) {
      String currency = s.euro() ? "EUR" : "USD";
      byProject.merge("p" + s.project() + " " + currency, s.cents(), Long::sum);
      byCurrency.merge(currency, s.cents(), Long::sum);
      if (s.project() % 2 == 0) {
        jupyter.merge("p" + s.project() + " " + currency, s.cents(), Long::sum);
      }
    }
    ProjectCostQuery january = ProjectCostQuery.between(ACME, JAN_1, FEB_1);
    ProjectCostTotals totals = w.costs().totals(january, FINANCE);
    assertThat(flat(totals.projects())).isEqualTo(byProject);
    Map<String, Long> currencies = new TreeMap<>();
    for (Amount a : totals.byCurrency()) {
      currencies.put(a.unit().toString(), a.minor());
    }
    assertThat(currencies).isEqualTo(byCurrency);
    assertThat(totals.rows()).isEqualTo(distinct(specs).size());
    assertThat(flat(w.costs().totals(january.withLabel("module", "jupyter"), FINANCE).projects()))
        .isEqualTo(jupyter);
    assertThat(w.costs().rows(january, FINANCE)).hasSize(distinct(specs).size());
  }

  private static Map<String, Long> flat(List<ProjectTotal> projects) {
    Map<String, Long> out = new TreeMap<>();
    for (ProjectTotal p : projects) {
      out.put(p.projectId() + " " + p.cost().unit(), p.cost().minor());
    }
    return out;
  }

  @Provide
  Arbitrary<RoundingMode> modes() {
    return Arbitraries.of(
        RoundingMode.HALF_UP,
        RoundingMode.HALF_EVEN,
        RoundingMode.HALF_DOWN,
        RoundingMode.UP,
        RoundingMode.DOWN,
        RoundingMode.CEILING,
        RoundingMode.FLOOR);
  }

  @Property(tries = 200)
  void invoiceLinesAddUpToTheTotalAndEachIsRoundedOnce(
      @ForAll("specs") List<Spec> specs,
      @ForAll @IntRange(min = 1, max = 9) int batch,
      @ForAll @IntRange(min = 1, max = 1_000) int credits,
      @ForAll @IntRange(min = 1, max = 999) int cents,
      @ForAll @IntRange(min = 0, max = 3) int creditScale,
      @ForAll("modes") RoundingMode rounding) {
    List<Spec> dollars = new ArrayList<>();
    for (Spec s : specs) {
      dollars.add(new Spec(s.id(), s.project(), false, s.cents(), s.minute()));
    }
    CostWorld w = imported(dollars, batch);
    CreditUnit unit = CreditUnit.of("CREDIT" + creditScale, creditScale);
    CreditPrice price = CreditPrice.of(Amount.of(unit, credits), Amount.ofMinor(USD, cents));
    w.savePrice(price);
    ProjectInvoice invoice = w.invoice(YearMonth.of(2026, 1), rounding);

    Map<String, Long> cost = new TreeMap<>();
    for (Spec s : distinct(dollars).values()) {
      cost.merge("p" + s.project(), s.cents(), Long::sum);
    }
    assertThat(invoice.lines())
        .extracting(ProjectInvoiceLine::projectId)
        .containsExactlyElementsOf(cost.keySet());
    Amount sumCost = Amount.zero(USD);
    Amount sumCredits = Amount.zero(unit);
    for (ProjectInvoiceLine line : invoice.lines()) {
      long lineCents = cost.get(line.projectId());
      assertThat(line.cost()).isEqualTo(Amount.ofMinor(USD, lineCents));
      // credits = cents / price cents * price credits, rounded once to the credit scale.
      BigDecimal exact = BigDecimal.valueOf(lineCents).multiply(BigDecimal.valueOf(credits));
      BigDecimal expected = exact.divide(BigDecimal.valueOf(cents), creditScale, rounding);
      assertThat(line.credits()).isEqualTo(Amount.of(unit, expected));
      sumCost = sumCost.plus(line.cost());
      sumCredits = sumCredits.plus(line.credits());
    }
    assertThat(invoice.totalCost()).isEqualTo(sumCost);
    assertThat(invoice.totalCredits()).isEqualTo(sumCredits);
    assertThat(CREDIT.scale()).isZero();
  }
}
