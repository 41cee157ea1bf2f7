package dev.billingsdk.spi;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.credit.Grant;
import dev.billingsdk.credit.GrantBalance;
import java.util.AbstractList;
import java.util.Comparator;
import java.util.List;
import java.util.RandomAccess;

/**
 * An account's live grants as a store keeps them: an immutable list in creation (sequence) order,
 * as every snapshot lists them, that also holds the same grants already in a grant order, and the
 * sum of what the grants hold. An {@link AccountSnapshot} keeps such a list as it is (it copies any
 * other list), so a store that maintains one per account hands it out without copying, and a charge
 * walks it in order and stops once the charge is covered instead of ordering every grant.
 *
 * <p>{@link #order()} is a promise of the store: no grant comes after the next one in it (and with
 * the creation sequence as the order's last tie-break, none ties). The services compare it by
 * identity with the order they decide in and order the grants themselves when it is another one, so
 * a store that does not know the library's order stays correct, only slower.
 */
public final class LiveGrants extends AbstractList<GrantBalance> implements RandomAccess {
  private static final Comparator<Grant> BY_SEQUENCE = Comparator.comparingLong(Grant::sequence);

  private final GrantBalance[] grants;
  private final GrantBalance[] inOrder;
  private final Comparator<Grant> order;
  private final long remaining;
  private final boolean remainingFits;

  private LiveGrants(GrantBalance[] grants, GrantBalance[] inOrder, Comparator<Grant> order) {
    if (grants.length != inOrder.length) {
      throw new InvalidRequestException("liveGrants", inOrder.length, "must list the same grants");
    }
    this.grants = grants;
    this.inOrder = inOrder;
    this.order = order;
    long sum = 0;
    boolean fits = true;
    for (GrantBalance g : grants) {
      InvalidRequestException.requireNonNull(g, "liveGrants");
      long r = g.remaining().minor();
      if (r < 0) {
        throw new InvalidRequestException("liveGrants", g.grant().id(), "holds less than zero");
      }
      long next = sum + r;
      if (next < sum) {
        fits = false;
      }
      sum = next;
    }
    this.remaining = sum;
    this.remainingFits = fits;
  }

  /**
   * {@code grants} in creation order, and the same grants in {@code order}: the caller (a store)
   * promises both orders and that no remainder is negative. The lists are copied.
   */
  public static LiveGrants of(
      List<GrantBalance> grants, List<GrantBalance> inOrder, Comparator<Grant> order) {
    InvalidRequestException.requireNonNull(grants, "liveGrants");
    InvalidRequestException.requireNonNull(inOrder, "inOrder");
    InvalidRequestException.requireNonNull(order, "order");
    GrantBalance[] listed = grants.toArray(new GrantBalance[0]);
    return new LiveGrants(
        listed, inOrder == grants ? listed : inOrder.toArray(new GrantBalance[0]), order);
  }

  /**
   * {@link #of}, keeping the arrays themselves instead of copies: for a store that builds fresh
   * arrays for each new list and never touches them again once handed over.
   */
  public static LiveGrants adopt(
      GrantBalance[] grants, GrantBalance[] inOrder, Comparator<Grant> order) {
    InvalidRequestException.requireNonNull(grants, "liveGrants");
    InvalidRequestException.requireNonNull(inOrder, "inOrder");
    InvalidRequestException.requireNonNull(order, "order");
    return new LiveGrants(grants, inOrder, order);
  }

  /**
   * The order of creation sequence (unique per tenant, so total within an account): how a store
   * that was offered no other order lists live grants.
   */
  public static Comparator<Grant> bySequence() {
    return BY_SEQUENCE;
  }

  /** The order {@link #inOrder(int)} lists the grants in; compare it by identity. */
  public Comparator<Grant> order() {
    return order;
  }

  /** The {@code index}th grant in {@link #order()}. */
  public GrantBalance inOrder(int index) {
    return inOrder[index];
  }

  /** Whether {@link #remainingMinor()} is the exact sum (it is unless the sum overflows a long). */
  public boolean remainingFits() {
    return remainingFits;
  }

  /** What the grants hold together, in minor units; exact when {@link #remainingFits()}. */
  public long remainingMinor() {
    return remaining;
  }

  @Override
  public GrantBalance get(int index) {
    return grants[index];
  }

  @Override
  public int size() {
    return grants.length;
  }

  @Override
  public Object[] toArray() {
    return grants.clone();
  }

  /** A copy of the grants in creation order, {@code extra} slots longer (for a store's update). */
  public GrantBalance[] copyListed(int extra) {
    return java.util.Arrays.copyOf(grants, grants.length + extra);
  }

  /** A copy of the grants in {@link #order()}, {@code extra} slots longer. */
  public GrantBalance[] copyInOrder(int extra) {
    return java.util.Arrays.copyOf(inOrder, inOrder.length + extra);
  }
}
