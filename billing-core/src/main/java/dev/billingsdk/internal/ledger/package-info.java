/**
 * The implementation of {@link dev.billingsdk.ledger}'s reads ({@code LedgerReads}), and the
 * request fingerprint stored with every transaction (and usage event), which tells a replay from a
 * conflict. Not an API; depends on no other internal package.
 */
@NullMarked
package dev.billingsdk.internal.ledger;

import org.jspecify.annotations.NullMarked;
