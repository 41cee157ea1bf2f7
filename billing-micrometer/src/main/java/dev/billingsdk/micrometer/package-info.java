/**
 * Micrometer metrics for the billing library: {@link dev.billingsdk.micrometer.BillingMetrics}.
 * Meter names, tags and the cardinality rule are in docs/metrics.md.
 */
@NullMarked
package dev.billingsdk.micrometer;

import org.jspecify.annotations.NullMarked;
