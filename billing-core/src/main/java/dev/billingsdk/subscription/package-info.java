/**
 * Subscriptions to catalogue plans: the first period paid through a provider's hosted checkout (or
 * a saved payment method, after an optional trial), later periods charged off-session by the
 * library's renewal job, each period's credit allowance granted once, plan changes, cancellation,
 * and dunning. See {@code docs/subscriptions.md}.
 */
@NullMarked
package dev.billingsdk.subscription;

import org.jspecify.annotations.NullMarked;
