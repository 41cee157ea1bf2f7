package dev.billingsdk.payment;

import dev.billingsdk.Identifiers;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.money.Amount;

/**
 * A refund as the provider reports it; its id is unique per provider, so a refund reaches the
 * ledger once however often it is reported.
 */
public record ProviderRefund(String refundId, Amount amount, Status status) {

  /** Where the refund stands at the provider. */
  public enum Status {
    SUCCEEDED,
    PENDING,
    FAILED
  }

  public ProviderRefund {
    Identifiers.check(refundId, "refundId");
    InvalidRequestException.requireNonNull(amount, "amount");
    if (!amount.isPositive()) {
      throw new InvalidRequestException("amount", amount, "must be positive");
    }
    InvalidRequestException.requireNonNull(status, "status");
  }
}
