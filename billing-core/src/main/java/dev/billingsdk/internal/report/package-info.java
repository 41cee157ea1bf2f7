/**
 * The project cost service: imports checked and handed whole to the {@link
 * dev.billingsdk.spi.ProjectCostStore}, queries, totals and the monthly project invoice. And the
 * revenue reports: a scan of the ledger's consumption by month, valued at the cost basis of the
 * grants each debit's lineage names, grouped into true, partner and agent revenue; and the partner
 * payout job.
 */
@NullMarked
package dev.billingsdk.internal.report;

import org.jspecify.annotations.NullMarked;
