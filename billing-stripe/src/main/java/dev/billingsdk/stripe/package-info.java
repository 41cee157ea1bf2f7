/**
 * The payment adapter for Stripe: hosted Checkout, webhook verification, off-session top-up and
 * refunds.
 *
 * <p>{@link dev.billingsdk.stripe.StripePaymentProvider} implements core's {@code
 * dev.billingsdk.payment.PaymentProvider} on top of the transport in {@code
 * dev.billingsdk.stripe.internal}; {@link dev.billingsdk.stripe.StripeApiKey} is the secret key a
 * host configures. This module owns Stripe's currency overrides (its zero-decimal list), so that
 * core never names a provider. See {@code docs/payments.md}.
 */
@NullMarked
package dev.billingsdk.stripe;

import org.jspecify.annotations.NullMarked;
