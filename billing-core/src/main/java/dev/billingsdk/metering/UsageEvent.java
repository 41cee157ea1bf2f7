package dev.billingsdk.metering;

import dev.billingsdk.AccountId;
import dev.billingsdk.BuilderRules;
import dev.billingsdk.Identifiers;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One piece of usage. Its {@code id} is the idempotency key: the same id is counted once however
 * often it is sent; the same id with a different payload is a {@link UsageEventConflictException}.
 *
 * <p>Build one with {@link #builder}, which takes whose usage it is and of which meter; then {@link
 * Builder#id}, {@link Builder#quantity} and {@link Builder#occurredAt} are required, and dimensions
 * are optional:
 *
 * <pre>{@code
 * UsageEvent e =
 *     UsageEvent.builder(tenant, account, "llm-tokens")
 *         .id("call-1-in")
 *         .quantity(BigDecimal.valueOf(1200))
 *         .occurredAt(at)
 *         .dimension("model", "gpt-4o")
 *         .build();
 * }</pre>
 *
 * <p>The quantity is an exact decimal: never negative, at most {@value #MAX_SCALE} decimal places
 * and below 10^{@value #MAX_INTEGER_DIGITS}. Trailing zeros do not matter ({@code 1.50} and {@code
 * 1.5} are the same quantity). The time is kept to the microsecond, as databases store it; finer
 * parts are dropped here, before the event's fingerprint is taken, so every store agrees.
 *
 * <p>An event is a value: two events with equal fields are equal, whichever way they were built.
 */
public final class UsageEvent {

  /** The most decimal places a quantity may have. */
  public static final int MAX_SCALE = 12;

  /** A quantity must be below 10 to this power. */
  public static final int MAX_INTEGER_DIGITS = 18;

  private static final BigDecimal LIMIT = BigDecimal.TEN.pow(MAX_INTEGER_DIGITS);

  private final String id;
  private final TenantId tenant;
  private final AccountId account;
  private final String meter;
  private final BigDecimal quantity;
  private final Instant occurredAt;
  private final Map<String, String> dimensions;

  private UsageEvent(Builder b) {
    this.id = BuilderRules.required(b.id, "id");
    this.tenant = b.tenant;
    this.account = b.account;
    this.meter = b.meter;
    this.quantity = BuilderRules.required(b.quantity, "quantity");
    this.occurredAt = BuilderRules.required(b.occurredAt, "occurredAt");
    this.dimensions = Collections.unmodifiableSortedMap(b.shareDimensions());
  }

  /**
   * A builder for usage of {@code account} in {@code tenant} on the meter keyed {@code meter}: the
   * parts that say whose usage it is and what it counts, checked at once ({@code meter} must be an
   * identifier). {@link Builder#build()} requires the id, quantity and time.
   */
  public static Builder builder(TenantId tenant, AccountId account, String meter) {
    return new Builder(tenant, account, meter);
  }

  /** The event's id, its idempotency key within the tenant. */
  public String id() {
    return id;
  }

  public TenantId tenant() {
    return tenant;
  }

  public AccountId account() {
    return account;
  }

  /** The key of the meter the usage counts on. */
  public String meter() {
    return meter;
  }

  /** The quantity in its canonical form ({@link #checkQuantity}). */
  public BigDecimal quantity() {
    return quantity;
  }

  /** When the usage happened, to the microsecond. */
  public Instant occurredAt() {
    return occurredAt;
  }

  /** The dimension values by dimension name; unmodifiable, iterating in name order. */
  public Map<String, String> dimensions() {
    return dimensions;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof UsageEvent e
        && id.equals(e.id)
        && tenant.equals(e.tenant)
        && account.equals(e.account)
        && meter.equals(e.meter)
        && quantity.equals(e.quantity)
        && occurredAt.equals(e.occurredAt)
        && dimensions.equals(e.dimensions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, tenant, account, meter, quantity, occurredAt, dimensions);
  }

  @Override
  public String toString() {
    return "UsageEvent[id="
        + id
        + ", tenant="
        + tenant
        + ", account="
        + account
        + ", meter="
        + meter
        + ", quantity="
        + quantity
        + ", occurredAt="
        + occurredAt
        + ", dimensions="
        + dimensions
        + "]";
  }

  /**
   * A mutable builder. Each setter checks its value at once and refuses a second call, naming the
   * value already set, so a mistake is reported where it is made; {@link #build()} names the id,
   * quantity or time if one was never given.
   */
  public static final class Builder {
    private final TenantId tenant;
    private final AccountId account;
    private final String meter;
    // Null until set: build() refuses a missing one by name.
    private @Nullable String id;
    private @Nullable BigDecimal quantity;
    private @Nullable Instant occurredAt;
    private TreeMap<String, String> dimensions = NO_DIMENSIONS;
    // Whether dimensions is also held by a built event (or by allDimensions): then it is copied
    // before it changes, so that what was handed out never changes.
    private boolean dimensionsShared = true;

    /** What a builder starts with: never changed (it is shared), so nothing is allocated for it. */
    private static final TreeMap<String, String> NO_DIMENSIONS = new TreeMap<>();

    // What dimensions(Map) was given, so that a second call can name it.
    private @Nullable Map<String, String> allDimensions;

    private Builder(TenantId tenant, AccountId account, String meter) {
      this.tenant = InvalidRequestException.requireNonNull(tenant, "tenant");
      this.account = InvalidRequestException.requireNonNull(account, "account");
      this.meter = Identifiers.check(meter, "meter");
    }

    /**
     * The event's id, an identifier unique within the tenant and the event's idempotency key: a
     * host derives it from its own record of the usage (a request id, say), so that a resend
     * carries the same id.
     */
    public Builder id(String id) {
      this.id = BuilderRules.once("id", this.id, Identifiers.check(id, "id"));
      return this;
    }

    /** The quantity, kept in its canonical form; refused as {@link #checkQuantity} says. */
    public Builder quantity(BigDecimal quantity) {
      this.quantity = BuilderRules.once("quantity", this.quantity, checkQuantity(quantity));
      return this;
    }

    /** When the usage happened; kept to the microsecond, within the {@link InputContract}. */
    public Builder occurredAt(Instant occurredAt) {
      this.occurredAt =
          BuilderRules.once(
              "occurredAt", this.occurredAt, InputContract.instant(occurredAt, "occurredAt"));
      return this;
    }

    /**
     * One dimension value; both are identifiers, and the meter must declare {@code name} (checked
     * when the event is ingested). A name already given, here or by {@link #dimensions}, is refused
     * as {@code dimensions.<name>}, naming the value it has.
     */
    public Builder dimension(String name, String value) {
      String checked = checkDimension(name, value);
      String old = dimensions.get(name);
      if (old != null) {
        BuilderRules.once("dimensions." + name, old, checked); // refuses it, by name
      }
      unsharedDimensions().put(name, checked);
      return this;
    }

    /**
     * Several dimension values at once. May be called once, and combined with {@link #dimension} as
     * long as no name is given twice; if any entry is refused, none is kept.
     */
    public Builder dimensions(Map<String, String> dimensions) {
      InvalidRequestException.requireNonNull(dimensions, "dimensions");
      BuilderRules.once("dimensions", allDimensions, dimensions);
      TreeMap<String, String> checked = new TreeMap<>();
      for (Map.Entry<String, String> d : dimensions.entrySet()) {
        checked.put(d.getKey(), checkDimension(d.getKey(), d.getValue()));
      }
      if (!this.dimensions.isEmpty()) {
        for (Map.Entry<String, String> d : checked.entrySet()) {
          String old = this.dimensions.get(d.getKey());
          if (old != null) {
            BuilderRules.once("dimensions." + d.getKey(), old, d.getValue()); // refuses it
          }
        }
      }
      this.allDimensions = Collections.unmodifiableSortedMap(checked);
      if (this.dimensions.isEmpty()) {
        this.dimensions = checked; // kept as checked: shared with allDimensions
        this.dimensionsShared = true;
      } else {
        unsharedDimensions().putAll(checked);
      }
      return this;
    }

    /**
     * The value if the name (as {@code dimensions}) and the value (as {@code dimensions.<name>})
     * are identifiers. Values follow the identifier rule: MariaDB's PAD SPACE collation would group
     * "a" and "a " as one dimension value, so white space at either end is refused, not merged.
     */
    private static String checkDimension(String name, String value) {
      Identifiers.check(name, "dimensions");
      try {
        return Identifiers.check(value, "dimensions.*");
      } catch (InvalidRequestException refused) {
        // Named only when refused: the name costs a string per dimension of every event.
        return Identifiers.check(value, "dimensions." + name);
      }
    }

    /** The dimensions, to be changed: copied first if something else holds them. */
    private TreeMap<String, String> unsharedDimensions() {
      if (dimensionsShared) {
        dimensions = new TreeMap<>(dimensions);
        dimensionsShared = false;
      }
      return dimensions;
    }

    /** The dimensions, for an event to keep: the builder copies them before it changes them. */
    private TreeMap<String, String> shareDimensions() {
      dimensionsShared = true;
      return dimensions;
    }

    /** The event; refuses a missing id, quantity or time by name. */
    public UsageEvent build() {
      return new UsageEvent(this);
    }
  }

  /**
   * The quantity in its canonical form (no trailing zeros), or an {@link InvalidRequestException}
   * naming {@code quantity} if it is negative, has more than {@value #MAX_SCALE} decimal places or
   * is not below 10^{@value #MAX_INTEGER_DIGITS}. NaN and infinities cannot be a {@code
   * BigDecimal}; {@link #quantityOf(double)} refuses them by name.
   */
  public static BigDecimal checkQuantity(BigDecimal quantity) {
    InputContract.decimal(quantity, "quantity");
    if (quantity.signum() < 0) {
      throw new InvalidRequestException(
          "quantity", quantity.toPlainString(), "must not be negative");
    }
    if (quantity.abs().compareTo(LIMIT) >= 0) {
      throw new InvalidRequestException(
          "quantity",
          quantity.toPlainString(),
          "overflows: must be below 10^" + MAX_INTEGER_DIGITS);
    }
    if (quantity.scale() == 0) {
      // A whole number is canonical already (stripping trailing zeros, then setting the scale back
      // to 0, gives it back).
      return quantity.signum() == 0 ? BigDecimal.ZERO : quantity;
    }
    BigDecimal canonical = quantity.signum() == 0 ? BigDecimal.ZERO : quantity.stripTrailingZeros();
    if (canonical.scale() > MAX_SCALE) {
      throw new InvalidRequestException(
          "quantity",
          quantity.toPlainString(),
          "has more than " + MAX_SCALE + " decimal places; round it before sending");
    }
    if (canonical.scale() < 0) {
      canonical = canonical.setScale(0);
    }
    return canonical;
  }

  /**
   * A quantity from a {@code double}, exactly as its decimal text reads ({@code 0.1} is 0.1), for
   * hosts whose usage arrives as floating point; NaN and infinities are refused by name.
   */
  public static BigDecimal quantityOf(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw new InvalidRequestException("quantity", value, "must be a finite number");
    }
    return checkQuantity(new BigDecimal(Double.toString(value)));
  }
}
