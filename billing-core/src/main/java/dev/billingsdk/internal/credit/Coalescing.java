package dev.billingsdk.internal.credit;

/**
 * How concurrent charges of one {@code Billing} are combined into batches (the builder's {@code
 * coalesceCharges} and {@code coalesceChargesAcrossAccounts}).
 *
 * @param maxBatch the most charges one commit takes; 0 is off
 * @param sharedLanes 0 for a queue per account; above 0, the number of queues all accounts share
 */
public record Coalescing(int maxBatch, int sharedLanes) {
  /** Every charge commits on its own. */
  public static final Coalescing OFF = new Coalescing(0, 0);

  public Coalescing {
    if (maxBatch < 0 || sharedLanes < 0 || (maxBatch == 0 && sharedLanes != 0)) {
      throw new IllegalArgumentException(
          "coalescing of " + maxBatch + " in " + sharedLanes + " shared lane(s)");
    }
  }
}
