/**
 * The vocabulary every package shares: identities ({@link dev.billingsdk.TenantId}, {@link
 * dev.billingsdk.AccountId}, {@link dev.billingsdk.GrantId}, {@link
 * dev.billingsdk.IdempotencyKey}), actors and access, the {@link dev.billingsdk.InputContract}, and
 * the root of the exception hierarchy ({@link dev.billingsdk.BillingException}). It depends on no
 * other package of the library; the entry point is {@code dev.billingsdk.setup.Billing}. Nothing
 * here is null: every parameter and return value of the public API is non-null unless it is an
 * {@code Optional}.
 */
@NullMarked
package dev.billingsdk;

import org.jspecify.annotations.NullMarked;
