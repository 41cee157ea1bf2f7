package dev.billingsdk.ledger;

import dev.billingsdk.GrantId;
import dev.billingsdk.InvalidRequestException;

/**
 * Where a posting lands, within the transaction's account. A grant's balance is the sum of its
 * postings; the counters say where credits came from and went to, so every transaction balances.
 *
 * <ul>
 *   <li>{@code GRANT}: one grant's remaining credit (positive while credit is left).
 *   <li>{@code OVERDRAFT}: what the account owes (negative while it owes).
 *   <li>{@code ISSUED}: the source of granted credit (goes down as grants are written).
 *   <li>{@code RESERVED}: credit held by active reservations (positive while held); it left the
 *       grants (or the overdraft) when reserved and goes to CONSUMED when settled, or back to where
 *       it came from when released or expired.
 *   <li>{@code CONSUMED}, {@code VOIDED}, {@code EXPIRED}: where spent, voided and expired credit
 *       goes.
 * </ul>
 */
public record LedgerAccount(Kind kind, String grantId) {

  /** The kinds of ledger account. */
  public enum Kind {
    GRANT,
    OVERDRAFT,
    ISSUED,
    RESERVED,
    CONSUMED,
    VOIDED,
    EXPIRED
  }

  public LedgerAccount {
    InvalidRequestException.requireNonNull(kind, "kind");
    InvalidRequestException.requireNonNull(grantId, "grantId");
    if ((kind == Kind.GRANT) == grantId.isEmpty()) {
      throw new InvalidRequestException(
          "grantId", grantId, "must be given for GRANT ledger accounts and only for them");
    }
  }

  public static LedgerAccount grant(GrantId grant) {
    InvalidRequestException.requireNonNull(grant, "grant");
    return new LedgerAccount(Kind.GRANT, grant.value());
  }

  public static LedgerAccount counter(Kind kind) {
    return new LedgerAccount(kind, "");
  }

  public boolean isGrant() {
    return kind == Kind.GRANT;
  }

  public GrantId grant() {
    if (!isGrant()) {
      throw new dev.billingsdk.InvalidRequestException(
          "ledgerAccount", this, "is not a grant account, so it names no grant");
    }
    return GrantId.of(grantId);
  }

  @Override
  public String toString() {
    return isGrant() ? "GRANT:" + grantId : kind.name();
  }
}
