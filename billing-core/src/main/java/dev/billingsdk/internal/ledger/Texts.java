package dev.billingsdk.internal.ledger;

import java.time.Instant;

/**
 * The texts a {@link Fingerprint} streams, printed as ASCII bytes into a buffer instead of into a
 * new {@code String}: each prints exactly what the JDK's own {@code toString} prints (a stored
 * fingerprint depends on it), or answers -1 where it does not handle the value, and the caller then
 * prints it the JDK's way.
 */
final class Texts {
  /** The buffer size every method here needs at most (a fingerprint also prints its hex in it). */
  static final int MAX_TEXT = 128;

  /** Room for a long's digits, sign and decimal point, and a separator. */
  private static final int NUMBER_ROOM = 22;

  private static final long SECONDS_PER_DAY = 86_400;

  /** 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z: the years printed with four digits. */
  private static final long MIN_SECOND = -62_167_219_200L;

  private static final long MAX_SECOND = 253_402_300_800L;

  private Texts() {}

  /**
   * Copies {@code text} at {@code at} when it is ASCII and leaves room for a number after it;
   * answers where it ends, or -1.
   */
  static int ascii(String text, byte[] out, int at) {
    return at + text.length() > out.length - NUMBER_ROOM ? -1 : append(text, out, at);
  }

  /** {@link Long#toString(long)} at {@code at}; answers where it ends. */
  static int decimal(long value, byte[] out, int at) {
    if (value == Long.MIN_VALUE) {
      return copy("-9223372036854775808", out, at);
    }
    int n = at;
    if (value < 0) {
      out[n++] = '-';
      value = -value;
    }
    int digits = digits(value);
    for (int i = n + digits - 1; i >= n; i--) {
      out[i] = (byte) ('0' + (int) (value % 10));
      value /= 10;
    }
    return n + digits;
  }

  /**
   * {@code BigDecimal.valueOf(minor, scale).toPlainString()} at {@code at}, for a scale of 0 or
   * more and {@code minor} other than {@link Long#MIN_VALUE}; answers where it ends.
   */
  static int plainDecimal(long minor, int scale, byte[] out, int at) {
    if (scale == 0) {
      return decimal(minor, out, at);
    }
    int n = at;
    long value = minor;
    if (value < 0) {
      out[n++] = '-';
      value = -value;
    }
    // At least one digit before the point: 5 at scale 2 prints 0.05.
    int digits = Math.max(digits(value), scale + 1);
    int end = n + digits + 1;
    int point = end - scale - 1;
    for (int i = end - 1; i >= n; i--) {
      if (i == point) {
        out[i] = '.';
        continue;
      }
      out[i] = (byte) ('0' + (int) (value % 10));
      value /= 10;
    }
    return end;
  }

  /**
   * {@link Instant#toString()} at {@code at}, for the years 0000 to 9999 (four-digit years); -1 for
   * any other.
   */
  static int isoInstant(Instant instant, byte[] out, int at) {
    long seconds = instant.getEpochSecond();
    if (seconds < MIN_SECOND || seconds >= MAX_SECOND || at + 30 > out.length) {
      return -1;
    }
    long days = Math.floorDiv(seconds, SECONDS_PER_DAY);
    int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
    // Civil date from days since 1970-01-01 (proleptic Gregorian, as java.time).
    long z = days + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long dayOfEra = z - era * 146_097;
    long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    long mp = (5 * dayOfYear + 2) / 153;
    int day = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
    int month = (int) (mp < 10 ? mp + 3 : mp - 9);
    long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
    int n = at;
    n = fixed(year, 4, out, n);
    out[n++] = '-';
    n = fixed(month, 2, out, n);
    out[n++] = '-';
    n = fixed(day, 2, out, n);
    out[n++] = 'T';
    n = fixed(secondOfDay / 3600, 2, out, n);
    out[n++] = ':';
    n = fixed(secondOfDay / 60 % 60, 2, out, n);
    out[n++] = ':';
    n = fixed(secondOfDay % 60, 2, out, n);
    int nano = instant.getNano();
    if (nano != 0) {
      out[n++] = '.';
      if (nano % 1_000_000 == 0) {
        n = fixed(nano / 1_000_000, 3, out, n);
      } else if (nano % 1000 == 0) {
        n = fixed(nano / 1000, 6, out, n);
      } else {
        n = fixed(nano, 9, out, n);
      }
    }
    out[n++] = 'Z';
    return n;
  }

  /** {@code value} (not negative) with exactly {@code width} digits, zero-padded. */
  private static int fixed(long value, int width, byte[] out, int at) {
    for (int i = at + width - 1; i >= at; i--) {
      out[i] = (byte) ('0' + (int) (value % 10));
      value /= 10;
    }
    return at + width;
  }

  /** How many decimal digits a value that is not negative has (0 has one). */
  private static int digits(long value) {
    int d = 1;
    while (value >= 10) {
      value /= 10;
      d++;
    }
    return d;
  }

  /**
   * Copies {@code text} at {@code at} when it is ASCII and fits in {@code out}; answers where it
   * ends, or -1 (also when {@code at} is -1, so that calls chain).
   */
  static int append(String text, byte[] out, int at) {
    int n = text.length();
    if (at < 0 || at + n > out.length) {
      return -1;
    }
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c >= 0x80) {
        return -1;
      }
      out[at + i] = (byte) c;
    }
    return at + n;
  }

  private static int copy(String ascii, byte[] out, int at) {
    for (int i = 0; i < ascii.length(); i++) {
      out[at + i] = (byte) ascii.charAt(i);
    }
    return at + ascii.length();
  }
}
