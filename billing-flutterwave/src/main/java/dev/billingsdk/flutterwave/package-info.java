/**
 * The payment adapter for Flutterwave (v3): hosted payments through Flutterwave Standard, webhooks
 * checked under either of Flutterwave's two schemes, every payment verified through the API before
 * anything is granted, tokenized charges for off-session top-ups, refunds, and a health check.
 * Amounts cross the boundary exactly, ISO 4217 minor units to Flutterwave's decimal major units and
 * back, or are refused. See {@code docs/payments.md}.
 */
@NullMarked
package dev.billingsdk.flutterwave;

import org.jspecify.annotations.NullMarked;
