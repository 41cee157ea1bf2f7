package dev.billingsdk.metering;

import dev.billingsdk.BuilderRules;
import dev.billingsdk.Identifiers;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * What usage is counted and how: a key unique in the tenant (it is also the item code that usage
 * charges carry, so grant scopes can name it), the aggregation, the unit of the quantity (free text
 * such as {@code tokens}, {@code GB}, {@code seconds}), and the dimensions events may carry. An
 * event with a dimension the meter does not declare is refused.
 *
 * <p>Build one with {@link #builder}, which takes the tenant, the key and the aggregation; the unit
 * is required, the rest optional:
 *
 * <pre>{@code
 * Meter tokens =
 *     Meter.builder(tenant, "llm-tokens", Aggregation.SUM)
 *         .unit("tokens")
 *         .dimensions("model", "direction")
 *         .build();
 * }</pre>
 *
 * <p>{@link #uniqueCount} and {@link #runningTime} are short ways to the two aggregations that need
 * a key dimension. A meter is a value: two meters with equal fields are equal.
 */
public final class Meter {

  /** The most dimensions a meter may declare. */
  public static final int MAX_DIMENSIONS = 16;

  private final TenantId tenant;
  private final String key;
  private final Aggregation aggregation;
  private final String unit;
  private final SortedSet<String> dimensions;
  private final Optional<String> keyDimension;
  private final Optional<Duration> heartbeatTimeout;

  private Meter(Builder b) {
    this.tenant = b.tenant;
    this.key = b.key;
    this.aggregation = b.aggregation;
    this.unit = BuilderRules.required(b.unit, "unit");
    this.dimensions = Collections.unmodifiableSortedSet(new TreeSet<>(b.dimensions));
    this.keyDimension = Optional.ofNullable(b.keyDimension);
    this.heartbeatTimeout = Optional.ofNullable(b.heartbeatTimeout);
    if (needsKey(aggregation) && keyDimension.isEmpty()) {
      throw new InvalidRequestException(
          "keyDimension", "(none)", "is required for " + aggregation + " meters");
    }
    if (keyDimension.isPresent() && !dimensions.contains(keyDimension.get())) {
      throw new InvalidRequestException(
          "keyDimension", keyDimension.get(), "must be one of the dimensions " + dimensions);
    }
  }

  /**
   * A builder for the meter keyed {@code key} (an identifier unique in the tenant) that aggregates
   * usage by {@code aggregation}: the parts that say what the meter is, checked at once. {@link
   * Builder#build()} requires the unit and, for {@link Aggregation#UNIQUE_COUNT} and {@link
   * Aggregation#RUNNING_TIME}, the key dimension.
   */
  public static Builder builder(TenantId tenant, String key, Aggregation aggregation) {
    return new Builder(tenant, key, aggregation);
  }

  /**
   * A meter counting the distinct values of the dimension {@code counted} per period, its only
   * dimension; a meter with more dimensions is made with {@link #builder}.
   */
  public static Meter uniqueCount(TenantId tenant, String key, String unit, String counted) {
    return builder(tenant, key, Aggregation.UNIQUE_COUNT)
        .unit(unit)
        .dimensions(counted)
        .keyDimension(counted)
        .build();
  }

  /**
   * A running-time meter (quantity: level × seconds, unit {@code seconds}) whose instances are
   * named by the dimension {@code instance}, running until a stop event; a meter with a heartbeat
   * timeout or more dimensions is made with {@link #builder}.
   */
  public static Meter runningTime(TenantId tenant, String key, String instance) {
    return builder(tenant, key, Aggregation.RUNNING_TIME)
        .unit("seconds")
        .dimensions(instance)
        .keyDimension(instance)
        .build();
  }

  public TenantId tenant() {
    return tenant;
  }

  /** The meter's key, unique in the tenant; the item code its usage charges carry. */
  public String key() {
    return key;
  }

  public Aggregation aggregation() {
    return aggregation;
  }

  /** The unit of the quantity, free text such as {@code tokens}. */
  public String unit() {
    return unit;
  }

  /** The dimensions events may carry; unmodifiable, sorted. */
  public SortedSet<String> dimensions() {
    return dimensions;
  }

  /**
   * For {@link Aggregation#UNIQUE_COUNT} the dimension whose distinct values are counted, for
   * {@link Aggregation#RUNNING_TIME} the dimension naming the running instance (deployment,
   * machine); present for those two, empty for the others, and always one of {@link #dimensions}.
   * Events of such a meter must carry it.
   */
  public Optional<String> keyDimension() {
    return keyDimension;
  }

  /**
   * Only for {@link Aggregation#RUNNING_TIME}: how long an instance runs after its last event
   * before it counts as stopped; empty means until a stop event.
   */
  public Optional<Duration> heartbeatTimeout() {
    return heartbeatTimeout;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Meter m
        && tenant.equals(m.tenant)
        && key.equals(m.key)
        && aggregation == m.aggregation
        && unit.equals(m.unit)
        && dimensions.equals(m.dimensions)
        && keyDimension.equals(m.keyDimension)
        && heartbeatTimeout.equals(m.heartbeatTimeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(tenant, key, aggregation, unit, dimensions, keyDimension, heartbeatTimeout);
  }

  @Override
  public String toString() {
    return "Meter[tenant="
        + tenant
        + ", key="
        + key
        + ", aggregation="
        + aggregation
        + ", unit="
        + unit
        + ", dimensions="
        + dimensions
        + ", keyDimension="
        + keyDimension
        + ", heartbeatTimeout="
        + heartbeatTimeout
        + "]";
  }

  private static boolean needsKey(Aggregation aggregation) {
    return aggregation == Aggregation.UNIQUE_COUNT || aggregation == Aggregation.RUNNING_TIME;
  }

  /**
   * A mutable builder. Each setter checks its value at once, including what depends only on the
   * aggregation (a key dimension only for UNIQUE_COUNT and RUNNING_TIME, a heartbeat only for
   * RUNNING_TIME, at most {@value Meter#MAX_DIMENSIONS} dimensions), and refuses a second call,
   * naming the value already set; {@link #build()} names a missing unit or key dimension and checks
   * that the key dimension is one of the dimensions.
   */
  public static final class Builder {
    private final TenantId tenant;
    private final String key;
    private final Aggregation aggregation;
    // Null until set: build() refuses a missing required one by name.
    private @Nullable String unit;
    private final TreeSet<String> dimensions = new TreeSet<>();
    // What dimensions(..) was given, so that a second call can name it.
    private @Nullable List<String> allDimensions;
    private @Nullable String keyDimension;
    private @Nullable Duration heartbeatTimeout;

    private Builder(TenantId tenant, String key, Aggregation aggregation) {
      this.tenant = InvalidRequestException.requireNonNull(tenant, "tenant");
      this.key = Identifiers.check(key, "meter");
      this.aggregation = InvalidRequestException.requireNonNull(aggregation, "aggregation");
    }

    /** The unit of the quantity, an identifier such as {@code tokens}; required. */
    public Builder unit(String unit) {
      this.unit = BuilderRules.once("unit", this.unit, Identifiers.check(unit, "unit"));
      return this;
    }

    /**
     * One more dimension events may carry, an identifier. A dimension already declared, here or by
     * {@link #dimensions}, is refused, as is the {@value Meter#MAX_DIMENSIONS}th and one.
     */
    public Builder dimension(String name) {
      add(List.of(Identifiers.check(name, "dimensions")));
      return this;
    }

    /**
     * Several dimensions at once, none repeated ({@link InputContract#distinct}). May be called
     * once, and combined with {@link #dimension} as long as no dimension is named twice; if any is
     * refused, none is kept.
     */
    public Builder dimensions(String... names) {
      List<String> given = InputContract.distinct("dimensions", names);
      BuilderRules.once("dimensions", allDimensions, given);
      for (String d : given) {
        Identifiers.check(d, "dimensions");
      }
      add(given);
      this.allDimensions = given;
      return this;
    }

    private void add(List<String> names) {
      for (String d : names) {
        if (dimensions.contains(d)) {
          throw new InvalidRequestException(
              "dimensions", d, "must not repeat a value: already declared " + dimensions);
        }
      }
      if (dimensions.size() + names.size() > MAX_DIMENSIONS) {
        TreeSet<String> all = new TreeSet<>(dimensions);
        all.addAll(names);
        throw new InvalidRequestException(
            "dimensions", all, "at most " + MAX_DIMENSIONS + " dimensions");
      }
      dimensions.addAll(names);
    }

    /**
     * The dimension whose values the meter counts ({@link Aggregation#UNIQUE_COUNT}) or that names
     * the running instance ({@link Aggregation#RUNNING_TIME}); only for those two, where it is
     * required, and it must be one of the dimensions.
     */
    public Builder keyDimension(String name) {
      Identifiers.check(name, "keyDimension");
      if (!needsKey(aggregation)) {
        throw new InvalidRequestException(
            "keyDimension", name, "is only for UNIQUE_COUNT and RUNNING_TIME meters");
      }
      this.keyDimension = BuilderRules.once("keyDimension", keyDimension, name);
      return this;
    }

    /**
     * Only for {@link Aggregation#RUNNING_TIME}: how long an instance runs after its last event
     * before it counts as stopped, a positive whole number of seconds; without it, until a stop
     * event.
     */
    public Builder heartbeatTimeout(Duration timeout) {
      Duration t = InputContract.duration(timeout, "heartbeatTimeout", true);
      if (aggregation != Aggregation.RUNNING_TIME) {
        throw new InvalidRequestException("heartbeatTimeout", t, "is only for RUNNING_TIME meters");
      }
      if (t.isNegative() || t.isZero() || t.getNano() != 0) {
        throw new InvalidRequestException(
            "heartbeatTimeout", t, "must be a positive whole number of seconds");
      }
      this.heartbeatTimeout = BuilderRules.once("heartbeatTimeout", heartbeatTimeout, t);
      return this;
    }

    /**
     * The meter; refuses a missing unit, a missing key dimension (for UNIQUE_COUNT and
     * RUNNING_TIME) and a key dimension that is not one of the dimensions, each by name.
     */
    public Meter build() {
      return new Meter(this);
    }
  }
}
