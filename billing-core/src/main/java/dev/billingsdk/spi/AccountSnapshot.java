package dev.billingsdk.spi;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.Reservation;
import dev.billingsdk.money.Amount;
import java.util.List;
import java.util.Optional;

/**
 * A consistent read of one account: its grants that still hold credit, what it owes, and the
 * version that a {@link LedgerWrite} must name to be applied.
 *
 * @param liveGrants grants whose remaining credit is not zero, in no particular order unless it is
 *     a {@link LiveGrants} (then listed in creation order, also held in its {@link
 *     LiveGrants#order() order}, and kept as it is)
 * @param overdraft the OVERDRAFT ledger balance: zero, or negative while the account owes
 * @param reservations the account's ACTIVE reservations (including ones past their time-to-live
 *     that no write has expired yet), in no particular order
 * @param alert the account's low-balance alert and whether it has fired, if one is configured
 * @param version increases with every write to the account
 */
public record AccountSnapshot(
    Account account,
    List<GrantBalance> liveGrants,
    Amount overdraft,
    List<Reservation> reservations,
    Optional<AlertState> alert,
    long version) {

  public AccountSnapshot {
    InvalidRequestException.requireNonNull(account, "account");
    InvalidRequestException.requireNonNull(liveGrants, "liveGrants");
    InvalidRequestException.requireNonNull(overdraft, "overdraft");
    InvalidRequestException.requireNonNull(reservations, "reservations");
    InvalidRequestException.requireNonNull(alert, "alert");
    // A store's LiveGrants is immutable already: copying it would cost a charge O(grants).
    liveGrants = liveGrants instanceof LiveGrants ? liveGrants : List.copyOf(liveGrants);
    reservations = List.copyOf(reservations);
  }

  /** A snapshot of an account with no reservations and no alert. */
  public AccountSnapshot(
      Account account, List<GrantBalance> liveGrants, Amount overdraft, long version) {
    this(account, liveGrants, overdraft, List.of(), Optional.empty(), version);
  }

  /** What the active reservations hold together (the RESERVED ledger balance). */
  public Amount reserved() {
    Amount sum = Amount.zero(account.unit());
    for (Reservation r : reservations) {
      sum = sum.plus(r.held());
    }
    return sum;
  }
}
