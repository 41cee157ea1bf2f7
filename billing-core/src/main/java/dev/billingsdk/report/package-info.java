/**
 * Finance reports. Revenue: true revenue (consumption paid for with purchased credits, valued at
 * their cost basis), partner revenue with the partner share and partner payouts, agent revenue with
 * the referring agents' commission ({@link dev.billingsdk.report.RevenueReports}).
 */
@NullMarked
package dev.billingsdk.report;

import org.jspecify.annotations.NullMarked;
