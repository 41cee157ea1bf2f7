package dev.billingsdk.ledger;

import dev.billingsdk.Identifiers;

/** Identifies a ledger transaction within its tenant. */
public record TransactionId(String value) {

  public TransactionId {
    Identifiers.check(value, "transaction");
  }

  public static TransactionId of(String value) {
    return new TransactionId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
