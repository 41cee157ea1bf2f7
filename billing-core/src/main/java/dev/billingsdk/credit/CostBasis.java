package dev.billingsdk.credit;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.money.Price;
import java.util.Optional;

/**
 * What was paid per credit of a grant, so that revenue can be recognised as credits are consumed.
 * Free credits (promotional, sign-up, referral) have no price and are applied before paid ones.
 */
public record CostBasis(Optional<Price> price) implements Comparable<CostBasis> {
  private static final CostBasis FREE = new CostBasis(Optional.empty());

  public CostBasis {
    InvalidRequestException.requireNonNull(price, "costBasis");
  }

  public static CostBasis free() {
    return FREE;
  }

  public static CostBasis paid(Price price) {
    InvalidRequestException.requireNonNull(price, "costBasis");
    return new CostBasis(Optional.of(price));
  }

  public boolean isFree() {
    return price.isEmpty() || price.get().cost().isZero();
  }

  /** Free first, then cheaper per credit first (see {@link Price#compareTo}). */
  @Override
  public int compareTo(CostBasis other) {
    if (isFree() || other.isFree()) {
      return Boolean.compare(!isFree(), !other.isFree());
    }
    return price.get().compareTo(other.price.get());
  }

  @Override
  public String toString() {
    return price.map(Price::toString).orElse("free");
  }
}
