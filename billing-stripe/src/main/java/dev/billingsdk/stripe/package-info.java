/**
 * The payment adapter for Stripe: hosted Checkout, webhook verification, off-session top-up and
 * refunds.
 *
 * <p>Not written yet. It will implement core's payment SPI with the JDK {@code HttpClient}, Jackson
 * and Resilience4j, and own Stripe's currency overrides (its zero-decimal list), so that core never
 * names a provider.
 */
@NullMarked
package dev.billingsdk.stripe;

import org.jspecify.annotations.NullMarked;
