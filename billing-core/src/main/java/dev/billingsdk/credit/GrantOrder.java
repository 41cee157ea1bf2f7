package dev.billingsdk.credit;

import dev.billingsdk.InvalidRequestException;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;

/**
 * The order in which eligible grants pay for a charge (rule 2). The standard order is priority
 * ascending, then soonest expiry (no expiry last), then lower cost basis (free before paid), then
 * oldest effective time, then creation sequence: total and deterministic.
 *
 * <p>A host may plug another order; {@link #totalOf(Comparator)} appends the creation sequence so
 * that any order the host gives becomes total.
 */
public final class GrantOrder {
  private static final Comparator<Grant> STANDARD = new Standard();

  /**
   * Priority, then expiry (none last), then cost basis, then effective time, then sequence: the
   * comparator chain {@code comparingInt(priority).thenComparing(expiresAt or Instant.MAX)
   * .thenComparing(costBasis).thenComparing(effectiveFrom).thenComparingLong(sequence)}, written
   * out so that a comparison (a store keeps the grants sorted by it) allocates nothing.
   */
  private static final class Standard implements Comparator<Grant> {
    @Override
    public int compare(Grant a, Grant b) {
      int c = Integer.compare(a.priority(), b.priority());
      if (c != 0) {
        return c;
      }
      Optional<Instant> ea = a.expiresAt();
      Optional<Instant> eb = b.expiresAt();
      c =
          (ea.isPresent() ? ea.get() : Instant.MAX)
              .compareTo(eb.isPresent() ? eb.get() : Instant.MAX);
      if (c != 0) {
        return c;
      }
      c = a.costBasis().compareTo(b.costBasis());
      if (c != 0) {
        return c;
      }
      c = a.effectiveFrom().compareTo(b.effectiveFrom());
      if (c != 0) {
        return c;
      }
      return Long.compare(a.sequence(), b.sequence());
    }
  }

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
