package dev.billingsdk.report;

import dev.billingsdk.Actor;
import dev.billingsdk.TenantId;
import java.util.List;

/**
 * Project costs and project invoices for finance. Obtain from {@code Billing#projectCosts()}.
 *
 * <p>Who may do what: importing needs {@link dev.billingsdk.Operation#IMPORT_COSTS}; every read
 * needs {@link dev.billingsdk.Operation#READ_REPORTS}, and an actor who is a {@link
 * dev.billingsdk.Role#PARTNER} but neither {@code ADMIN} nor {@code FINANCE} is refused whatever
 * the policy says: partners see partner revenue only, never the platform's costs.
 */
public interface ProjectCosts {

  /** The most rows one import takes; a longer export is imported in batches. */
  int MAX_BATCH = 1_000;

  /**
   * Imports {@code rows} into {@code tenant}, all or nothing. A row whose id is stored with the
   * same content (or repeated in the batch with the same content) is a duplicate: acknowledged, not
   * stored again, so an export may be re-sent whole after a failure.
   *
   * @throws CostRowConflictException naming the first row whose id is stored, or repeated in the
   *     batch, with different content; nothing of the batch is stored
   * @throws dev.billingsdk.InvalidRequestException (field {@code rows}) if the batch is empty or
   *     longer than {@value #MAX_BATCH}; nothing is stored
   * @throws dev.billingsdk.AccessDeniedException unless the actor may {@code IMPORT_COSTS}
   */
  ProjectCostImport importRows(TenantId tenant, List<ProjectCostRow> rows, Actor actor);

  /**
   * The rows the query reads, ordered by usage start, then row id.
   *
   * @throws dev.billingsdk.AccessDeniedException unless the actor may {@code READ_REPORTS} and is
   *     not a partner only
   */
  List<ProjectCostRow> rows(ProjectCostQuery query, Actor actor);

  /**
   * The exact totals of the rows the query reads, per project and currency and per currency.
   *
   * @throws dev.billingsdk.AccessDeniedException as {@link #rows}
   */
  ProjectCostTotals totals(ProjectCostQuery query, Actor actor);

  /**
   * The project invoice of a month: one line per project with the cost of its rows whose usage
   * starts in the month, and that cost in credits at the price per credit in force.
   *
   * <p><b>The month</b> is a calendar month in the zone of the tenant's credit economy settings
   * ({@code EconomySettings#calendarZone}, UTC unless set), the same months that count referrals
   * and reset partner allowances, so that finance reads every monthly figure over the same
   * instants. A row belongs to the month its usage starts in.
   *
   * <p><b>The price in force</b> is that of the settings version in force at the end of the month:
   * the newest version saved before the month's end, the end being computed in that version's own
   * zone. The invoice names the version. A month that has not ended yet gives a provisional invoice
   * at the settings of now.
   *
   * <p><b>Rounding</b>: each line's credits are converted exactly, then rounded once with the
   * request's mode; the total is the sum of the rounded lines (see {@link ProjectInvoice}).
   *
   * @throws dev.billingsdk.InvalidRequestException (field {@code settings}) if no settings were
   *     saved before the month's end; (field {@code cost}) if a project's cost in the month is in a
   *     currency other than the price per credit's: cost and credits are never converted across
   *     currencies
   * @throws dev.billingsdk.money.RoundingRequiredException if the mode is {@code UNNECESSARY} and a
   *     line's credits are not exact
   * @throws dev.billingsdk.AccessDeniedException as {@link #rows}
   */
  ProjectInvoice invoice(ProjectInvoiceRequest request);
}
