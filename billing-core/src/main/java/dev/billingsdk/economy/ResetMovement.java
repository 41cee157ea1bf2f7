package dev.billingsdk.economy;

import dev.billingsdk.AccountId;
import dev.billingsdk.GrantId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.money.Amount;
import java.time.Instant;
import java.util.Optional;

/**
 * One movement of a partner allowance reset: an earlier allowance's remainder expiring, or the
 * month's allowance granted.
 *
 * @param grant the expiring grant; for a new allowance, the grant made (empty when it would be
 *     made)
 * @param effectiveAt when the movement takes effect: the old allowance's expiry instant, or the
 *     month's start
 * @param key the idempotency key the movement is (or would be) posted under
 */
public record ResetMovement(
    AccountId account,
    Kind kind,
    Amount amount,
    Optional<GrantId> grant,
    Instant effectiveAt,
    IdempotencyKey key,
    State state) {

  public ResetMovement {
    InvalidRequestException.requireNonNull(account, "account");
    InvalidRequestException.requireNonNull(kind, "kind");
    InvalidRequestException.requireNonNull(amount, "amount");
    InvalidRequestException.requireNonNull(grant, "grant");
    InvalidRequestException.requireNonNull(effectiveAt, "effectiveAt");
    InvalidRequestException.requireNonNull(key, "key");
    InvalidRequestException.requireNonNull(state, "state");
  }

  public enum Kind {
    /** The unused remainder of an earlier month's allowance expires. */
    EXPIRE_REMAINDER,
    /** The month's allowance is granted. */
    GRANT_ALLOWANCE
  }

  public enum State {
    /** A dry run: this would be posted. */
    WOULD_POST,
    /** Posted by this run. */
    POSTED,
    /** Posted by an earlier run (a rerun after a crash, or another instance): nothing new. */
    POSTED_BEFORE
  }
}
