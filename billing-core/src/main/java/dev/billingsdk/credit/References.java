package dev.billingsdk.credit;

import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import java.util.Map;

/** Checks the free-form text maps (metadata, references) that requests carry. */
final class References {
  /** Keys the library writes itself; a caller's keys may not start with it. */
  static final String RESERVED_PREFIX = "billing.";

  private References() {}

  /**
   * Checks a map the library itself wrote, read back from a store (a grant's metadata may hold
   * {@value #RESERVED_PREFIX} keys): the text rules of {@link #check} without the reserved-prefix
   * rule.
   */
  static Map<String, String> checkStored(Map<String, String> map, String field) {
    InvalidRequestException.requireNonNull(map, field);
    map.forEach(
        (k, v) -> {
          InvalidRequestException.requireNonNull(k, field);
          InputContract.text(k, field, InputContract.MAX_METADATA_KEY);
          InputContract.text(v, field + "." + k, InputContract.MAX_METADATA_VALUE);
        });
    return Map.copyOf(map);
  }

  static Map<String, String> check(Map<String, String> map, String field) {
    InvalidRequestException.requireNonNull(map, field);
    map.forEach(
        (k, v) -> {
          if (k == null || k.isBlank() || k.length() > InputContract.MAX_METADATA_KEY) {
            throw new InvalidRequestException(
                field, k, "keys must be 1 to " + InputContract.MAX_METADATA_KEY + " characters");
          }
          InputContract.text(k, field, InputContract.MAX_METADATA_KEY);
          if (k.startsWith(RESERVED_PREFIX)) {
            throw new InvalidRequestException(
                field, k, "keys starting with '" + RESERVED_PREFIX + "' are reserved");
          }
          InputContract.text(v, field + "." + k, InputContract.MAX_METADATA_VALUE);
        });
    return Map.copyOf(map);
  }
}
