package dev.billingsdk.spi;

import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.credit.Reservation;
import dev.billingsdk.credit.ReservationId;
import dev.billingsdk.credit.ReservationState;
import dev.billingsdk.ledger.LedgerTransaction;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The balance rules a store checks where the write happens, whatever the service decided: a grant
 * holds between zero and its original amount, and the account owes no more than its policy allows
 * (rule 4). Shared by every adapter so that they refuse the same writes with the same words.
 */
public final class WriteRules {
  private WriteRules() {}

  /** Why a grant may not end at {@code remaining}, or empty if it may. */
  public static Optional<String> checkGrant(String grantId, long remaining, long original) {
    if (remaining < 0) {
      return Optional.of("grant " + grantId + " would fall below zero (" + remaining + ")");
    }
    if (remaining > original) {
      return Optional.of(
          "grant " + grantId + " would exceed its original amount (" + remaining + ")");
    }
    return Optional.empty();
  }

  /**
   * Why the write's reservation changes do not fit, or empty if they do: each resolved reservation
   * must be ACTIVE on the write's account, each opened one must be new, and the transaction's
   * RESERVED posting must equal what the opened ones hold minus what the resolved ones held, so
   * that RESERVED always equals what the active reservations hold.
   *
   * @param current the stored reservation for each id the write resolves or opens (null if none)
   */
  public static Optional<String> checkReservations(
      LedgerWrite write, Function<ReservationId, Reservation> current) {
    long expected = 0;
    if (write.newReservations().isEmpty() && write.resolvedReservations().isEmpty()) {
      // Nothing opened or resolved (every charge): RESERVED must not move.
      long delta = write.reservedDelta();
      return delta == 0
          ? Optional.empty()
          : Optional.of(
              "RESERVED moves by "
                  + delta
                  + " but the reservations opened and resolved move it by "
                  + expected);
    }
    for (Reservation r : write.newReservations()) {
      if (current.apply(r.id()) != null) {
        return Optional.of("reservation " + r.id() + " already exists");
      }
      expected = Math.addExact(expected, r.held().minor());
    }
    for (ReservationId id : write.resolvedReservations().keySet()) {
      Reservation r = current.apply(id);
      if (r == null || !r.account().equals(write.transaction().account())) {
        return Optional.of("unknown reservation " + id + " on " + write.transaction().account());
      }
      if (r.state() != ReservationState.ACTIVE) {
        return Optional.of("reservation " + id + " is already " + r.state());
      }
      expected = Math.subtractExact(expected, r.held().minor());
    }
    if (write.reservedDelta() != expected) {
      return Optional.of(
          "RESERVED moves by "
              + write.reservedDelta()
              + " but the reservations opened and resolved move it by "
              + expected);
    }
    return Optional.empty();
  }

  /** Why the account's overdraft may not end at {@code overdraft}, or empty if it may. */
  public static Optional<String> checkOverdraft(Account account, long overdraft) {
    if (overdraft > 0) {
      return Optional.of("overdraft balance would be positive (" + overdraft + ")");
    }
    long floor =
        account.overdraftPolicy() instanceof OverdraftPolicy.Limit limit
            ? -limit.limit().minor()
            : 0;
    if (overdraft < floor) {
      return Optional.of(
          "account "
              + account.id()
              + " would owe "
              + -overdraft
              + " minor units, beyond its policy "
              + account.overdraftPolicy());
    }
    return Optional.empty();
  }

  /**
   * The rule that chains one account's writes in a {@link BillingStore#commitBatch batch}, kept in
   * one place for every store: a write whose expected version is above that of an earlier write of
   * its account that was not applied counted on that write. Such a write is answered {@link
   * CommitResult.Duplicate} if its key is already stored (a re-sent batch replays), otherwise
   * {@link CommitResult.VersionConflict}, without any other check.
   *
   * @param <K> how the store names an account
   */
  public static final class BatchChain<K> {
    private final Map<K, Long> notApplied = new HashMap<>();

    /** A chain for one batch, with no write answered yet. */
    public BatchChain() {}

    /**
     * Whether {@code write} counted on an earlier write of {@code account} that was not applied.
     */
    public boolean countsOnUnapplied(K account, LedgerWrite write) {
      Long failedAt = notApplied.get(account);
      return failedAt != null && write.expectedVersion() > failedAt;
    }

    /**
     * The answer to a write that {@link #countsOnUnapplied counts on an unapplied one}.
     *
     * @param stored the transaction already stored under the write's key, or null
     * @param version the account's version now
     */
    public static CommitResult answerChained(
        LedgerWrite write, @Nullable LedgerTransaction stored, long version) {
      return stored != null
          ? new CommitResult.Duplicate(stored)
          : new CommitResult.VersionConflict(write.expectedVersion(), version);
    }

    /**
     * Records how {@code write} was answered. Its effect is in the store if it was committed now,
     * or if it is a duplicate of this very transaction (a re-sent batch); otherwise later writes of
     * the account that count on it are chained.
     */
    public void answered(K account, LedgerWrite write, CommitResult result) {
      boolean applied =
          result instanceof CommitResult.Committed
              || (result instanceof CommitResult.Duplicate d
                  && d.existing().id().equals(write.transaction().id()));
      if (!applied) {
        notApplied.merge(account, write.expectedVersion(), Math::min);
      }
    }
  }
}
