/**
 * The immutable double-entry ledger: transactions, their postings, the ledger accounts postings
 * land on, and the read-only {@link dev.billingsdk.ledger.Ledger} service.
 */
@NullMarked
package dev.billingsdk.ledger;

import org.jspecify.annotations.NullMarked;
