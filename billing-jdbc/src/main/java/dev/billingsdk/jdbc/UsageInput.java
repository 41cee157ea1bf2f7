package dev.billingsdk.jdbc;

import dev.billingsdk.metering.UsageEvent;
import dev.billingsdk.spi.RatingCursor;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The checks the metering parts of {@link JdbcBillingStore} make of text before storing it. */
final class UsageInput {
  private UsageInput() {}

  static RatingCursor.Key cursorKey(UsageEvent e) {
    return new RatingCursor.Key(e.tenant(), e.account(), e.meter());
  }

  /**
   * Refuses text no database column keeps exactly (core's {@link dev.billingsdk.InputContract}): an
   * unpaired UTF-16 surrogate, which PostgreSQL refuses in jsonb and MariaDB and H2 would store as
   * '?', and NUL. Core already refuses both in every value; this guards the SPI's own entry.
   */
  static @Nullable String wellFormed(@Nullable String value, String field) {
    return value == null
        ? null
        : dev.billingsdk.InputContract.text(value, field, Integer.MAX_VALUE);
  }

  static void wellFormed(Map<String, String> dimensions, String field) {
    for (Map.Entry<String, String> d : dimensions.entrySet()) {
      wellFormed(d.getKey(), field);
      wellFormed(d.getValue(), field + "." + d.getKey());
    }
  }

  static RatingCursor.Key wellFormed(RatingCursor.Key k) {
    wellFormed(k.tenant().value(), "tenant");
    wellFormed(k.account().value(), "account");
    wellFormed(k.meter(), "meter");
    return k;
  }

  static void wellFormed(UsageEvent e) {
    wellFormed(cursorKey(e));
    wellFormed(e.id(), "id");
    wellFormed(e.dimensions(), "dimensions");
  }
}
