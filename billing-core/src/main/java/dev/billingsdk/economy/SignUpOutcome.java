package dev.billingsdk.economy;

import dev.billingsdk.GrantId;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.money.Amount;

/** What awarding an account's sign-up credits did. Once per account, ever. */
public sealed interface SignUpOutcome {

  /** Granted {@code credits} by {@code grant}, under settings version {@code settingsVersion}. */
  record Awarded(GrantId grant, Amount credits, int settingsVersion) implements SignUpOutcome {
    public Awarded {
      InvalidRequestException.requireNonNull(grant, "grant");
      InvalidRequestException.requireNonNull(credits, "credits");
    }
  }

  /** The account was awarded its sign-up credits before, by {@code transaction}: nothing now. */
  record AlreadyAwarded(TransactionId transaction) implements SignUpOutcome {
    public AlreadyAwarded {
      InvalidRequestException.requireNonNull(transaction, "transaction");
    }
  }

  /** The settings' sign-up credits are zero: nothing was granted or recorded. */
  record NothingToAward(int settingsVersion) implements SignUpOutcome {}
}
