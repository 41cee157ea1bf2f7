package dev.billingsdk.report;

import dev.billingsdk.Actor;
import dev.billingsdk.TenantId;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;

/**
 * Revenue reports: true revenue, partner revenue and payouts, agent revenue.
 *
 * <p>Rows are grouped by month (cut in the query's zone), then module or partner or agent, then
 * currency; each carries its exact value and its {@link Provenance}: the count, effective range and
 * sequence range of the consumption transactions it is the exact sum over. A module is a debit's
 * item code (the meter key for usage; empty for credits applied to an invoice). A reversal's
 * module, partner and referral are read at the time of the debit it corrects. Agent revenue counts
 * a referred account's consumption from the referral on. Partner and agent shares are those of the
 * settings in force for the month: the last version saved before it ended (0 %, version 0, when
 * there was none).
 *
 * <p>True revenue is consumption paid for with purchased credits: every debit (usage debit, charge,
 * settled reservation, credits applied to an invoice) takes its credit from grants, in the order
 * its lineage records; the part taken from grants with a paid cost basis is valued at that cost
 * basis, exactly. Free grants (promotional, sign-up, referral, bonus, subscription allowance,
 * partner allowance, restored credit) carry a free cost basis and are not revenue; neither is
 * credit taken from the overdraft. A reversal reduces revenue in the month it is recorded, valued
 * at the grants it gives credit back to. Each reported total is rounded once, with the query's
 * rounding mode.
 *
 * <p>Reading needs {@link dev.billingsdk.Operation#READ_REPORTS}; an actor whose roles include
 * {@link dev.billingsdk.Role#PARTNER} but neither ADMIN nor FINANCE reads partner revenue and
 * payouts of its own modules only (those whose partner id is the actor's id) and is refused the
 * other reports. Publishing modules and running payouts needs {@link
 * dev.billingsdk.Operation#RUN_PAYOUTS}.
 */
public interface RevenueReports {

  /** True revenue per month and module, in month, module and currency order. */
  List<RevenueRow> trueRevenue(RevenueQuery query);

  /** True revenue of partner modules per month, partner and module, with the partner share. */
  List<PartnerRevenueRow> partnerRevenue(RevenueQuery query);

  /** True revenue of referred accounts per month and agent, with the agent's commission. */
  List<AgentRevenueRow> agentRevenue(RevenueQuery query);

  /**
   * Publishes {@code module} for {@code partner} from {@code effectiveFrom} (not before now: past
   * months' revenue and payouts never change hands). The same publication again is answered with
   * the stored one; another partner at the same instant is refused.
   */
  PartnerModule publishModule(
      TenantId tenant, String module, String partner, Instant effectiveFrom, Actor actor);

  /** Every publication of the tenant, by module then effective time. */
  List<PartnerModule> modules(TenantId tenant, Actor actor);

  /**
   * Runs (or dry-runs) the partner payouts of a finished month: one payout per partner with revenue
   * in the month, written once, ever. Safe to run again and from several instances at once: a run
   * that stops half way is finished by the next. A payout is the exact partner share of the exact
   * revenue of all the partner's modules in the month, rounded once per currency. The share is the
   * one of the settings in force for the month (the last version saved before the month ended);
   * while the latest settings have {@code dryRunPartnerPayouts} on, every run is a dry run.
   *
   * @throws dev.billingsdk.InvalidRequestException (field {@code month}) if the month is not over
   *     in the request's zone
   */
  PayoutRun runPayouts(PayoutRequest request);

  /** The payouts of a month. */
  List<Payout> payouts(TenantId tenant, YearMonth month, Actor actor);
}
