/**
 * The Stripe adapter's workings, not an API: webhook signature verification ({@link
 * dev.billingsdk.stripe.internal.StripeSignatureVerifier}) and the conversion of amounts to and
 * from Stripe's integers ({@link dev.billingsdk.stripe.internal.StripeAmounts}). The module does
 * not export this package, so a host on the module path cannot reach it, and it may change in any
 * release; the adapter's public types will use it.
 */
@NullMarked
package dev.billingsdk.stripe.internal;

import org.jspecify.annotations.NullMarked;
