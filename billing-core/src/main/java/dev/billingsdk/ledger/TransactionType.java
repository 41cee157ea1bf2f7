package dev.billingsdk.ledger;

/** The types of ledger transaction (DESIGN.md vocabulary). */
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
  REVERSAL
}
