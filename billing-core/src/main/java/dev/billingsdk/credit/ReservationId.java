package dev.billingsdk.credit;

import dev.billingsdk.Identifiers;

/** Identifies a reservation within its tenant. */
public record ReservationId(String value) {

  public ReservationId {
    Identifiers.check(value, "reservation");
  }

  public static ReservationId of(String value) {
    return new ReservationId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
