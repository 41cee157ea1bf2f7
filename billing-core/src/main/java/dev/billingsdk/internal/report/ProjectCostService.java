package dev.billingsdk.internal.report;

import dev.billingsdk.AccessDeniedException;
import dev.billingsdk.AccessPolicy;
import dev.billingsdk.Actor;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.Operation;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.economy.CreditPrice;
import dev.billingsdk.economy.SettingsVersion;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.RoundingRequiredException;
import dev.billingsdk.money.Unit;
import dev.billingsdk.report.ProjectCostImport;
import dev.billingsdk.report.ProjectCostQuery;
import dev.billingsdk.report.ProjectCostRow;
import dev.billingsdk.report.ProjectCostTotals;
import dev.billingsdk.report.ProjectCostTotals.ProjectTotal;
import dev.billingsdk.report.ProjectCosts;
import dev.billingsdk.report.ProjectInvoice;
import dev.billingsdk.report.ProjectInvoiceLine;
import dev.billingsdk.report.ProjectInvoiceRequest;
import dev.billingsdk.spi.EconomyStore;
import dev.billingsdk.spi.ProjectCostStore;
import dev.billingsdk.spi.ProjectCostStore.ProjectSum;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Project costs and invoices. Imports are checked here (size, access) and handed whole to the
 * store, which decides duplicates and conflicts atomically. Totals are the store's sums (a {@code
 * GROUP BY} on a database) merged per project and currency; the invoice reads the settings history
 * of the {@link EconomyStore} for the price in force.
 */
public final class ProjectCostService implements ProjectCosts {
  private final ProjectCostStore store;
  private final EconomyStore economy;
  private final AccessPolicy access;

  public ProjectCostService(ProjectCostStore store, EconomyStore economy, AccessPolicy access) {
    this.store = store;
    this.economy = economy;
    this.access = access;
  }

