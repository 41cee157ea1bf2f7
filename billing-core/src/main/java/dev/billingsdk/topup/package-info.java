/**
 * Auto-top-up (seed 003): when an account's balance falls below its rule's threshold, one credit
 * package is bought with the saved payment method, off-session, within guardrails (one pending
 * top-up, a cooldown, a monthly spend cap, a rule that disables itself after repeated failures and
 * pauses when the bank asks the customer to authenticate). See {@code docs/auto-top-up.md}.
 */
@NullMarked
package dev.billingsdk.topup;

import org.jspecify.annotations.NullMarked;
