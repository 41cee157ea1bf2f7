package dev.billingsdk.credit;

import dev.billingsdk.BillingException;
import dev.billingsdk.TenantId;

/** No reservation with this id exists in the tenant. */
public class ReservationNotFoundException extends BillingException {
  private static final long serialVersionUID = 1L;

  private final transient TenantId tenant;
  private final transient ReservationId reservation;

  public ReservationNotFoundException(TenantId tenant, ReservationId reservation) {
    super("no reservation " + reservation + " in tenant " + tenant);
    this.tenant = tenant;
    this.reservation = reservation;
  }

  public TenantId tenant() {
    return tenant;
  }

  public ReservationId reservation() {
    return reservation;
  }
}
