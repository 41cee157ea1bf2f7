/**
 * The entry point ({@link dev.billingsdk.Billing}), identities, actors and access, and the root of
 * the exception hierarchy ({@link dev.billingsdk.BillingException}). Nothing here is null: every
 * parameter and return value of the public API is non-null unless it is an {@code Optional}.
 */
@NullMarked
package dev.billingsdk;

import org.jspecify.annotations.NullMarked;
