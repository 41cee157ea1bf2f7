package dev.billingsdk.credit;

import dev.billingsdk.BillingException;

/**
 * The reservation was already resolved in a way this request cannot follow: settling one that was
 * released or expired, settling again with a different amount, or releasing one that was settled.
 * Nothing was written.
 */
public class ReservationNotActiveException extends BillingException {
  private static final long serialVersionUID = 1L;

  private final transient Reservation reservation;

  public ReservationNotActiveException(Reservation reservation, String problem) {
    super(
        "reservation "
            + reservation.id()
            + " is "
            + reservation.state()
            + (reservation.resolution().isPresent()
                ? " (by " + reservation.resolution().get() + ")"
                : "")
            + ": "
            + problem);
    this.reservation = reservation;
  }

  /** The reservation as stored, with its state and resolving transaction. */
  public Reservation reservation() {
    return reservation;
  }

  public ReservationState state() {
    return reservation.state();
  }
}
