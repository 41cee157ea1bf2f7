/**
 * A small kit for a host's own tests of its credit math, with no dependency on the storage TCK:
 *
 * <ul>
 *   <li>{@link dev.billingsdk.testkit.TestClock}: a clock the test moves by hand;
 *   <li>{@link dev.billingsdk.testkit.BillingArbitraries}: jqwik generators of units, amounts,
 *       overdraft policies, grants, charges and usage events the library accepts;
 *   <li>{@link dev.billingsdk.testkit.LedgerChecks}: the ledger's rules checked on an account after
 *       a scenario, through the public API, failing with a {@link
 *       dev.billingsdk.testkit.LedgerCheckFailure} that names the broken {@link
 *       dev.billingsdk.testkit.LedgerRule}.
 * </ul>
 *
 * <p>Add it in test scope (docs/testkit.md). The storage TCK builds on it: a store's conformance
 * suites use the same clock, generators and checks.
 */
@NullMarked
package dev.billingsdk.testkit;

import org.jspecify.annotations.NullMarked;
