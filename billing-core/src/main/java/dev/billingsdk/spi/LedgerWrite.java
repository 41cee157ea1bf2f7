package dev.billingsdk.spi;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.credit.Grant;
import dev.billingsdk.credit.GrantId;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.Posting;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One atomic write: a ledger transaction, the grants it creates and the grants it marks voided. The
 * store derives every balance change from the transaction's postings.
 *
 * @param expectedVersion the account version the decision was made on; a store applies the write
 *     only if the account is still at this version, and then moves it to {@code expectedVersion +
 *     1}. Writes in one batch to the same account name consecutive versions.
 */
public record LedgerWrite(
    LedgerTransaction transaction,
    List<Grant> newGrants,
    Set<GrantId> voidedGrants,
    long expectedVersion) {

  public LedgerWrite {
    InvalidRequestException.requireNonNull(transaction, "transaction");
    InvalidRequestException.requireNonNull(newGrants, "newGrants");
    InvalidRequestException.requireNonNull(voidedGrants, "voidedGrants");
    newGrants = List.copyOf(newGrants);
    voidedGrants = Set.copyOf(voidedGrants);
    for (Grant g : newGrants) {
      if (!g.tenant().equals(transaction.tenant()) || !g.account().equals(transaction.account())) {
        throw new InvalidRequestException(
            "newGrants", g.id(), "must belong to the transaction's tenant and account");
      }
    }
  }

  /** The change of each grant's remaining credit, in minor units, in posting order. */
  public Map<GrantId, Long> grantDeltas() {
    Map<GrantId, Long> deltas = new LinkedHashMap<>();
    for (Posting p : transaction.postings()) {
      if (p.account().isGrant()) {
        deltas.merge(p.account().grant(), p.amount().minor(), Math::addExact);
      }
    }
    return deltas;
  }

  /** The change of the account's OVERDRAFT balance, in minor units. */
  public long overdraftDelta() {
    return transaction.minorOn(LedgerAccount.counter(LedgerAccount.Kind.OVERDRAFT));
  }

  public static LedgerWrite of(LedgerTransaction transaction, long expectedVersion) {
    return new LedgerWrite(transaction, List.of(), Set.of(), expectedVersion);
  }
}
