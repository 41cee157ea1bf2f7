package dev.billingsdk.metering;

import dev.billingsdk.BillingException;

/**
 * A meter key was defined again with a different definition. Meters never change once defined
 * (usage already rated against them would no longer mean what it meant); define a new key instead.
 */
public class MeterConflictException extends BillingException {
  private static final long serialVersionUID = 1L;

  private final transient Meter existing;
  private final transient Meter requested;

  public MeterConflictException(Meter existing, Meter requested) {
    super(
        "meter "
            + existing.key()
            + " in tenant "
            + existing.tenant()
            + " is already defined as "
            + existing
            + "; it cannot become "
            + requested);
    this.existing = existing;
    this.requested = requested;
  }

  public Meter existing() {
    return existing;
  }

  public Meter requested() {
    return requested;
  }
}
