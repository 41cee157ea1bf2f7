package dev.billingsdk.ledger;

/** The types of ledger transaction; docs/lifecycle.md says what writes each and what it posts. */
public enum TransactionType {
  GRANT,
  USAGE_DEBIT,
  CHARGE,
  EXPIRY,
  VOID,
  REFUND,
  MANUAL_ADJUSTMENT,
  PURCHASE,
  SUBSCRIPTION_ALLOWANCE,
  REVERSAL,
  /** Credit moved from grants (or the overdraft) to RESERVED by a reservation. */
  HOLD,
  /** A reservation's credit given back, because it was released or passed its time-to-live. */
  RELEASE
}
