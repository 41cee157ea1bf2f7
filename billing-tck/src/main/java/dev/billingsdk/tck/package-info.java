/**
 * The storage conformance kit. A storage adapter proves it keeps the ledger's rules by extending
 * {@link dev.billingsdk.tck.BillingStoreTck} (JUnit 5 scenarios, concurrency) and {@link
 * dev.billingsdk.tck.BillingStoreProperties} (jqwik properties) with a factory for its store.
 *
 * <p>Tests isolate themselves with a fresh tenant each, so an adapter may hand every test the same
 * store (a database it set up once). The kit itself is tested against deliberately broken stores,
 * so a rule it claims to check is one it can catch broken.
 */
@NullMarked
package dev.billingsdk.tck;

import org.jspecify.annotations.NullMarked;
