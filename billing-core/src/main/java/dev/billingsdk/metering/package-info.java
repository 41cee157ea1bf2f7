/**
 * Metering, pricing and rating: meters and usage events in, exact charges out. Usage is ingested
 * once per event id; the periodic deduction ({@link dev.billingsdk.metering.Deductions}) rates it
 * window by window with a {@link dev.billingsdk.metering.PriceBook} and posts the charges exactly
 * once; monthly usage summaries add up what was rated. See {@code docs/metering.md}.
 */
@NullMarked
package dev.billingsdk.metering;

import org.jspecify.annotations.NullMarked;
