package dev.billingsdk.metering;

import dev.billingsdk.Identifiers;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import java.time.Duration;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What usage is counted and how: a key unique in the tenant (it is also the item code that usage
 * charges carry, so grant scopes can name it), the aggregation, the unit of the quantity (free text
 * such as {@code tokens}, {@code GB}, {@code seconds}), and the dimensions events may carry. An
 * event with a dimension the meter does not declare is refused.
 *
 * @param keyDimension for {@link Aggregation#UNIQUE_COUNT} the dimension whose distinct values are
 *     counted, for {@link Aggregation#RUNNING_TIME} the dimension naming the running instance
 *     (deployment, machine); required for those two, absent for the others, and always one of
 *     {@code dimensions}. Events of such a meter must carry it.
 * @param heartbeatTimeout only for {@link Aggregation#RUNNING_TIME}: how long an instance runs
 *     after its last event before it counts as stopped; empty means until a stop event
 */
public record Meter(
    TenantId tenant,
    String key,
    Aggregation aggregation,
    String unit,
    SortedSet<String> dimensions,
    Optional<String> keyDimension,
    Optional<Duration> heartbeatTimeout) {

  /** The most dimensions a meter may declare. */
  public static final int MAX_DIMENSIONS = 16;

  public Meter {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    Identifiers.check(key, "meter");
    InvalidRequestException.requireNonNull(aggregation, "aggregation");
    Identifiers.check(unit, "unit");
    InvalidRequestException.requireNonNull(dimensions, "dimensions");
    InvalidRequestException.requireNonNull(keyDimension, "keyDimension");
    InvalidRequestException.requireNonNull(heartbeatTimeout, "heartbeatTimeout");
    if (dimensions.size() > MAX_DIMENSIONS) {
      throw new InvalidRequestException(
          "dimensions", dimensions, "at most " + MAX_DIMENSIONS + " dimensions");
    }
    for (String d : dimensions) {
      Identifiers.check(d, "dimensions");
    }
    dimensions = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(dimensions));
    boolean needsKey =
        aggregation == Aggregation.UNIQUE_COUNT || aggregation == Aggregation.RUNNING_TIME;
    if (needsKey && keyDimension.isEmpty()) {
      throw new InvalidRequestException(
          "keyDimension", "(none)", "is required for " + aggregation + " meters");
    }
    if (!needsKey && keyDimension.isPresent()) {
      throw new InvalidRequestException(
          "keyDimension", keyDimension.get(), "is only for UNIQUE_COUNT and RUNNING_TIME meters");
    }
    if (keyDimension.isPresent() && !dimensions.contains(keyDimension.get())) {
      throw new InvalidRequestException(
          "keyDimension", keyDimension.get(), "must be one of the dimensions " + dimensions);
    }
    if (heartbeatTimeout.isPresent()) {
      if (aggregation != Aggregation.RUNNING_TIME) {
        throw new InvalidRequestException(
            "heartbeatTimeout", heartbeatTimeout.get(), "is only for RUNNING_TIME meters");
      }
      Duration t = InputContract.duration(heartbeatTimeout.get(), "heartbeatTimeout", true);
      if (t.isNegative() || t.isZero() || t.getNano() != 0) {
        throw new InvalidRequestException(
            "heartbeatTimeout", t, "must be a positive whole number of seconds");
      }
    }
  }

  /** A meter of {@code aggregation} (not UNIQUE_COUNT or RUNNING_TIME) over {@code dimensions}. */
  public static Meter of(
      TenantId tenant, String key, Aggregation aggregation, String unit, String... dimensions) {
    return new Meter(
        tenant,
        key,
        aggregation,
        unit,
        dimensionsOf(dimensions),
        Optional.empty(),
        Optional.empty());
  }

  /** A meter counting the distinct values of {@code counted} per period. */
  public static Meter uniqueCount(
      TenantId tenant, String key, String unit, String counted, String... otherDimensions) {
    TreeSet<String> dims = withKey(counted, dimensionsOf(otherDimensions));
    return new Meter(
        tenant, key, Aggregation.UNIQUE_COUNT, unit, dims, Optional.of(counted), Optional.empty());
  }

  /**
   * A running-time meter (quantity: level × seconds) whose instances are named by {@code instance}.
   */
  public static Meter runningTime(
      TenantId tenant,
      String key,
      String instance,
      Optional<Duration> heartbeatTimeout,
      String... otherDimensions) {
    TreeSet<String> dims = withKey(instance, dimensionsOf(otherDimensions));
    return new Meter(
        tenant,
        key,
        Aggregation.RUNNING_TIME,
        "seconds",
        dims,
        Optional.of(instance),
        heartbeatTimeout);
  }

  /**
   * The dimensions a factory was given, each required and none repeated; {@link #withKey} adds the
   * key dimension, which must not repeat one of them either.
   */
  private static TreeSet<String> dimensionsOf(String... others) {
    TreeSet<String> dims = new TreeSet<>();
    for (String d : InputContract.distinct("dimensions", others)) {
      dims.add(Identifiers.check(d, "dimensions"));
    }
    return dims;
  }

  private static TreeSet<String> withKey(String keyDimension, TreeSet<String> dims) {
    Identifiers.check(keyDimension, "keyDimension");
    if (!dims.add(keyDimension)) {
      throw new InvalidRequestException(
          "dimensions", keyDimension, "repeats the key dimension; name it once");
    }
    return dims;
  }
}
