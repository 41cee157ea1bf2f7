/**
 * The payment SPI: what a payment provider adapter (billing-stripe, billing-flutterwave) does for
 * the library, in provider-neutral types. No HTTP lives in billing-core; an adapter turns these
 * calls into its provider's wire format and its answers and webhooks back into these types. See
 * {@code docs/payments.md}.
 */
@NullMarked
package dev.billingsdk.payment;

import org.jspecify.annotations.NullMarked;