  @Override
  public ProjectCostImport importRows(TenantId tenant, List<ProjectCostRow> rows, Actor actor) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(rows, "rows");
    InvalidRequestException.requireNonNull(actor, "actor");
    if (rows.isEmpty() || rows.size() > MAX_BATCH) {
      throw new InvalidRequestException(
          "rows", rows.size() + " rows", "must be 1 to " + MAX_BATCH + " rows");
    }
    List<ProjectCostRow> batch = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      batch.add(InvalidRequestException.requireNonNull(rows.get(i), "rows[" + i + "]"));
    }
    access.check(actor, Operation.IMPORT_COSTS, tenant);
    return store.importRows(tenant, List.copyOf(batch));
  }

  @Override
  public List<ProjectCostRow> rows(ProjectCostQuery query, Actor actor) {
    InvalidRequestException.requireNonNull(query, "query");
    checkRead(actor, query.tenant());
    return store.find(query);
  }

  @Override
  public ProjectCostTotals totals(ProjectCostQuery query, Actor actor) {
    InvalidRequestException.requireNonNull(query, "query");
    checkRead(actor, query.tenant());
    List<ProjectTotal> projects = merge(store.sums(query));
    Map<String, Amount> byCurrency = new TreeMap<>();
    long rows = 0;
    for (ProjectTotal p : projects) {
      byCurrency.merge(code(p.cost().unit()), p.cost(), Amount::plus);
      rows += p.rows();
    }
    return new ProjectCostTotals(query, projects, List.copyOf(byCurrency.values()), rows);
  }

  @Override
  public ProjectInvoice invoice(ProjectInvoiceRequest request) {
    InvalidRequestException.requireNonNull(request, "request");
    TenantId tenant = request.tenant();
    checkRead(request.actor(), tenant);
    SettingsVersion inForce = null;
    Instant to = null;
    List<SettingsVersion> history = economy.settingsHistory(tenant);
    for (int i = history.size() - 1; i >= 0 && inForce == null; i--) {
      SettingsVersion v = history.get(i);
      Instant end = monthStart(request, 1, v.settings().calendarZone());
      if (v.at().isBefore(end)) {
        inForce = v;
        to = end;
      }
    }
    if (inForce == null || to == null) {
      throw new InvalidRequestException(
          "settings",
          "(none)",
          "no credit economy settings of "
              + tenant
              + " were saved before the end of "
              + request.month());
    }
    ZoneId zone = inForce.settings().calendarZone();
    Instant from = monthStart(request, 0, zone);
    CreditPrice price = inForce.settings().creditPrice();
    List<ProjectInvoiceLine> lines = new ArrayList<>();
    Amount totalCost = Amount.zero(price.money().unit());
    Amount totalCredits = Amount.zero(price.credits().unit());
    for (ProjectTotal p : merge(store.sums(ProjectCostQuery.between(tenant, from, to)))) {
      if (!p.cost().unit().equals(price.money().unit())) {
        throw new InvalidRequestException(
            "cost",
            p.cost(),
            "of project "
                + p.projectId()
                + " in "
                + request.month()
                + " is not in "
                + price.money().unit()
                + ", the currency of the price per credit "
                + price);
      }
      Amount credits = credits(p.cost(), price, request.rounding());
      lines.add(
          new ProjectInvoiceLine(p.projectId(), p.projectName(), p.cost(), credits, p.rows()));
      totalCost = totalCost.plus(p.cost());
      totalCredits = totalCredits.plus(credits);
    }
    return new ProjectInvoice(
        tenant,
        request.month(),
        from,
        to,
        zone,
        inForce.version(),
        price,
        request.rounding(),
        lines,
        totalCost,
        totalCredits);
  }

  private static Instant monthStart(ProjectInvoiceRequest request, int plusMonths, ZoneId zone) {
    return request.month().plusMonths(plusMonths).atDay(1).atStartOfDay(zone).toInstant();
  }

  /** {@code cost} in credits at {@code price}, computed exactly and rounded once. */
  static Amount credits(Amount cost, CreditPrice price, RoundingMode rounding) {
    Unit unit = price.credits().unit();
    BigDecimal numerator = cost.toDecimal().multiply(price.credits().toDecimal());
    BigDecimal divisor = price.money().toDecimal();
    BigDecimal value;
    try {
      value = numerator.divide(divisor, unit.scale(), rounding);
    } catch (ArithmeticException e) {
      throw new RoundingRequiredException(numerator.divide(divisor, MathContext.DECIMAL64), unit);
    }
    return Amount.of(unit, value);
  }

  /** Refuses actors the policy refuses, and partners who are neither admin nor finance. */
  private void checkRead(Actor actor, TenantId tenant) {
    InvalidRequestException.requireNonNull(actor, "actor");
    access.check(actor, Operation.READ_REPORTS, tenant);
    if (actor.has(Role.PARTNER) && !actor.has(Role.ADMIN) && !actor.has(Role.FINANCE)) {
      throw new AccessDeniedException(actor, Operation.READ_REPORTS, tenant);
    }
  }

  /**
   * One total per (project id, currency): the sums of its names added, named by the name with the
   * latest usage start (on a tie, the greater name, so the choice never depends on the store).
   */
  static List<ProjectTotal> merge(List<ProjectSum> sums) {
    List<ProjectSum> sorted = new ArrayList<>(sums);
    sorted.sort(
        Comparator.comparing(ProjectSum::projectId)
            .thenComparing(s -> code(s.cost().unit()))
            .thenComparing(ProjectSum::latestUsageStart)
            .thenComparing(ProjectSum::projectName));
    List<ProjectTotal> out = new ArrayList<>();
    ProjectSum group = null;
    Amount cost = null;
    long rows = 0;
    for (ProjectSum s : sorted) {
      if (group != null
          && cost != null
          && (!group.projectId().equals(s.projectId()) || !cost.unit().equals(s.cost().unit()))) {
        out.add(new ProjectTotal(group.projectId(), group.projectName(), cost, rows));
        cost = null;
        rows = 0;
      }
      cost = cost == null ? s.cost() : cost.plus(s.cost());
      rows += s.rows();
      group = s; // the last of a group has the latest usage start: its name is the project's
    }
    if (group != null && cost != null) {
      out.add(new ProjectTotal(group.projectId(), group.projectName(), cost, rows));
    }
    return List.copyOf(out);
  }

  private static String code(Unit unit) {
    return unit.toString();
  }
}
