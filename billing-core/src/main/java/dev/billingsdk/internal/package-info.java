/**
 * The implementation behind {@link dev.billingsdk.setup.Billing}, one sub-package per capability:
 * {@code credit} (accounts, grants, charges, reversals, reservations, sweeps, invoice credits and
 * the write protocol they share), {@code metering} (ingest, summaries, the periodic deduction),
 * {@code ledger} (ledger reads and request fingerprints) and {@code event} (listener dispatch and
 * the outbox relay). Not an API: nothing outside core may use these classes (an ArchUnit rule
 * checks it), and they may change in any release. This package itself holds no classes; new ones go
 * to the sub-package of their capability.
 */
@NullMarked
package dev.billingsdk.internal;

import org.jspecify.annotations.NullMarked;
