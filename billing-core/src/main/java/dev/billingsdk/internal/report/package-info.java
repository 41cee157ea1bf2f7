/**
 * The project cost service: imports checked and handed whole to the {@link
 * dev.billingsdk.spi.ProjectCostStore}, queries, totals and the monthly project invoice.
 */
@NullMarked
package dev.billingsdk.internal.report;

import org.jspecify.annotations.NullMarked;
