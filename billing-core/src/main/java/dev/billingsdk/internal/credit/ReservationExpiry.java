package dev.billingsdk.internal.credit;

import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.credit.Reservation;
import dev.billingsdk.credit.ReservationId;
import dev.billingsdk.credit.ReservationResult;
import dev.billingsdk.credit.ReservationState;
import dev.billingsdk.event.BillingEvent;
import dev.billingsdk.event.ReservationExpired;
import dev.billingsdk.event.ReservationReleased;
import dev.billingsdk.internal.ledger.Fingerprint;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.money.Amount;
import dev.billingsdk.spi.AccountSnapshot;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.LedgerWrite;
import dev.billingsdk.spi.StoreRejectedException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The expiry of reservations past their time-to-live, and the give-back that ends a reservation
 * without settling it (expired here, or released by {@link ReservationService#release}): {@code
 * RESERVED} down by the hold, everything back along the hold's lineage ({@link Restorer}), one
 * RELEASE transaction that resolves the reservation.
 *
 * <p>Expiry runs lazily, before any write or settled read of the account (the {@link Writer} that
 * builds it runs it), and from the sweep. Its own writes use {@link Writer#writeAsRead}, which does
 * not expire first, so that an expiry never recurses.
 */
public final class ReservationExpiry {
  private static final Actor EXPIRY_ACTOR = Actor.system("billing-reservation-expiry");

  private final Writer w;
  private final Restorer restorer;

  /** Built by {@code writer} itself ({@link Writer#expiry}). */
  ReservationExpiry(Writer writer) {
    this.w = writer;
    this.restorer = new Restorer(writer);
  }

  /** Expires the snapshot's reservations that are past their time-to-live; true if any was. */
  public boolean expireDue(AccountSnapshot snapshot, Instant now) {
    if (snapshot.reservations().isEmpty()) {
      return false; // most accounts hold nothing: no list to build
    }
    List<Reservation> due = Writer.due(snapshot, now);
    for (Reservation r : due) {
      expire(r, EXPIRY_ACTOR);
    }
    return !due.isEmpty();
  }

  /**
   * Expires one reservation if it is still active and due, exactly once: the key is derived from
   * the reservation, and the store refuses to resolve it twice.
   *
   * @return the expiry transaction this call posted, or empty if it was resolved some other way
   *     first or another caller expired it (a sweep reports only what it posted)
   */
  Optional<LedgerTransaction> expire(Reservation reservation, Actor actor) {
    IdempotencyKey key = expiryKey(reservation.id());
    String fingerprint =
        Fingerprint.of("reservation-expiry").add("reservation", reservation.id().value()).digest();
    return w.writeAsRead(
        reservation.tenant(),
        reservation.account(),
        key,
        // The key belongs to the reservation, whoever expired it: any actor replays the same.
        fingerprint,
        prior -> Optional.<LedgerTransaction>empty(),
        (snapshot, now) -> {
          Optional<Reservation> active = active(snapshot, reservation.id());
          if (active.isEmpty() || active.get().isHoldingAt(now)) {
            return Writer.Decision.answered(Optional.<LedgerTransaction>empty());
          }
          Writer.Decision<ReservationResult> d =
              giveBack(
                  snapshot,
                  active.get(),
                  ReservationState.EXPIRED,
                  now,
                  active.get().expiresAt(),
                  key,
                  fingerprint,
                  actor,
                  "reservation passed its time-to-live");
          return new Writer.Decision<>(d.write(), Optional::of);
        });
  }

  /** What expiring {@code reservation} now would post, without writing (a dry run). */
  Optional<LedgerTransaction> preview(Reservation reservation, Actor actor, Instant now) {
    AccountSnapshot snapshot = w.snapshot(reservation.tenant(), reservation.account());
    Optional<Reservation> active = active(snapshot, reservation.id());
    if (active.isEmpty() || active.get().isHoldingAt(now)) {
      return Optional.empty();
    }
    return giveBack(
            snapshot,
            active.get(),
            ReservationState.EXPIRED,
            now,
            active.get().expiresAt(),
            expiryKey(reservation.id()),
            "dry-run",
            actor,
            "reservation passed its time-to-live")
        .write()
        .map(LedgerWrite::transaction);
  }

  static IdempotencyKey expiryKey(ReservationId id) {
    return IdempotencyKey.of("billing:reservation-expiry:" + id.value());
  }

  /**
   * The decision that gives {@code res}'s hold back and resolves it as {@code finalState} (RELEASED
   * or EXPIRED), on {@code snapshot}.
   */
  Writer.Decision<ReservationResult> giveBack(
      AccountSnapshot snapshot,
      Reservation res,
      ReservationState finalState,
      Instant now,
      Instant effectiveAt,
      IdempotencyKey key,
      String fingerprint,
      Actor actor,
      String reason) {
    Restorer.Plan back =
        restorer.restore(snapshot, Lineage.ofDebit(hold(w.store, res)), now, actor);
    List<Posting> postings = new ArrayList<>();
    if (res.held().isPositive()) {
      postings.add(Posting.of(Writer.counter(LedgerAccount.Kind.RESERVED), res.held().negate()));
    }
    postings.addAll(back.postings());
    Map<String, String> refs = new HashMap<>();
    refs.put(ReservationService.REF_RESERVATION, res.id().value());
    refs.put(Lineage.REF, back.given().encode());
    LedgerTransaction t =
        w.transaction(
            res.tenant(),
            res.account(),
            TransactionType.RELEASE,
            key,
            fingerprint,
            actor,
            reason,
            now,
            effectiveAt,
            postings,
            refs);
    BillingEvent event =
        finalState == ReservationState.EXPIRED
            ? new ReservationExpired(
                Writer.eventId(t, "reservation-expired"),
                t.tenant(),
                t.account(),
                now,
                res.id(),
                res.held(),
                res.expiresAt(),
                t.id())
            : new ReservationReleased(
                Writer.eventId(t, "reservation-released"),
                t.tenant(),
                t.account(),
                now,
                res.id(),
                res.held(),
                t.id());
    Reservation resolved = res.resolved(finalState, t.id());
    return new Writer.Decision<>(
        new LedgerWrite(
                t, back.restoredCreditGrant().stream().toList(), Set.of(), snapshot.version())
            .withReservations(List.of(), Map.of(res.id(), finalState))
            .withEvents(List.of(event)),
        committed ->
            new ReservationResult(
                resolved, committed, List.of(), Amount.zero(res.held().unit()), false));
  }

  /** The reservation, if the snapshot holds it as active. */
  static Optional<Reservation> active(AccountSnapshot snapshot, ReservationId id) {
    return snapshot.reservations().stream().filter(r -> r.id().equals(id)).findFirst();
  }

  /** The HOLD transaction that opened {@code r}. */
  static LedgerTransaction hold(BillingStore store, Reservation r) {
    return store
        .findTransaction(r.tenant(), r.hold())
        .orElseThrow(() -> new StoreRejectedException("reservation " + r.id() + " lost its hold"));
  }
}
