/**
 * Finance reports: project costs imported from the host's cloud billing export (the finance guide's
 * "Project Costs" tab), queried by date range and by module label with totals exact to the cent,
 * and the monthly project invoice that states every project's cost and its credit equivalent at the
 * price per credit in force ("Project Invoices"). Obtain {@link dev.billingsdk.report.ProjectCosts}
 * from {@code Billing#projectCosts()}.
 *
 * <p>Revenue ("Revenue Reports"): true revenue (consumption paid for with purchased credits, valued
 * at their cost basis), partner revenue with the partner share and partner payouts, agent revenue
 * with the referring agents' commission. Obtain {@link dev.billingsdk.report.RevenueReports} from
 * {@code Billing#revenue()}.
 */
@NullMarked
package dev.billingsdk.report;

import org.jspecify.annotations.NullMarked;
