/**
 * The payment adapter for Flutterwave: hosted payments, webhooks, transaction verification and
 * refunds.
 *
 * <p>Not written yet. Flutterwave amounts are decimals in major units; this adapter will convert
 * them exactly at its boundary, or fail, and will always verify a transaction through the API
 * before trusting a webhook.
 */
@NullMarked
package dev.billingsdk.flutterwave;

import org.jspecify.annotations.NullMarked;
