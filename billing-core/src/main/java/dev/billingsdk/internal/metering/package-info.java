/**
 * The implementation of {@link dev.billingsdk.metering}: usage ingestion and summaries, and the
 * periodic deduction that rates usage and posts it through the credit services. Not an API.
 */
@NullMarked
package dev.billingsdk.internal.metering;

import org.jspecify.annotations.NullMarked;
