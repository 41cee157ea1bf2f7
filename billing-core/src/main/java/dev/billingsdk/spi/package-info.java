/**
 * The storage SPI: what a storage adapter implements so that the services can keep the ledger's
 * rules on it. Core ships an in-memory implementation; {@code billing-jdbc} ships one on JDBC; both
 * prove themselves with {@code billing-tck}.
 *
 * <p>The shape: services read an {@link dev.billingsdk.spi.AccountSnapshot} (with its version),
 * decide in memory, and hand the store a {@link dev.billingsdk.spi.LedgerWrite}: one transaction
 * plus the grants it creates. The store applies it atomically, or not at all, after checking its
 * preconditions (idempotency key unused, account version as read, no grant below zero, no overdraft
 * beyond the account's policy). A failed precondition is an outcome, not an exception; services
 * retry version conflicts. Depends on the domain packages only.
 */
@NullMarked
package dev.billingsdk.spi;

import org.jspecify.annotations.NullMarked;
