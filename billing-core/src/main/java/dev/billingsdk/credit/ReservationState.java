package dev.billingsdk.credit;

/** Where a reservation is in its life. Only {@code ACTIVE} holds credit; the others are final. */
public enum ReservationState {
  /** Holding credit until settled, released or past its time-to-live. */
  ACTIVE,
  /** Settled with an actual amount; whatever was not used went back. */
  SETTLED,
  /** Released by the host; everything held went back. */
  RELEASED,
  /** Past its time-to-live before it was settled or released; everything held went back. */
  EXPIRED
}
