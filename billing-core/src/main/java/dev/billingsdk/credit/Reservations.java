package dev.billingsdk.credit;

import dev.billingsdk.AccountId;
import dev.billingsdk.TenantId;
import java.util.List;

/**
 * Two-phase spending: reserve credit for an in-flight operation, then settle the actual amount or
 * release it. A reservation past its time-to-live releases itself: the sweep ({@link
 * Sweeps#expireReservations}) does it, and so does any write to or read of its account, whichever
 * comes first, exactly once. Obtain from {@code Billing}.
 */
public interface Reservations {

  /** Holds credit; held credit leaves the available balance until the reservation ends. */
  ReservationResult reserve(ReserveRequest request);

  /** Settles with the actual amount; settling again with the same amount returns the first. */
  SettlementResult settle(SettleRequest request);

  /** Releases everything held; releasing again (or after expiry) returns the first outcome. */
  ReservationResult release(ReleaseRequest request);

  /** The reservation, expiring it first if it is past its time-to-live. */
  Reservation find(TenantId tenant, ReservationId reservation);

  /** The account's active reservations, after expiring any past their time-to-live. */
  List<Reservation> active(TenantId tenant, AccountId account);
}
