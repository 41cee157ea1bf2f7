package dev.billingsdk.spi;

import dev.billingsdk.GrantId;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.credit.Grant;
import dev.billingsdk.credit.Reservation;
import dev.billingsdk.credit.ReservationId;
import dev.billingsdk.credit.ReservationState;
import dev.billingsdk.event.BillingEvent;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.Posting;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One atomic write: a ledger transaction, the grants it creates and the grants it marks voided, the
 * reservations it opens and resolves, the account's new low-balance alert state, and the events it
 * puts in the outbox. The store derives every balance change from the transaction's postings, and
 * applies all of it or none of it.
 *
 * @param newReservations reservations this write opens (state ACTIVE)
 * @param resolvedReservations reservations this write moves from ACTIVE to a final state; the
 *     transaction is their resolution. A store refuses the write if one is not ACTIVE.
 * @param alert the account's alert state after this write, when it changes
 * @param events what this write puts in the outbox
 * @param expectedVersion the account version the decision was made on; a store applies the write
 *     only if the account is still at this version, and then moves it to {@code expectedVersion +
 *     1}. Writes in one batch to the same account name consecutive versions.
 */
public record LedgerWrite(
    LedgerTransaction transaction,
    List<Grant> newGrants,
    Set<GrantId> voidedGrants,
    List<Reservation> newReservations,
    Map<ReservationId, ReservationState> resolvedReservations,
    Optional<AlertState> alert,
    List<BillingEvent> events,
    long expectedVersion) {

  private static final LedgerAccount RESERVED = LedgerAccount.counter(LedgerAccount.Kind.RESERVED);
  private static final LedgerAccount OVERDRAFT =
      LedgerAccount.counter(LedgerAccount.Kind.OVERDRAFT);

  public LedgerWrite {
    InvalidRequestException.requireNonNull(transaction, "transaction");
    InvalidRequestException.requireNonNull(newGrants, "newGrants");
    InvalidRequestException.requireNonNull(voidedGrants, "voidedGrants");
    InvalidRequestException.requireNonNull(newReservations, "newReservations");
    InvalidRequestException.requireNonNull(resolvedReservations, "resolvedReservations");
    InvalidRequestException.requireNonNull(alert, "alert");
    InvalidRequestException.requireNonNull(events, "events");
    newGrants = List.copyOf(newGrants);
    voidedGrants = Set.copyOf(voidedGrants);
    newReservations = List.copyOf(newReservations);
    resolvedReservations = Map.copyOf(resolvedReservations);
    events = List.copyOf(events);
    for (int i = 0; i < newReservations.size(); i++) {
      Reservation r = newReservations.get(i);
      if (!r.tenant().equals(transaction.tenant())
          || !r.account().equals(transaction.account())
          || r.state() != ReservationState.ACTIVE) {
        throw new InvalidRequestException(
            "newReservations", r.id(), "must be ACTIVE and belong to the transaction's account");
      }
    }
    if (!resolvedReservations.isEmpty()) {
      for (var e : resolvedReservations.entrySet()) {
        if (e.getValue() == ReservationState.ACTIVE) {
          throw new InvalidRequestException(
              "resolvedReservations", e.getKey(), "must move to a final state, not ACTIVE");
        }
      }
    }
    for (int i = 0; i < events.size(); i++) {
      BillingEvent e = events.get(i);
      if (!e.tenant().equals(transaction.tenant())) {
        throw new InvalidRequestException("events", e.id(), "must belong to the write's tenant");
      }
    }
    for (int i = 0; i < newGrants.size(); i++) {
      Grant g = newGrants.get(i);
      if (!g.tenant().equals(transaction.tenant()) || !g.account().equals(transaction.account())) {
        throw new InvalidRequestException(
            "newGrants", g.id(), "must belong to the transaction's tenant and account");
      }
    }
  }

  /** A write of grants and voids only, with no reservations, alert change or events. */
  public LedgerWrite(
      LedgerTransaction transaction,
      List<Grant> newGrants,
      Set<GrantId> voidedGrants,
      long expectedVersion) {
    this(
        transaction,
        newGrants,
        voidedGrants,
        List.of(),
        Map.of(),
        Optional.empty(),
        List.of(),
        expectedVersion);
  }

  /** This write, also opening and resolving reservations. */
  public LedgerWrite withReservations(
      List<Reservation> opened, Map<ReservationId, ReservationState> resolved) {
    return new LedgerWrite(
        transaction, newGrants, voidedGrants, opened, resolved, alert, events, expectedVersion);
  }

  /** This write, also leaving the account's alert in {@code state}. */
  public LedgerWrite withAlert(AlertState state) {
    return new LedgerWrite(
        transaction,
        newGrants,
        voidedGrants,
        newReservations,
        resolvedReservations,
        Optional.of(state),
        events,
        expectedVersion);
  }

  /** This write, with {@code more} events added to the outbox. */
  public LedgerWrite withEvents(List<BillingEvent> more) {
    List<BillingEvent> all;
    if (events.isEmpty()) {
      all = more; // copied (if it is not immutable) by the constructor
    } else {
      all = new ArrayList<>(events.size() + more.size());
      all.addAll(events);
      all.addAll(more);
    }
    return new LedgerWrite(
        transaction,
        newGrants,
        voidedGrants,
        newReservations,
        resolvedReservations,
        alert,
        all,
        expectedVersion);
  }

  /** The change of the account's RESERVED balance, in minor units. */
  public long reservedDelta() {
    return transaction.minorOn(RESERVED);
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
    return transaction.minorOn(OVERDRAFT);
  }

  public static LedgerWrite of(LedgerTransaction transaction, long expectedVersion) {
    return new LedgerWrite(transaction, List.of(), Set.of(), expectedVersion);
  }
}
