package dev.billingsdk.spi;

import dev.billingsdk.ledger.LedgerTransaction;

/** What a store did with one {@link LedgerWrite}. */
public sealed interface CommitResult {

  /** Applied; the transaction is as stored. */
  record Committed(LedgerTransaction transaction) implements CommitResult {}

  /** Not applied: the tenant already has a transaction with this idempotency key. */
  record Duplicate(LedgerTransaction existing) implements CommitResult {}

  /** Not applied: the account moved on since it was read; read again and decide again. */
  record VersionConflict(long expected, long actual) implements CommitResult {}

  /**
   * Not applied: the write would break a rule the store guards where the write happens (a grant
   * below zero, an overdraft past the policy, an unknown grant or account, a duplicate grant id).
   */
  record Rejected(String reason) implements CommitResult {}
}
