/**
 * Purchases: a credit package or a plan's first period bought through a provider's hosted checkout.
 * A purchase moves through its states only along the legal transitions, each stored with what
 * caused it; a paid credit-package purchase grants its credits exactly once, whatever the number,
 * order or concurrency of webhooks; refunds take the refunded share of the credits back exactly
 * once per provider refund. See {@code docs/payments.md}.
 */
@NullMarked
package dev.billingsdk.purchase;

import org.jspecify.annotations.NullMarked;
