package dev.billingsdk.credit;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.money.Amount;

/**
 * What happens when a charge asks for more than the eligible grants hold. The safe default is
 * {@link #reject()}.
 */
public sealed interface OverdraftPolicy {

  /** Refuse the whole charge; nothing is written. The default. */
  static OverdraftPolicy reject() {
    return Reject.INSTANCE;
  }

  /** Let the account owe up to {@code limit} (a positive amount in the account's unit). */
  static OverdraftPolicy allowDownTo(Amount limit) {
    return new Limit(limit);
  }

  /** Charge what the eligible grants hold and report the rest as a shortfall, never owed. */
  static OverdraftPolicy partial() {
    return Partial.INSTANCE;
  }

  /** See {@link OverdraftPolicy#reject()}. */
  enum Reject implements OverdraftPolicy {
    INSTANCE;

    @Override
    public String toString() {
      return "reject";
    }
  }

  /** See {@link OverdraftPolicy#partial()}. */
  enum Partial implements OverdraftPolicy {
    INSTANCE;

    @Override
    public String toString() {
      return "partial";
    }
  }

  /** See {@link OverdraftPolicy#allowDownTo(Amount)}. */
  record Limit(Amount limit) implements OverdraftPolicy {
    public Limit {
      InvalidRequestException.requireNonNull(limit, "overdraftLimit");
      if (!limit.isPositive()) {
        throw new InvalidRequestException("overdraftLimit", limit, "must be positive");
      }
    }

    @Override
    public String toString() {
      return "down to -" + limit;
    }
  }
}
