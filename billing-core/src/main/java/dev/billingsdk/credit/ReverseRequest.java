package dev.billingsdk.credit;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.money.Amount;
import java.util.Optional;

/**
 * Reverses a debit (a refund of consumption, an error correction), in whole or in part: the credit
 * goes back to the grants it came from, last taken first.
 *
 * @param amount how much to reverse; empty reverses all that is left to reverse
 */
public record ReverseRequest(
    TenantId tenant,
    AccountId account,
    TransactionId original,
    Optional<Amount> amount,
    IdempotencyKey idempotencyKey,
    Actor actor,
    String reason) {

  public ReverseRequest {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    InvalidRequestException.requireNonNull(original, "original");
    InvalidRequestException.requireNonNull(amount, "amount");
    InvalidRequestException.requireNonNull(idempotencyKey, "idempotencyKey");
    InvalidRequestException.requireNonNull(actor, "actor");
    InvalidRequestException.requireText(reason, "reason");
    if (amount.isPresent() && !amount.get().isPositive()) {
      throw new InvalidRequestException("amount", amount.get(), "must be positive");
    }
  }

  /** Reverses everything that is left to reverse of {@code original}. */
  public static ReverseRequest all(
      TenantId tenant,
      AccountId account,
      TransactionId original,
      IdempotencyKey key,
      Actor actor,
      String reason) {
    return new ReverseRequest(tenant, account, original, Optional.empty(), key, actor, reason);
  }

  /** Reverses {@code amount} of {@code original}. */
  public static ReverseRequest partial(
      TenantId tenant,
      AccountId account,
      TransactionId original,
      Amount amount,
      IdempotencyKey key,
      Actor actor,
      String reason) {
    InvalidRequestException.requireNonNull(amount, "amount");
    return new ReverseRequest(tenant, account, original, Optional.of(amount), key, actor, reason);
  }
}
