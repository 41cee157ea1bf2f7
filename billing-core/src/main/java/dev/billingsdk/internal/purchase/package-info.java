/**
 * The purchase service: checkouts started through a {@link dev.billingsdk.payment.PaymentProvider},
 * webhooks verified and applied once, refunds both ways.
 */
@NullMarked
package dev.billingsdk.internal.purchase;

import org.jspecify.annotations.NullMarked;
