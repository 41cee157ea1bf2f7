package dev.billingsdk.metering;

import dev.billingsdk.AccountId;
import dev.billingsdk.Identifiers;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * One piece of usage. Its {@code id} is the idempotency key: the same id is counted once however
 * often it is sent; the same id with a different payload is a {@link UsageEventConflictException}.
 *
 * <p>The quantity is an exact decimal: never negative, at most {@value #MAX_SCALE} decimal places
 * and below 10^{@value #MAX_INTEGER_DIGITS}. Trailing zeros do not matter ({@code 1.50} and {@code
 * 1.5} are the same quantity). The time is kept to the microsecond, as databases store it; finer
 * parts are dropped here, before the event's fingerprint is taken, so every store agrees.
 */
public record UsageEvent(
    String id,
    TenantId tenant,
    AccountId account,
    String meter,
    BigDecimal quantity,
    Instant occurredAt,
    Map<String, String> dimensions) {

  /** The most decimal places a quantity may have. */
  public static final int MAX_SCALE = 12;

  /** A quantity must be below 10 to this power. */
  public static final int MAX_INTEGER_DIGITS = 18;

  private static final BigDecimal LIMIT = BigDecimal.TEN.pow(MAX_INTEGER_DIGITS);

  public UsageEvent {
    Identifiers.check(id, "id");
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(account, "account");
    Identifiers.check(meter, "meter");
    quantity = checkQuantity(quantity);
    occurredAt = InputContract.instant(occurredAt, "occurredAt");
    InvalidRequestException.requireNonNull(dimensions, "dimensions");
    for (Map.Entry<String, String> d : dimensions.entrySet()) {
      Identifiers.check(d.getKey(), "dimensions");
      // Values follow the identifier rule: MariaDB's PAD SPACE collation would group "a" and
      // "a " as one dimension value, so white space at either end is refused, not merged.
      Identifiers.check(d.getValue(), "dimensions." + d.getKey());
    }
    dimensions = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(dimensions));
  }

  public static UsageEvent of(
      String id,
      TenantId tenant,
      AccountId account,
      String meter,
      BigDecimal quantity,
      Instant occurredAt,
      Map<String, String> dimensions) {
    return new UsageEvent(id, tenant, account, meter, quantity, occurredAt, dimensions);
  }

  /**
   * The quantity in its canonical form (no trailing zeros), or an {@link InvalidRequestException}
   * naming {@code quantity} if it is negative, has more than {@value #MAX_SCALE} decimal places or
   * is not below 10^{@value #MAX_INTEGER_DIGITS}. NaN and infinities cannot be a {@code
   * BigDecimal}; {@link #quantityOf(double)} refuses them by name.
   */
  public static BigDecimal checkQuantity(BigDecimal quantity) {
    InputContract.decimal(quantity, "quantity");
    if (quantity.signum() < 0) {
      throw new InvalidRequestException(
          "quantity", quantity.toPlainString(), "must not be negative");
    }
    if (quantity.abs().compareTo(LIMIT) >= 0) {
      throw new InvalidRequestException(
          "quantity",
          quantity.toPlainString(),
          "overflows: must be below 10^" + MAX_INTEGER_DIGITS);
    }
    BigDecimal canonical = quantity.signum() == 0 ? BigDecimal.ZERO : quantity.stripTrailingZeros();
    if (canonical.scale() > MAX_SCALE) {
      throw new InvalidRequestException(
          "quantity",
          quantity.toPlainString(),
          "has more than " + MAX_SCALE + " decimal places; round it before sending");
    }
    if (canonical.scale() < 0) {
      canonical = canonical.setScale(0);
    }
    return canonical;
  }

  /**
   * A quantity from a {@code double}, exactly as its decimal text reads ({@code 0.1} is 0.1), for
   * hosts whose usage arrives as floating point; NaN and infinities are refused by name.
   */
  public static BigDecimal quantityOf(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw new InvalidRequestException("quantity", value, "must be a finite number");
    }
    return checkQuantity(new BigDecimal(Double.toString(value)));
  }
}
