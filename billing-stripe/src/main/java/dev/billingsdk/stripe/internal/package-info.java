/**
 * The Stripe adapter's workings, not an API: the HTTP transport ({@link
 * dev.billingsdk.stripe.internal.StripeHttp}: the JDK {@code HttpClient}, Stripe's headers, retries
 * with the caller's idempotency key, a Resilience4j circuit breaker, errors mapped to core's {@code
 * PaymentProviderException}), Stripe's bracketed form encoding ({@link
 * dev.billingsdk.stripe.internal.FormCodec}), webhook signature verification ({@link
 * dev.billingsdk.stripe.internal.StripeSignatureVerifier}) and the conversion of amounts to and
 * from Stripe's integers ({@link dev.billingsdk.stripe.internal.StripeAmounts}). The module does
 * not export this package, so a host on the module path cannot reach it, and it may change in any
 * release; the adapter's public types will use it.
 *
 * <p>It may depend on core's {@code dev.billingsdk.payment}, the JDK, Jackson's tree model, SLF4J
 * and Resilience4j.
 */
@NullMarked
package dev.billingsdk.stripe.internal;

import org.jspecify.annotations.NullMarked;
