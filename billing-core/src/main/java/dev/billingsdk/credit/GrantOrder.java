package dev.billingsdk.credit;

import dev.billingsdk.InvalidRequestException;
import java.time.Instant;
import java.util.Comparator;

/**
 * The order in which eligible grants pay for a charge (rule 2). The standard order is priority
 * ascending, then soonest expiry (no expiry last), then lower cost basis (free before paid), then
 * oldest effective time, then creation sequence: total and deterministic.
 *
 * <p>A host may plug another order; {@link #totalOf(Comparator)} appends the creation sequence so
 * that any order the host gives becomes total.
 */
public final class GrantOrder {
  private static final Comparator<Grant> STANDARD =
      Comparator.comparingInt(Grant::priority)
          .thenComparing(g -> g.expiresAt().orElse(Instant.MAX))
          .thenComparing(Grant::costBasis)
          .thenComparing(Grant::effectiveFrom)
          .thenComparingLong(Grant::sequence);

  private GrantOrder() {}

  public static Comparator<Grant> standard() {
    return STANDARD;
  }

  /** {@code order}, with the creation sequence as its final tie-break. */
  public static Comparator<Grant> totalOf(Comparator<Grant> order) {
    InvalidRequestException.requireNonNull(order, "grantOrder");
    return order.thenComparingLong(Grant::sequence);
  }
}
