package dev.billingsdk.catalogue;

import dev.billingsdk.InvalidRequestException;
import java.util.Optional;

/**
 * One entry of an item's audit trail: the version a change made ({@code after}, whose {@link
 * Revision} says who and when) and the version it replaced ({@code before}, empty for the first).
 */
public record CatalogueChange<T extends CatalogueItem>(Optional<T> before, T after) {

  public CatalogueChange {
    InvalidRequestException.requireNonNull(before, "before");
    InvalidRequestException.requireNonNull(after, "after");
    if (before.isPresent() && before.get().revision().version() + 1 != after.revision().version()) {
      throw new InvalidRequestException(
          "before", before.get().revision().version(), "must be the version just before");
    }
  }
}
