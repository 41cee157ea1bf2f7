package dev.billingsdk.credit;

import dev.billingsdk.InvalidRequestException;
import java.util.Map;

/** Checks the free-form text maps (metadata, references) that requests carry. */
final class References {
  /** Keys the library writes itself; a caller's keys may not start with it. */
  static final String RESERVED_PREFIX = "billing.";

  private References() {}

  static Map<String, String> check(Map<String, String> map, String field) {
    InvalidRequestException.requireNonNull(map, field);
    map.forEach(
        (k, v) -> {
          if (k == null || k.isBlank() || k.length() > 64) {
            throw new InvalidRequestException(field, k, "keys must be 1 to 64 characters");
          }
          if (k.startsWith(RESERVED_PREFIX)) {
            throw new InvalidRequestException(
                field, k, "keys starting with '" + RESERVED_PREFIX + "' are reserved");
          }
          if (v == null || v.length() > 1024) {
            throw new InvalidRequestException(
                field + "." + k, v == null ? null : v.length() + " chars", "must be 0 to 1024");
          }
          InvalidRequestException.requireNoNul(k, field);
          InvalidRequestException.requireNoNul(v, field + "." + k);
        });
    return Map.copyOf(map);
  }
}
