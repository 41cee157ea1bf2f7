package dev.billingsdk;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;

/**
 * The one input contract: what text, instants, decimals and durations the library accepts. It is
 * enforced in core, before anything reaches a store, so every store (memory, H2, PostgreSQL,
 * MariaDB) keeps exactly what was accepted and refuses the rest the same way, with an {@link
 * InvalidRequestException} naming the field and the (shortened) value. Nothing is changed silently,
 * with one documented exception: instants (and durations) are normalised to the microsecond, the
 * finest precision every database stores (PostgreSQL {@code timestamptz}, MariaDB {@code
 * DATETIME(6)}, H2 {@code TIMESTAMP(6)}), so a result computed in memory equals the same result
 * read back from any database, and grant order never depends on a store's precision.
 *
 * <ul>
 *   <li><b>Text</b> (identifiers, keys, names, reasons, metadata): well-formed UTF-16 (no unpaired
 *       surrogate, which the JDBC drivers would replace with {@code ?} and so merge two different
 *       values), no NUL character, and at most a stated number of UTF-16 characters: {@value
 *       #MAX_IDENTIFIER} for identifiers, {@value #MAX_NAME} for names, {@value #MAX_REASON} for
 *       reasons, {@value #MAX_METADATA_KEY} and {@value #MAX_METADATA_VALUE} for metadata keys and
 *       values. Every character the JDK can encode as UTF-8 is kept as it is, including characters
 *       outside the Basic Multilingual Plane, combining marks and right-to-left text.
 *   <li><b>Instants</b>: from {@link #EARLIEST} (year 1) to {@link #LATEST} (year 9999), which
 *       every dialect stores exactly; finer than a microsecond is dropped ({@link #instant}), once,
 *       where the instant enters the library: the builders and value constructors of the public
 *       types, and the clock the services read. A bound of a range query ({@code [from, until)}) is
 *       instead rounded up ({@link #bound}): stored instants are whole microseconds, and for those
 *       {@code t >= from} and {@code t < until} select exactly the same instants whether the bound
 *       is rounded up or not, while rounding down would add the bound's own microsecond.
 *   <li><b>Decimals</b>: decimal text of at most {@value #MAX_DECIMAL_TEXT} characters, and every
 *       decimal with at most {@value #MAX_DECIMAL_DIGITS} significant digits and a scale between
 *       -{@value #MAX_DECIMAL_SCALE} and {@value #MAX_DECIMAL_SCALE}; checked before any
 *       arithmetic, so {@code "1e100000000"} is refused at once rather than after a minute of work.
 *   <li><b>Lists given as arguments</b> (varargs such as roles, kinds, meters, dimensions): the
 *       array itself and each element are required, and no element may repeat ({@link #distinct}):
 *       a repeated value is a mistake the library names rather than silently drops.
 *   <li><b>Durations</b>: positive or zero as each setting says, and at most {@link #MAX_DURATION}
 *       (100 years), so that adding one to an accepted instant never overflows; finer than a
 *       microsecond is dropped ({@link #duration}), so an accepted instant plus an accepted
 *       duration is still a whole microsecond.
 * </ul>
 */
public final class InputContract {
  /** The longest identifier or key, in UTF-16 characters; stores size their key columns for it. */
  public static final int MAX_IDENTIFIER = 128;

  /** The longest name (of a grant, a meter, a plan). */
  public static final int MAX_NAME = 200;

  /**
   * The longest reason. 4,000 UTF-16 characters are at most 12,000 bytes of UTF-8 (up to 3 bytes
   * for a character of the Basic Multilingual Plane; 4 for one outside it, which counts as 2), well
   * within the smallest text column a dialect has (MariaDB's TEXT, 65,535 bytes).
   */
  public static final int MAX_REASON = 4_000;

  /** The longest metadata or reference key. */
  public static final int MAX_METADATA_KEY = 64;

  /** The longest metadata or reference value. */
  public static final int MAX_METADATA_VALUE = 1_024;

