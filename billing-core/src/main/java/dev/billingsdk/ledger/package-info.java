/**
 * The immutable double-entry ledger: transactions, their postings, the ledger accounts postings
 * land on, and the read-only {@link dev.billingsdk.ledger.Ledger} service.
 */
package dev.billingsdk.ledger;
