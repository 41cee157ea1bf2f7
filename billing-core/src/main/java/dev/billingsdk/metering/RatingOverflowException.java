package dev.billingsdk.metering;

import dev.billingsdk.AccountId;
import dev.billingsdk.TenantId;
import dev.billingsdk.money.AmountOverflowException;
import dev.billingsdk.money.Unit;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Usage costs more than an amount can hold: the cost of {@code quantity} of the meter, in minor
 * units of the account's unit, is beyond a {@code long} (9,223,372,036,854,775,807 minor units; at
 * scale 12 about 9.2 million whole credits). Thrown by {@link Metering#estimate} and {@link
 * Metering#price}, and carried as the cause of a {@link DeductionReport.Failure} by the deduction,
 * which then posts nothing for that (account, meter) window: nothing is ever wrapped around or
 * capped. The usage stays unrated; the next run tries again (and fails again until the price
 * changes).
 */
public class RatingOverflowException extends AmountOverflowException {
  private static final long serialVersionUID = 1L;

  private final transient TenantId tenant;
  private final transient AccountId account;
  private final String meter;
  private final BigDecimal quantity;
  private final transient Unit unit;
  private final transient @Nullable Instant windowStart;
  private final transient @Nullable Instant windowEnd;

  /**
   * @param quantity what was being priced: the quantity of an estimate or price, or the quantity a
   *     deduction step rated (the sum of its lines' quantities)
   */
  public RatingOverflowException(
      TenantId tenant, AccountId account, String meter, BigDecimal quantity, Unit unit) {
    this(tenant, account, meter, quantity, unit, null, null);
  }

  private RatingOverflowException(
      TenantId tenant,
      AccountId account,
      String meter,
      BigDecimal quantity,
      Unit unit,
      @Nullable Instant windowStart,
      @Nullable Instant windowEnd) {
    super(describe(tenant, account, meter, quantity, unit, windowStart, windowEnd));
    this.tenant = tenant;
    this.account = account;
    this.meter = meter;
    this.quantity = quantity;
    this.unit = unit;
    this.windowStart = windowStart;
    this.windowEnd = windowEnd;
  }

  /** The same overflow, naming the deduction window {@code [start, end)} it was met in. */
  public RatingOverflowException inWindow(Instant start, Instant end) {
    RatingOverflowException e =
        new RatingOverflowException(tenant, account, meter, quantity, unit, start, end);
    e.setStackTrace(getStackTrace());
    return e;
  }

  public TenantId tenant() {
    return tenant;
  }

  public AccountId account() {
    return account;
  }

  /** The meter's key. */
  public String meter() {
    return meter;
  }

  /** The quantity whose cost overflowed. */
  public BigDecimal quantity() {
    return quantity;
  }

  /** The unit the cost is in: the account's. */
  public Unit unit() {
    return unit;
  }

  /** The start of the deduction window, when a deduction met the overflow. */
  public Optional<Instant> windowStart() {
    return Optional.ofNullable(windowStart);
  }

  /** The end of the deduction window, when a deduction met the overflow. */
  public Optional<Instant> windowEnd() {
    return Optional.ofNullable(windowEnd);
  }

  private static String describe(
      TenantId tenant,
      AccountId account,
      String meter,
      BigDecimal quantity,
      Unit unit,
      @Nullable Instant windowStart,
      @Nullable Instant windowEnd) {
    return "rating "
        + (quantity == null ? "?" : quantity.toPlainString())
        + " of meter "
        + meter
        + " for account "
        + account
        + " in tenant "
        + tenant
        + (windowStart == null ? "" : " in [" + windowStart + ", " + windowEnd + ")")
        + ": the cost is more than "
        + Long.MAX_VALUE
        + " minor units of "
        + unit;
  }
}