  /** The earliest instant accepted: the start of year 1 (UTC). */
  public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

  /** The latest instant accepted: the last microsecond of year 9999 (UTC). */
  public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

  private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
  private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

  /** The longest decimal text accepted, in characters. */
  public static final int MAX_DECIMAL_TEXT = 100;

  /** The most significant digits a decimal may have. */
  public static final int MAX_DECIMAL_DIGITS = 60;

  /** The largest scale (decimal places), and its negation the smallest, a decimal may have. */
  public static final int MAX_DECIMAL_SCALE = 60;

  /** The longest duration a setting or time-to-live may have: 100 years of 365 days. */
  public static final Duration MAX_DURATION = Duration.ofDays(36_500);

  /** How much of a refused value a message shows. */
  static final int SHOWN = 64;

  private InputContract() {}

  // ------------------------------------------------------------------------------------------
  // Text
  // ------------------------------------------------------------------------------------------

  /**
   * Returns {@code value} if it is a usable identifier: 1 to {@value #MAX_IDENTIFIER} characters of
   * well-formed text, no control character, no white space at either end.
   */
  public static String identifier(String value, String field) {
    InvalidRequestException.requireNonNull(value, field);
    if (value.isBlank()) {
      throw new InvalidRequestException(field, quote(value), "must not be blank");
    }
    text(value, field, MAX_IDENTIFIER);
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw new InvalidRequestException(field, value, "must not contain control characters");
      }
    }
    if (!value.strip().equals(value)) {
      throw new InvalidRequestException(field, value, "must not start or end with white space");
    }
    return value;
  }

  /**
   * Returns {@code value} if it is well-formed text of at most {@code maxLength} characters without
   * NUL; null is refused as missing. Empty text is allowed (callers that need text say so).
   */
  public static String text(String value, String field, int maxLength) {
    InvalidRequestException.requireNonNull(value, field);
    if (value.length() > maxLength) {
      throw new InvalidRequestException(
          field,
          value,
          "must be at most " + maxLength + " characters (was " + value.length() + ")");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\0') {
        throw new InvalidRequestException(
            field, value, "must not contain the NUL character (U+0000) (at index " + i + ")");
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
          i++;
          continue;
        }
        throw unpaired(value, field, i);
      }
      if (Character.isLowSurrogate(c)) {
        throw unpaired(value, field, i);
      }
    }
    return value;
  }

  /** Like {@link #text} but refuses blank text too: a reason must say something. */
  public static String nonBlankText(String value, String field, int maxLength) {
    InvalidRequestException.requireNonNull(value, field);
    if (value.isBlank()) {
      throw new InvalidRequestException(field, quote(value), "must not be blank");
    }
    return text(value, field, maxLength);
  }

  /** A reason: non-blank, well-formed, at most {@value #MAX_REASON} characters. */
  public static String reason(String value, String field) {
    return nonBlankText(value, field, MAX_REASON);
  }

  private static InvalidRequestException unpaired(String value, String field, int index) {
    return new InvalidRequestException(
        field,
        value,
        "must be well-formed UTF-16: unpaired surrogate U+"
            + Integer.toHexString(value.charAt(index)).toUpperCase(java.util.Locale.ROOT)
            + " at index "
            + index);
  }

  /**
   * A value as a message may show it: at most {@value #SHOWN} characters, then how long it was,
   * with unpaired surrogates and control characters written as {@code \\uXXXX} so the message
   * itself is well-formed and printable.
   */
  public static String shown(@Nullable Object value) {
    if (value == null) {
      return "null";
    }
    String text;
    try {
      text = String.valueOf(value);
    } catch (RuntimeException e) {
      return "(a " + value.getClass().getSimpleName() + " that cannot be shown)";
    }
    boolean cut = text.length() > SHOWN;
    String head = cut ? text.substring(0, SHOWN) : text;
    StringBuilder out = new StringBuilder(head.length() + 24);
    for (int i = 0; i < head.length(); i++) {
      char c = head.charAt(i);
      boolean pairedHigh =
          Character.isHighSurrogate(c)
              && i + 1 < head.length()
              && Character.isLowSurrogate(head.charAt(i + 1));
      if (pairedHigh) {
        out.append(c).append(head.charAt(++i));
      } else if (Character.isSurrogate(c) || Character.isISOControl(c)) {
        out.append(String.format("\\u%04X", (int) c));
      } else {
        out.append(c);
      }
    }
    if (cut) {
      out.append("... (").append(text.length()).append(" characters)");
    }
    return out.toString();
  }

  private static String quote(String value) {
    return "\"" + value + "\"";
  }

  // ------------------------------------------------------------------------------------------
  // Lists given as arguments
  // ------------------------------------------------------------------------------------------

  /**
   * Returns {@code values} as an unmodifiable list in their order if the array is present, no
   * element is null and none repeats; otherwise refuses naming {@code field} and the null or
   * repeated element.
   */
  @SafeVarargs
  @SuppressWarnings("varargs")
  public static <T> java.util.List<T> distinct(String field, T... values) {
    InvalidRequestException.requireNonNull(values, field);
    java.util.Map<T, Integer> seen = new java.util.HashMap<>();
    for (int i = 0; i < values.length; i++) {
      T value = values[i];
      InvalidRequestException.requireNonNull(value, field + "[" + i + "]");
      Integer first = seen.putIfAbsent(value, i);
      if (first != null) {
        throw new InvalidRequestException(
            field, value, "must not repeat a value (index " + i + " repeats index " + first + ")");
      }
    }
    return java.util.List.of(values);
  }

  // ------------------------------------------------------------------------------------------
  // Instants and durations
  // ------------------------------------------------------------------------------------------

  /**
   * Returns {@code value} truncated to the microsecond if it lies between {@link #EARLIEST} and
   * {@link #LATEST}; null is refused as missing.
   */
  public static Instant instant(Instant value, String field) {
    InvalidRequestException.requireNonNull(value, field);
    if (value.isBefore(EARLIEST) || value.isAfter(LATEST)) {
      throw new InvalidRequestException(
          field, value, "must be between " + EARLIEST + " and " + LATEST + " (years 1 to 9999)");
    }
    return value.getNano() % 1_000 == 0 ? value : value.truncatedTo(ChronoUnit.MICROS);
  }

  /**
   * Returns {@code value}, a bound of a range of stored instants, rounded up to the microsecond if
   * it lies between {@link #EARLIEST} and {@link #LATEST}; null is refused as missing.
   *
   * <p>Stored instants are whole microseconds ({@link #instant}). For such an instant {@code t},
   * {@code t >= from} holds exactly when {@code t >= bound(from)}, and {@code t < until} exactly
   * when {@code t < bound(until)}: rounding up changes no answer, so every store (each comparing at
   * its own precision) selects the same instants. Truncating instead would add the bound's own
   * microsecond: {@code [.., 10:00:00.000000500)} would take an instant stored at {@code
   * 10:00:00.000000} only where the bound was kept to the nanosecond. An inclusive upper bound
   * (such as "expired at") is an ordinary instant: truncated, for the same reason.
   */
  public static Instant bound(Instant value, String field) {
    Instant down = instant(value, field);
    // value <= LATEST, a whole microsecond, so rounding up stays within the contract.
    return down.equals(value) ? value : down.plus(1, ChronoUnit.MICROS);
  }

  /**
   * Reads {@code clock} and checks the reading like any instant: a host clock outside years 1 to
   * 9999 is refused (as field {@code clock}) before it can date a write.
   */
  public static Instant now(Clock clock) {
    Instant reading;
    try {
      reading = clock.instant();
    } catch (java.time.DateTimeException | ArithmeticException e) {
      throw new InvalidRequestException("clock", clock, "cannot be read: " + e.getMessage());
    }
    return instant(reading, "clock");
  }

  /**
   * Returns {@code value} truncated to the microsecond if it is between zero (inclusive unless
   * {@code positive}) and {@link #MAX_DURATION}; null is refused as missing, and so is a positive
   * duration shorter than a microsecond, which no store could tell from zero.
   */
  public static Duration duration(Duration value, String field, boolean positive) {
    InvalidRequestException.requireNonNull(value, field);
    if (value.isNegative() || (positive && value.isZero())) {
      throw new InvalidRequestException(
          field, value, positive ? "must be positive" : "must not be negative");
    }
    if (value.compareTo(MAX_DURATION) > 0) {
      throw new InvalidRequestException(field, value, "must be at most " + MAX_DURATION);
    }
    if (value.getNano() % 1_000 == 0) {
      return value;
    }
    Duration micros = value.truncatedTo(ChronoUnit.MICROS);
    if (positive && micros.isZero()) {
      throw new InvalidRequestException(
          field, value, "must be at least 1 microsecond (the finest time every store keeps)");
    }
    return micros;
  }

  // ------------------------------------------------------------------------------------------
  // Decimals
  // ------------------------------------------------------------------------------------------

  /**
   * Parses decimal text ({@code "12.34"}, {@code "-1"}, {@code "2.5E-3"}) within the contract. The
   * text is scanned once, at most {@value #MAX_DECIMAL_TEXT} characters and an exponent of at most
   * four digits, before {@link BigDecimal} sees it, so an absurd exponent is refused after reading
   * a handful of characters.
   */
  public static BigDecimal decimal(String text, String field) {
    InvalidRequestException.requireNonNull(text, field);
    DecimalText.Scan scan = DecimalText.scan(text);
    if (!scan.ok()) {
      throw new InvalidRequestException(field, text, scan.problem());
    }
    BigDecimal parsed;
    try {
      parsed = new BigDecimal(text);
    } catch (NumberFormatException e) {
      throw new InvalidRequestException(field, text, "is not a decimal number");
    }
    return decimal(parsed, field);
  }

  /**
   * Returns {@code value} if it has at most {@value #MAX_DECIMAL_DIGITS} significant digits and a
   * scale within +/-{@value #MAX_DECIMAL_SCALE}; checks only the precision and scale, never the
   * digits, so a decimal of absurd scale costs nothing to refuse.
   */
  public static BigDecimal decimal(BigDecimal value, String field) {
    InvalidRequestException.requireNonNull(value, field);
    int scale = value.scale();
    if (scale == 0 && value.compareTo(LONG_MIN) >= 0 && value.compareTo(LONG_MAX) <= 0) {
      return value; // a whole number that fits a long: 19 digits at most, without building them
    }
    if (scale > MAX_DECIMAL_SCALE || scale < -MAX_DECIMAL_SCALE) {
      throw new InvalidRequestException(
          field,
          describe(value),
          "must have a scale between -" + MAX_DECIMAL_SCALE + " and " + MAX_DECIMAL_SCALE);
    }
    // 200 bits hold every 60-digit number; larger unscaled values are refused without counting.
    if (value.unscaledValue().bitLength() > 200 || value.precision() > MAX_DECIMAL_DIGITS) {
      throw new InvalidRequestException(
          field,
          describe(value),
          "must have at most " + MAX_DECIMAL_DIGITS + " significant digits");
    }
    return value;
  }

  /**
   * A decimal as a refusal may show it without expensive arithmetic: its unscaled digits
   * (shortened) and its scale.
   */
  static String describe(BigDecimal value) {
    int scale = value.scale();
    int bits = value.unscaledValue().bitLength();
    if (bits > 700) {
      return "a number of about " + (long) (bits * 0.30103) + " digits x 10^" + (-(long) scale);
    }
    if (scale >= -MAX_DECIMAL_SCALE && scale <= MAX_DECIMAL_SCALE) {
      return value.toString();
    }
    return value.unscaledValue() + " x 10^" + (-(long) scale);
  }
}
