/**
 * The payment adapter for Stripe: hosted Checkout, webhook verification, off-session top-up and
 * refunds.
 *
 * <p>So far it holds {@link dev.billingsdk.stripe.StripeApiKey}, the secret key a host configures;
 * the adapter that implements core's payment SPI on top of the transport in {@code
 * dev.billingsdk.stripe.internal} follows. This module owns Stripe's currency overrides (its
 * zero-decimal list), so that core never names a provider.
 */
@NullMarked
package dev.billingsdk.stripe;

import org.jspecify.annotations.NullMarked;
