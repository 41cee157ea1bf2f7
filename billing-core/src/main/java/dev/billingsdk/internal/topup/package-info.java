/**
 * The auto-top-up service: rules kept through the {@link dev.billingsdk.spi.TopUpStore} on the
 * version they were decided on, top-ups bought through the off-session purchases.
 */
@NullMarked
package dev.billingsdk.internal.topup;

import org.jspecify.annotations.NullMarked;
