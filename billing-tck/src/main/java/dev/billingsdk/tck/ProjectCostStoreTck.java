package dev.billingsdk.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.TenantId;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.report.CostRowConflictException;
import dev.billingsdk.report.ProjectCostImport;
import dev.billingsdk.report.ProjectCostQuery;
import dev.billingsdk.report.ProjectCostRow;
import dev.billingsdk.spi.ProjectCostStore;
import dev.billingsdk.spi.ProjectCostStore.ProjectSum;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The rules of the project cost part of the storage SPI ({@link ProjectCostStore}): an import is
 * all or nothing and idempotent by row id (same content: a duplicate; different content: a conflict
 * that stores nothing of the batch), also when imports of one row race through two instances; rows
 * read back exactly; a query reads the rows whose usage starts in its half-open range and, when it
 * names a label, carry exactly that key and value; sums are exact per project, name and currency;
 * tenants are kept apart. An adapter extends it and supplies {@link #store()} (and, for stores
 * shared between processes, {@link #secondInstance()}); every test uses a fresh tenant, so the
 * store may be shared.
 */
public abstract class ProjectCostStoreTck {

  /** For subclasses: an adapter's runner extends this kit. */
  protected ProjectCostStoreTck() {}

  /** The store under test. May be shared across tests: each test uses a fresh tenant. */
  protected abstract ProjectCostStore store();

  /** A second instance on the same storage, as a second process would have. Default: the same. */
  protected ProjectCostStore secondInstance() {
    return store();
  }

  /** Importers racing (at least 8 in the kit's own runs). */
  protected int concurrentThreads() {
    return 8;
  }

  static final CurrencyUnit USD = CurrencyUnit.of("USD");
  static final CurrencyUnit JPY = CurrencyUnit.of("JPY");
  static final CurrencyUnit KWD = CurrencyUnit.of("KWD");
  static final Instant T0 = Instant.parse("2026-01-31T23:59:59.123456Z");

  private TenantId tenant = TenantId.of("x");

  @BeforeEach
  void freshTenant() {
    tenant = TenantId.of("pcost-" + UUID.randomUUID());
  }

  static ProjectCostRow row(
      String id, String project, Amount cost, Instant start, String... labels) {
    ProjectCostRow.Builder b =
        ProjectCostRow.builder(id)
            .service("Compute Engine")
            .sku("N2 Instance Core running in Americas")
            .project(project, "Project " + project)
            .cost(cost)
            .usage(start, start.plusSeconds(3600));
    for (int i = 0; i < labels.length; i += 2) {
      b.label(labels[i], labels[i + 1]);
    }
    return b.build();
  }

  static ProjectCostRow usd(String id, String project, long cents, Instant start, String... l) {
    return row(id, project, Amount.ofMinor(USD, cents), start, l);
  }

  ProjectCostQuery all() {
    return ProjectCostQuery.between(
        tenant, Instant.parse("2000-01-01T00:00:00Z"), Instant.parse("2100-01-01T00:00:00Z"));
  }

  @Nested
  @DisplayName("Import: exact, all or nothing, idempotent by row id, one winner of a race")
  class Import {

    @Test
    void required_rowsReadBackExactlyAsImported() {
      ProjectCostRow rich =
          ProjectCostRow.builder("gcp:2026-01:äöü-𝄞")
              .service("BigQuery — Analysis 𝄞")
              .sku("Analysis (on-demand), \"EU\"")
              .project("proj-Ω", "Ünïcödé \u202eright-to-left\u202c project")
              .label("module", "jupyter")
              .label("env", "")
              .label("Team", "Data 𝄞")
              .cost(Amount.ofMinor(USD, -123_456_789_012L))
              .usage(T0, T0.plusNanos(1_000))
              .build();
      ProjectCostRow yen = row("yen", "p", Amount.ofMinor(JPY, 1_234), T0.minusSeconds(1));
      ProjectCostRow dinar = row("dinar", "p", Amount.ofMinor(KWD, 1_005), T0.plusSeconds(1));
      ProjectCostRow zero = row("zero", "p", Amount.zero(USD), T0, "module", "jupyter");
      ProjectCostImport result = store().importRows(tenant, List.of(rich, yen, dinar, zero));
      assertThat(result.imported()).containsExactly(rich.rowId(), "yen", "dinar", "zero");
      assertThat(result.duplicates()).isEmpty();
      assertThat(secondInstance().find(all())).containsExactly(yen, rich, zero, dinar);
      assertThat(store().find(all()).get(1).labels())
          .containsExactly(
              Map.entry("Team", "Data 𝄞"), Map.entry("env", ""), Map.entry("module", "jupyter"));
    }

    @Test
    void required_aRowSentAgainIsADuplicateAndNothingChanges() {
      ProjectCostRow a = usd("a", "p", 100, T0, "module", "jupyter");
      ProjectCostRow b = usd("b", "p", 250, T0.plusSeconds(5));
      assertThat(store().importRows(tenant, List.of(a)).imported()).containsExactly("a");
      ProjectCostImport again = secondInstance().importRows(tenant, List.of(b, a, b));
      assertThat(again.imported()).containsExactly("b");
      assertThat(again.duplicates()).containsExactly("a", "b");
      ProjectCostImport third = store().importRows(tenant, List.of(a, b));
      assertThat(third.imported()).isEmpty();
      assertThat(third.duplicates()).containsExactly("a", "b");
      assertThat(store().find(all())).containsExactly(a, b);
      assertThat(store().sums(all()))
          .containsExactly(
              new ProjectSum("p", "Project p", Amount.ofMinor(USD, 350), 2, b.usageStart()));
    }

    @Test
    void required_aConflictNamesTheRowAndStoresNothingOfTheBatch() {
      ProjectCostRow a = usd("a", "p", 100, T0, "module", "jupyter");
      store().importRows(tenant, List.of(a));
      List<ProjectCostRow> changes =
          List.of(
              usd("a", "p", 101, T0, "module", "jupyter"),
              usd("a", "p", 100, T0.plusNanos(1_000), "module", "jupyter"),
              usd("a", "p", 100, T0, "module", "Jupyter"),
              usd("a", "p", 100, T0),
              usd("a", "p2", 100, T0, "module", "jupyter"),
              row("a", "p", Amount.ofMinor(JPY, 100), T0, "module", "jupyter"));
      for (ProjectCostRow changed : changes) {
        ProjectCostRow fresh = usd("fresh", "p", 7, T0);
        assertThatThrownBy(() -> store().importRows(tenant, List.of(fresh, changed, fresh)))
            .isInstanceOfSatisfying(
                CostRowConflictException.class,
                e -> {
                  assertThat(e.rowId()).isEqualTo("a");
                  assertThat(e.tenant()).isEqualTo(tenant);
                });
      }
      // Within one batch: the second "b" differs from the first.
      assertThatThrownBy(
              () ->
                  secondInstance()
                      .importRows(tenant, List.of(usd("b", "p", 1, T0), usd("b", "p", 2, T0))))
          .isInstanceOfSatisfying(
              CostRowConflictException.class, e -> assertThat(e.rowId()).isEqualTo("b"));
      assertThat(store().find(all())).containsExactly(a);
      assertThat(store().sums(all())).hasSize(1);
    }

    @Test
    void required_importsRacingForOneRowStoreItOnce() {
      int threads = Math.max(2, concurrentThreads());
      for (int round = 0; round < 3; round++) {
        String shared = "shared-" + round;
        int r = round;
        List<ProjectCostImport> results =
            Races.race(
                threads,
                i -> {
                  ProjectCostStore through = i % 2 == 0 ? store() : secondInstance();
                  List<ProjectCostRow> batch =
                      List.of(
                          usd("own-" + r + "-" + i, "p", 1, T0),
                          usd(shared, "p", 1_000, T0.plusSeconds(r)));
                  return () -> through.importRows(tenant, batch);
                });
        assertThat(results.stream().filter(x -> x.imported().contains(shared)))
            .as("imports that stored " + shared)
            .hasSize(1);
        assertThat(results.stream().filter(x -> x.duplicates().contains(shared)))
            .hasSize(threads - 1);
        assertThat(results).allMatch(x -> x.imported().size() + x.duplicates().size() == 2);
      }
      List<ProjectCostRow> stored = store().find(all());
      assertThat(stored).hasSize(3 * threads + 3);
      assertThat(store().sums(all()))
          .extracting(ProjectSum::cost)
          .containsExactly(Amount.ofMinor(USD, 3 * threads + 3_000L));
    }
  }

  @Nested
  @DisplayName("Queries: half-open usage range, exact labels, exact sums, tenants apart")
  class Queries {

    @Test
    void required_aRangeReadsUsageStartsFromIncludedToExcludedInOrder() {
      Instant from = Instant.parse("2026-02-01T00:00:00Z");
      Instant to = Instant.parse("2026-03-01T00:00:00Z");
      ProjectCostRow before = usd("before", "p", 1, from.minusNanos(1_000));
      ProjectCostRow first = usd("first", "p", 2, from);
      ProjectCostRow upper = usd("B", "p", 3, from.plusSeconds(60));
      ProjectCostRow lower = usd("a", "p", 4, from.plusSeconds(60));
      ProjectCostRow last = usd("last", "p", 5, to.minusNanos(1_000));
      ProjectCostRow atEnd = usd("at-end", "p", 6, to);
      // A row starting before the range but running into it is not in it.
      ProjectCostRow spanning =
          ProjectCostRow.builder("spanning")
              .service("s")
              .sku("k")
              .project("p", "Project p")
              .cost(Amount.ofMinor(USD, 7))
              .usage(from.minusSeconds(3600), to)
              .build();
      store().importRows(tenant, List.of(atEnd, last, lower, upper, first, before, spanning));
      ProjectCostQuery february = ProjectCostQuery.between(tenant, from, to);
      // Same start: ordered by row id as Java strings ("B" before "a").
      assertThat(store().find(february)).containsExactly(first, upper, lower, last);
      assertThat(store().sums(february))
          .containsExactly(
              new ProjectSum("p", "Project p", Amount.ofMinor(USD, 14), 4, last.usageStart()));
      assertThat(store().find(ProjectCostQuery.between(tenant, from, from))).isEmpty();
      assertThat(store().sums(ProjectCostQuery.between(tenant, from, from))).isEmpty();
    }

    @Test
    void required_aLabelQueryMatchesExactlyThatKeyAndValue() {
      ProjectCostRow jupyter = usd("j", "p", 1, T0, "module", "jupyter", "env", "prod");
      ProjectCostRow capital = usd("J", "p", 2, T0, "module", "Jupyter");
      ProjectCostRow otherKey = usd("k", "p", 4, T0, "Module", "jupyter");
      ProjectCostRow prefix = usd("l", "p", 8, T0, "module", "jupyter-lab");
      ProjectCostRow none = usd("m", "p", 16, T0);
      ProjectCostRow empty = usd("n", "q", 32, T0.plusSeconds(1), "module", "");
      ProjectCostRow jupyter2 =
          usd("o", "q", 64, T0.plusSeconds(2), "team", "x", "module", "jupyter");
      // MariaDB's PAD SPACE collations compare 'jupyter ' equal to 'jupyter': a store must not.
      ProjectCostRow padded = usd("sp", "p", 128, T0, "module", "jupyter ");
      store()
          .importRows(
              tenant, List.of(jupyter, capital, otherKey, prefix, none, empty, jupyter2, padded));
      ProjectCostQuery q = all().withLabel("module", "jupyter");
      assertThat(store().find(q)).containsExactly(jupyter, jupyter2);
      assertThat(sums(store().sums(q))).isEqualTo(Map.of("p USD", 1L, "q USD", 64L));
      assertThat(store().find(all().withLabel("module", ""))).containsExactly(empty);
      assertThat(store().find(all().withLabel("module", "jupyter "))).containsExactly(padded);
      assertThat(store().find(all().withLabel("env", "prod"))).containsExactly(jupyter);
      assertThat(store().find(all().withLabel("module", "JUPYTER"))).isEmpty();
      // A label query is a range query too.
      assertThat(
              store()
                  .find(
                      ProjectCostQuery.between(tenant, T0.plusSeconds(1), T0.plusSeconds(10))
                          .withLabel("module", "jupyter")))
          .containsExactly(jupyter2);
    }

    @Test
    void required_sumsAreExactPerProjectNameAndCurrency() {
      long big = 3_000_000_000_000_000L; // three of them still fit a long
      List<ProjectCostRow> rows = new ArrayList<>();
      rows.add(usd("r1", "p", big, T0));
      rows.add(usd("r2", "p", big, T0.plusSeconds(1)));
      rows.add(usd("r3", "p", big, T0.plusSeconds(2)));
      rows.add(usd("r4", "p", -1, T0.plusSeconds(3)));
      rows.add(row("r5", "p", Amount.ofMinor(JPY, 5), T0.plusSeconds(4)));
      rows.add(row("r6", "p", Amount.ofMinor(KWD, 1_001), T0.plusSeconds(5)));
      rows.add(usd("r7", "q", 19, T0.plusSeconds(6)));
      rows.add(usd("r8", "q", -20, T0.plusSeconds(7)));
      // The same project id under another name: its own sum.
      rows.add(
          ProjectCostRow.builder("r9")
              .service("s")
              .sku("k")
              .project("q", "Renamed q")
              .cost(Amount.ofMinor(USD, 5))
              .usage(T0.plusSeconds(8), T0.plusSeconds(9))
              .build());
      store().importRows(tenant, rows);
      List<ProjectSum> sums = new ArrayList<>(secondInstance().sums(all()));
      sums.sort(
          java.util.Comparator.comparing(ProjectSum::projectId)
              .thenComparing(ProjectSum::projectName)
              .thenComparing(s -> s.cost().unit().toString()));
      assertThat(sums)
          .containsExactly(
              new ProjectSum("p", "Project p", Amount.ofMinor(JPY, 5), 1, T0.plusSeconds(4)),
              new ProjectSum("p", "Project p", Amount.ofMinor(KWD, 1_001), 1, T0.plusSeconds(5)),
              new ProjectSum(
                  "p", "Project p", Amount.ofMinor(USD, 3 * big - 1), 4, T0.plusSeconds(3)),
              new ProjectSum("q", "Project q", Amount.ofMinor(USD, -1), 2, T0.plusSeconds(7)),
              new ProjectSum("q", "Renamed q", Amount.ofMinor(USD, 5), 1, T0.plusSeconds(8)));
    }

    @Test
    void required_tenantsAreKeptApart() {
      TenantId other = TenantId.of(tenant.value() + "-other");
      ProjectCostRow mine = usd("r", "p", 100, T0, "module", "jupyter");
      ProjectCostRow theirs = usd("r", "p", 999, T0, "module", "jupyter");
      store().importRows(tenant, List.of(mine));
      // The same id in another tenant is another row: no conflict.
      assertThat(secondInstance().importRows(other, List.of(theirs)).imported())
          .containsExactly("r");
      ProjectCostQuery otherQuery = ProjectCostQuery.between(other, all().from(), all().to());
      assertThat(store().find(all())).containsExactly(mine);
      assertThat(store().find(otherQuery)).containsExactly(theirs);
      assertThat(store().find(all().withLabel("module", "jupyter"))).containsExactly(mine);
      assertThat(sums(store().sums(all().withLabel("module", "jupyter"))))
          .isEqualTo(Map.of("p USD", 100L));
      assertThat(sums(store().sums(otherQuery))).isEqualTo(Map.of("p USD", 999L));
    }
  }

  static Map<String, Long> sums(List<ProjectSum> sums) {
    Map<String, Long> out = new TreeMap<>();
    for (ProjectSum s : sums) {
      out.merge(s.projectId() + " " + s.cost().unit(), s.cost().minor(), Long::sum);
    }
    return out;
  }
}
